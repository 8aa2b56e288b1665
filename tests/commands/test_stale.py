"""`python build.py stale`: hubs due for confirmation, by host, and the messages --out writes."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from conftest import HUB_YAML, PARTNER_YAML, SITE_YAML, run_main, scratch_content

SITE = SITE_YAML.replace("language: en\n", "languages: [es, en]\n") + "stale_after_days: 30\n"


def hub(name: str, verified: str | None, *, email: str, extra: str = "", languages: str = "[en, sw]") -> str:
    text = HUB_YAML.replace("name: Example Hub", f"name: {name}").replace("languages: [en, sw]", f"languages: {languages}")
    text += f"contact: {{email: {email}}}\n" + extra
    return text + (f"last_verified: {verified}\n" if verified else "")


def due_content(root: Path) -> Path:
    return scratch_content(root, {
        "site.yaml": SITE,
        "partners/other-college.yaml": PARTNER_YAML.replace("Example Library", "Other College"),
        "hubs/example-hub.yaml": hub("Example Hub", "2026-01-01", email="one@example.org"),
        "hubs/second-hub.yaml": hub("Second Hub", None, email="two@example.org"),
        "hubs/closed-hub.yaml": hub("Closed Hub", None, email="closed@example.org", extra="status: closed\n"),
        "hubs/college-hub.yaml": hub("College Hub", "2026-01-01", email="college@example.org", languages="[es]").replace("host: example-library", "host: other-college"),
    })


def test_due_on_the_day_after_stale_after_days(tmp_path: Path) -> None:
    content = due_content(tmp_path / "content")
    before = run_main("stale", "--content", str(content), "--today", "2026-01-31", "--strict")  # 30 days: not yet
    assert before.code == 1  # second-hub was never confirmed
    assert "example-hub" not in before.out and "college-hub" not in before.out
    assert "  second-hub (Second Hub): never confirmed" in before.out.splitlines()
    after = run_main("stale", "--content", str(content), "--today", "2026-02-01")
    assert after.code == 0  # without --strict, due hubs are a report, not a failure
    assert "  example-hub (Example Hub): last confirmed 2026-01-01, 31 days ago" in after.out.splitlines()
    assert "closed-hub" not in after.out


def test_grouped_by_host_with_its_contacts(tmp_path: Path) -> None:
    result = run_main("stale", "--content", str(due_content(tmp_path / "content")), "--today", "2026-03-01")
    assert result.out.splitlines() == [
        "3 hubs of 2 hosts not confirmed in the 30 days before 2026-03-01:",
        "example-library (Example Library): one@example.org, two@example.org",
        "  example-hub (Example Hub): last confirmed 2026-01-01, 59 days ago",
        "  second-hub (Second Hub): never confirmed",
        "other-college (Other College): college@example.org",
        "  college-hub (College Hub): last confirmed 2026-01-01, 59 days ago",
    ]


def test_strict_exits_0_when_nothing_is_due(tmp_path: Path) -> None:
    content = scratch_content(tmp_path / "content", {"hubs/example-hub.yaml": HUB_YAML + "last_verified: 2026-01-20\n"})
    result = run_main("stale", "--content", str(content), "--today", "2026-02-01", "--strict")
    assert (result.code, result.out) == (0, "no hub is due: every hub was confirmed in the 365 days before 2026-02-01\n")


def read_message(path: Path) -> tuple[dict[str, str], str]:
    head, _, body = path.read_text(encoding="utf-8").partition("\n\n")
    return dict(line.split(": ", 1) for line in head.splitlines()), body


def test_out_writes_one_message_per_host_with_a_mailto_link(tmp_path: Path) -> None:
    out = tmp_path / "messages"
    result = run_main("stale", "--content", str(due_content(tmp_path / "content")), "--today", "2026-03-01", "--out", str(out))
    assert result.code == 0 and result.out.splitlines()[-1] == f"wrote 2 messages into {out}"
    assert sorted(path.name for path in out.iterdir()) == ["example-library.txt", "other-college.txt"]
    header, body = read_message(out / "example-library.txt")
    assert header["To"] == "one@example.org, two@example.org"
    links = re.findall(r"mailto:\S+?(?=[ )]|$)", body, re.MULTILINE)
    assert links
    for link in links:
        parts = urlsplit(link.rstrip("."))
        assert parts.path == "hubs@example.org"
        assert unquote(parts.query.removeprefix("subject=")) == header["Subject"]
    assert "Example Hub" in body and "Second Hub" in body and "Closed Hub" not in body
    assert "   Last confirmed: never" in body.splitlines()


def test_messages_come_in_every_language_the_hosts_first(tmp_path: Path) -> None:
    out = tmp_path / "messages"
    run_main("stale", "--content", str(due_content(tmp_path / "content")), "--today", "2026-03-01", "--out", str(out))
    _, library = read_message(out / "example-library.txt")
    _, college = read_message(out / "other-college.txt")
    # example-library's hubs speak [en, sw] first: English first; other-college's hub speaks es.
    assert list(dict.fromkeys(re.findall(r"https://example.org/hubs/(\w+)/hubs/", library))) == ["en", "es"]
    assert re.findall(r"https://example.org/hubs/(\w+)/hubs/", college) == ["es", "en"]
    spanish, english = college.split("\n----------------------------------------\n")
    assert "martes" in spanish and "Tuesday" in english  # CLDR's words for the group's day, in each language


def test_out_refuses_a_folder_with_files(tmp_path: Path) -> None:
    out = tmp_path / "messages"
    out.mkdir()
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    result = run_main("stale", "--content", str(due_content(tmp_path / "content")), "--today", "2026-03-01", "--out", str(out))
    assert result.code == 1 and "not an empty folder" in result.err
    assert [path.name for path in out.iterdir()] == ["notes.txt"]


def test_content_never_starts_a_line(tmp_path: Path) -> None:
    command = "::error file=x::pwned"
    content = scratch_content(tmp_path / "content", {
        "partners/example-library.yaml": PARTNER_YAML.replace("name: Example Library", f'name: "{command}"'),
        "hubs/example-hub.yaml": hub(f'"{command}"', None, email="one@example.org"),
    })
    out = tmp_path / "messages"
    result = run_main("stale", "--content", str(content), "--today", "2026-03-01", "--out", str(out))
    printed = result.out.splitlines() + (out / "example-library.txt").read_text(encoding="utf-8").splitlines()
    assert any(command in line for line in printed)
    assert not [line for line in printed if line.lstrip().startswith("::")]


def test_content_errors_stop_it(tmp_path: Path) -> None:
    content = scratch_content(tmp_path / "content", {"hubs/example-hub.yaml": HUB_YAML.replace("country: KE", "country: XX")})
    result = run_main("stale", "--content", str(content), "--today", "2026-03-01", "--out", str(tmp_path / "messages"))
    assert result.code == 1 and "address.country" in result.err
    assert not (tmp_path / "messages").exists()
