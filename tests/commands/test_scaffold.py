"""`python build.py new hub SLUG` / `new partner ID`: a commented starter that `check` rejects
until its required values are filled and accepts once they are; refusals with exit codes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import TODAY, build_site, run_cli, run_main, scratch_content
from sites import validator

from hubsite.content.reader import load_document
from hubsite.content.schema import SCHEMA_DIR

HUB_VALUES = {
    "name": """'Kibera "Town" Library: Reading Room'""",  # YAML quoting, as a person writes it
    "host": "example-library",
    "city": "Nairobi",
    "country": "KE",
    "lat": "-1.3133",
    "lon": "36.7876",
    "course": "Learning How to Learn",
    "starts": "2026-03-03",
    "ends": "2026-05-26",
    "day": "tuesday",
    "time": "18:00-20:00",
}
PARTNER_VALUES = {"name": "Kibera Community Trust", "kind": "nonprofit"}


def fill(text: str, values: dict[str, str]) -> str:
    """Put a value after each `key:` that the starter leaves empty (keeping the comment)."""
    for key, value in values.items():
        text, count = re.subn(rf"^(\s*(?:- )?{key}:)(\s*)(#.*)?$", lambda m, v=value: f"{m[1]} {v}{m[2]}{m[3] or ''}", text, count=1, flags=re.M)
        assert count == 1, key
    return text


def check(content: Path):
    return run_main("check", "--content", str(content), "--today", TODAY)


@pytest.fixture
def content(tmp_path: Path) -> Path:
    return scratch_content(tmp_path / "content", hub=False)


def test_new_hub_lists_what_is_missing_then_passes_once_filled(content: Path, tmp_path: Path) -> None:
    made = run_main("new", "hub", "kibera-library", "--content", str(content))
    assert made.code == 0, made.err
    path = content / "hubs/kibera-library.yaml"
    assert "hubs/kibera-library.yaml" in made.out and "python build.py check" in made.out
    unfilled = check(content)
    assert unfilled.code == 1
    missing = sorted({line.split(": ")[1] for line in unfilled.lines if "kibera-library.yaml:" in line})
    assert missing == ["address.city", "address.country", "host", "location.lat", "location.lon", "name",
                       "sessions[0].course", "sessions[0].day", "sessions[0].ends", "sessions[0].starts", "sessions[0].time"]
    assert all(re.match(r".*kibera-library\.yaml:\d+:\d+: ", line) for line in unfilled.lines[:-1])
    path.write_text(fill(path.read_text(encoding="utf-8"), HUB_VALUES), encoding="utf-8")
    assert check(content).code == 0, check(content).err
    site = tmp_path / "site"
    build_site(content, site)
    assert 'Kibera "Town" Library: Reading Room' in (site / "hubs/kibera-library/index.html").read_text(encoding="utf-8").replace("&#34;", '"')


def test_new_partner_then_a_hub_it_hosts(content: Path) -> None:
    assert run_main("new", "partner", "kibera-trust", "--content", str(content)).code == 0
    partner = content / "partners/kibera-trust.yaml"
    assert check(content).code == 1
    partner.write_text(fill(partner.read_text(encoding="utf-8"), PARTNER_VALUES), encoding="utf-8")
    assert run_main("new", "hub", "kibera", "--content", str(content)).code == 0
    hub = content / "hubs/kibera.yaml"
    assert "#   example-library, kibera-trust\n" in hub.read_text(encoding="utf-8")
    hub.write_text(fill(hub.read_text(encoding="utf-8"), {**HUB_VALUES, "host": "kibera-trust"}), encoding="utf-8")
    result = check(content)
    assert result.code == 0, result.err


@pytest.mark.parametrize("kind", ["hub", "partner"])
def test_starter_points_editors_at_the_committed_schema(content: Path, kind: str) -> None:
    assert run_main("new", kind, "x", "--content", str(content)).code == 0
    path = content / f"{kind}s/x.yaml"
    first = path.read_text(encoding="utf-8").splitlines()[0]
    ref = first.removeprefix("# yaml-language-server: $schema=")
    assert ref != first and not Path(ref).is_absolute()
    assert (path.parent / ref).resolve() == SCHEMA_DIR / f"{kind}.schema.json"


def test_starter_in_the_repository_layout_uses_the_standard_path(tmp_path: Path) -> None:
    from hubsite.content.starters import STANDARD_REFS, schema_ref

    assert schema_ref("hub", SCHEMA_DIR.parent.parent / "content/hubs") == STANDARD_REFS["hub"] == "../../hubsite/schemas/hub.schema.json"


def test_filled_starters_pass_jsonschema(content: Path) -> None:
    run_main("new", "hub", "h", "--content", str(content))
    run_main("new", "partner", "p", "--content", str(content))
    for kind, path, values in (("hub", content / "hubs/h.yaml", HUB_VALUES), ("partner", content / "partners/p.yaml", PARTNER_VALUES)):
        path.write_text(fill(path.read_text(encoding="utf-8"), values), encoding="utf-8")
        doc, problems = load_document(path, kind)
        assert problems == []
        assert list(validator(kind).iter_errors(doc.data)) == []


def test_refuses_to_overwrite(content: Path) -> None:
    existing = content / "partners/example-library.yaml"
    before = existing.read_bytes()
    result = run_main("new", "partner", "example-library", "--content", str(content))
    assert result.code == 1
    assert result.err.strip() == f"error: '{existing}' already exists: edit it, or choose another id"
    assert existing.read_bytes() == before


@pytest.mark.parametrize(("slug", "suggestion"), [
    ("My Hub", "my-hub"),
    ("kibera_library", "kibera-library"),
    ("nairobi.yaml", "nairobi"),
    ("Nairobi!", "nairobi"),
    ("two--hyphens", "two-hyphens"),
    ("Ünïcode", "unicode"),
    ("../escape", "escape"),
])
def test_refuses_bad_ids_with_a_suggestion(content: Path, slug: str, suggestion: str) -> None:
    result = run_main("new", "hub", slug, "--content", str(content))
    assert result.code == 2
    assert result.err.strip() == f"error: '{slug}' is not a valid hub id: use lowercase letters, digits and single hyphens, e.g. '{suggestion}'"
    assert not (content / "hubs").exists()


def test_refuses_a_folder_without_site_yaml(tmp_path: Path) -> None:
    result = run_main("new", "hub", "x", "--content", str(tmp_path / "nowhere"))
    assert result.code == 2
    assert "no site.yaml in" in result.err and "--content DIR" in result.err
    assert not (tmp_path / "nowhere").exists()


def test_command_line_help_and_exit_codes(content: Path) -> None:
    assert "new" in run_cli("--help").out
    usage = run_cli("new", "--help")
    assert usage.code == 0 and "Never overwrites" in usage.out and "{hub,partner}" in usage.out
    assert run_cli("new", "castle", "x", "--content", str(content)).code == 2
    assert run_cli("new", "hub", "x", "--content", str(content)).code == 0
    assert run_cli("new", "hub", "x", "--content", str(content)).code == 1


def test_the_hub_starter_lists_every_partner(content: Path) -> None:
    """The bundled network's main host sorts last: a starter that listed only the first few left it out."""
    ids = [f"partner-{number:02d}" for number in range(40)] + ["us-department-of-state"]
    for partner in ids:
        (content / f"partners/{partner}.yaml").write_text("name: P\nkind: library\n", encoding="utf-8")
    assert run_main("new", "hub", "h", "--content", str(content)).code == 0
    comments = "".join(line.removeprefix("#   ") for line in (content / "hubs/h.yaml").read_text(encoding="utf-8").splitlines() if line.startswith("#   "))
    assert comments.replace(" ", "").split(",") == sorted([*ids, "example-library"])
