"""The JSON Schema (hubsite/content/schema.py) against the records: the committed copies are current, every
bundled record passes an independent validator (jsonschema), broken records fail both it and
`check`, and lenient-but-valid spellings pass both."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path

import jsonschema
import pytest
from conftest import CORPUS, HUB_YAML, PARTNER_YAML, ROOT, build_site, check_content, scratch_content
from corpus import expectation
from pydantic import BaseModel
from sites import validator

from hubsite.content.descriptions import nested_model, schema_sentence
from hubsite.content.reader import load_document, parse_yaml
from hubsite.content.records import GeocacheEntry, HubRecord, PageRecord, PartnerRecord
from hubsite.content.schema import (
    ANNOTATIONS,
    KEYWORDS,
    MODELS,
    SCHEMA_DIR,
    file_name,
    record_schema,
    stale_copies,
    used_keywords,
    write_copies,
)
from hubsite.content.settings import SiteConfig

KINDS = ("hub", "partner")


def schema_errors(kind: str, text: str) -> list[str]:
    """'path: message' of every error, looking inside anyOf/oneOf to the branches' own errors."""
    data = parse_yaml(text)[0]
    return [f"{'.'.join(map(str, e.absolute_path))}: {e.message}" for e in leaves(validator(kind).iter_errors(data))]


def leaves(errors: Iterable[jsonschema.ValidationError]) -> Iterator[jsonschema.ValidationError]:
    for error in errors:
        yield error
        yield from leaves(error.context or [])


def bundled_records() -> list[tuple[str, Path]]:
    """Every record the project ships: content/, the corpus files a build accepts, and its base partner."""
    found = [("hub", p) for p in sorted((ROOT / "content/hubs").glob("*.yaml"))]
    found += [("partner", p) for p in sorted((ROOT / "content/partners").glob("*.yaml"))]
    if CORPUS.is_dir():
        found += [("hub", p) for p in sorted(CORPUS.glob("hubs/*.yaml")) if expectation(p)[0] == "accept"]
        found += [("partner", p) for p in sorted(CORPUS.glob("base/partners/*.yaml"))]
    return found


def test_committed_schemas_are_current() -> None:
    assert stale_copies() == [], "the committed schema differs from hubsite/content/records.py: run `python -m hubsite.content.schema`"


def test_refresh_command_writes_and_then_reports_current(tmp_path: Path) -> None:
    assert sorted(p.name for p in write_copies(tmp_path)) == ["hub.schema.json", "partner.schema.json"]
    assert stale_copies(tmp_path) == []
    (tmp_path / "hub.schema.json").write_text("{}", encoding="utf-8")
    assert stale_copies(tmp_path) == [tmp_path / "hub.schema.json"]


@pytest.mark.parametrize("kind", KINDS)
def test_schema_is_valid_draft_07_and_names_its_draft(kind: str) -> None:
    schema = record_schema(kind)
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    jsonschema.Draft7Validator.check_schema(schema)


@pytest.mark.parametrize("kind", KINDS)
def test_schema_uses_only_keywords_the_form_validator_implements(kind: str) -> None:
    schema = record_schema(kind)
    assert used_keywords(schema) <= KEYWORDS | ANNOTATIONS
    script = (ROOT / "templates/static/js/apply-schema.js").read_text(encoding="utf-8")
    assert [k for k in KEYWORDS if not re.search(r"\b" + re.escape(k.lstrip("$")) + r"\b", script)] == []


# Every record, and the records within them: site.yaml's settings too, which `check` describes.
RECORDS = (HubRecord, PartnerRecord, PageRecord, GeocacheEntry, SiteConfig)


def records_within(model: type[BaseModel]) -> list[type[BaseModel]]:
    """`model` and every record its fields hold, each once, in the order they are reached."""
    found = [model]
    for record in found:
        for info in record.model_fields.values():
            inner = nested_model(info.annotation)
            if inner and inner not in found:
                found.append(inner)
    return found


def undescribed(models: Iterable[type[BaseModel]]) -> list[str]:
    """'Record.field' of every field, in these records and those within, that has no description."""
    return sorted({f"{record.__name__}.{name}" for model in models for record in records_within(model)
                   for name, info in record.model_fields.items() if not (info.description or "").strip()})


def test_every_field_of_every_record_is_described_once_where_it_is_declared() -> None:
    assert undescribed(RECORDS) == [], "give these fields Field(description=...) in hubsite/content/records.py or settings.py"
    phrases = {f"{record.__name__}.{name}": info.description for model in RECORDS for record in records_within(model) for name, info in record.model_fields.items()}
    assert [name for name, text in phrases.items() if text != text.strip() or text.endswith(".") or text[:1].isupper()] == [], \
        "a description is a phrase read after 'required:' or 'write': lower-case, no full stop"


@pytest.mark.parametrize("kind", KINDS)
def test_the_schema_describes_every_field_with_its_records_description(kind: str) -> None:
    schema = record_schema(kind)
    model = MODELS[kind]
    for record in records_within(model):
        node = schema if record is model else schema["$defs"][record.__name__]
        for name, info in record.model_fields.items():
            assert node["properties"][name]["description"] == schema_sentence(info.description, info.is_required()), f"{record.__name__}.{name}"


def test_published_schema_is_the_committed_copy(tmp_path: Path) -> None:
    site = tmp_path / "site"
    build_site(scratch_content(tmp_path / "content"), site)
    for kind in KINDS:
        assert (site / "schema" / file_name(kind)).read_bytes() == (SCHEMA_DIR / file_name(kind)).read_bytes()


@pytest.mark.parametrize(("kind", "path"), bundled_records(), ids=lambda v: v if isinstance(v, str) else f"{v.parent.name}/{v.name}")
def test_bundled_record_passes_jsonschema(kind: str, path: Path) -> None:
    doc, problems = load_document(path, kind)
    assert problems == []
    errors = [f"{'.'.join(map(str, e.absolute_path))}: {e.message}" for e in validator(kind).iter_errors(doc.data)]
    assert errors == []


def test_test_suites_records_pass_jsonschema() -> None:
    assert schema_errors("hub", HUB_YAML) == []
    assert schema_errors("partner", PARTNER_YAML) == []


# Spellings the models accept on purpose; the schema must not flag them in an editor.
LENIENT = [
    ("address: {line1: 1 Main Street, city: Nairobi, country: KE}", "address: {line1: 1 Main Street, city: Nairobi, country: ke, postal_code: 10458}"),
    ("day: tuesday", "day: Tuesday"),
    ("day: tuesday", "days: [tuesday, THURSDAY]"),
    ("time: 18:00-20:00", "time: 18:00 - 20:00"),
    ("summary: Weekly study groups.", "summary: >\n  Weekly study\n  groups."),
    ("signup_url: https://example.org/signup", "signup_url: mailto:hub@example.org?subject=Join"),
    ("facilities: [wifi, computers]", "facilities: [wifi, computers]\ncontact: {phone: 5551234, email: amina.o@example.co.ke}"),
    ("timezone: Africa/Nairobi", "timezone: America/Argentina/Buenos_Aires"),
    ("languages: [en, sw]", "languages: [en, sw, pt-BR, zh-Hant-TW]"),
]


@pytest.mark.parametrize(("old", "new"), LENIENT)
def test_valid_spellings_pass_both(tmp_path: Path, old: str, new: str) -> None:
    text = HUB_YAML.replace(old, new)
    assert text != HUB_YAML
    result = check_content(tmp_path / "content", {"hubs/example-hub.yaml": text})
    assert result.code == 0, result.err
    assert schema_errors("hub", text) == []


BROKEN_HUBS = [
    ("name: Example Hub\n", "", "name"),
    ("name: Example Hub\n", "name: Example Hub\nlattitude: 1\n", "lattitude"),
    ("country: KE", "country: Kenya", "address.country"),
    ("lat: -1.2864", "lat: 123.0", "location.lat"),
    ("timezone: Africa/Nairobi", "timezone: Nairobi time", "timezone"),
    ("languages: [en, sw]", "languages: [en, 'english!']", "languages.1"),
    ("facilities: [wifi, computers]", "facilities: [wifi, jacuzzi]", "facilities.1"),
    ("signup_url: https://example.org/signup", "signup_url: javascript:alert(1)", "signup_url"),
    ("signup_url: https://example.org/signup", "contact: {email: not-an-email}", "contact.email"),
    ("summary: Weekly study groups.", 'summary: "two\\nlines"', "summary"),
    ("summary: Weekly study groups.", 'summary: "bell\\a"', "summary"),
    ("time: 18:00-20:00", "time: 25:00-26:00", "sessions.0.time"),
    ("time: 18:00-20:00", "time: 6pm", "sessions.0.time"),
    ("ends: 2026-03-17", "ends: 2026-02-30", "sessions.0.ends"),
    ("day: tuesday", "day: tusday", "sessions.0.day"),
    ("    day: tuesday\n", "", "sessions.0"),
    ("    day: tuesday\n", "    day: tuesday\n    days: [tuesday]\n", "sessions.0"),
    ("capacity: 20", "capacity: 0", "sessions.0.capacity"),
    ("capacity: 20", "capacity: many", "sessions.0.capacity"),
    ("host: example-library", "host: Example_Library", "host"),
]


@pytest.mark.parametrize(("old", "new", "where"), BROKEN_HUBS)
def test_broken_hub_fails_check_and_jsonschema(tmp_path: Path, old: str, new: str, where: str) -> None:
    text = HUB_YAML.replace(old, new)
    assert text != HUB_YAML
    result = check_content(tmp_path / "content", {"hubs/example-hub.yaml": text})
    assert result.code == 1, result.err
    errors = schema_errors("hub", text)
    assert any(where in e for e in errors), errors


@pytest.mark.parametrize(("new", "where"), [
    ("kind: castle", "kind"),
    ("logo: logos/x.svg", ""),
    ("website: ftp://library.example.org/", "website"),
    ("name: ''", "name"),
])
def test_broken_partner_fails_check_and_jsonschema(tmp_path: Path, new: str, where: str) -> None:
    text = PARTNER_YAML + new + "\n" if not new.startswith(("kind", "website", "name")) else re.sub(rf"^{new.split(':')[0]}:.*$", new, PARTNER_YAML, flags=re.M)
    result = check_content(tmp_path / "content", {"partners/example-library.yaml": text, "logos/x.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>"})
    assert result.code == 1, result.err
    errors = schema_errors("partner", text)
    assert errors and any(where in e for e in errors), errors
