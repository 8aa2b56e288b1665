"""content/static/: what it may publish, and that `check` and `build` refuse the same files, each
with its position (`static/NAME:1:1: static: ...`, the name escaped)."""

from __future__ import annotations

from pathlib import Path

from conftest import SITE_YAML, TODAY, build_site, run_main, scratch_content, tree_hash

from hubsite.render.publishing import parse_headers

ABOUT = "---\ntitle: About\n---\nWho we are.\n"

# name under content/static/ -> (how an error line shows it, a word of the reason)
REFUSED = {
    "x\n  Refresh: 0; url=http:\\\\attacker.example": (r"x\n\x20\x20Refresh:\x200;\x20url=http:\\attacker.example", "syntax"),
    "a\rb": (r"a\rb", "syntax"),
    "two words.txt": (r"two\x20words.txt", "syntax"),
    "nbsp\u00a0.txt": (r"nbsp\xa0.txt", "syntax"),
    "100%.txt": ("100%.txt", "'%'"),
    "why?.txt": ("why?.txt", "'?'"),
    "<b>.txt": ("<b>.txt", "'<', '>'"),
    "quote'.txt": ("quote'.txt", "U+0027 APOSTROPHE"),
    "_worker.js": ("_worker.js", "settings"),
    "_routes.json": ("_routes.json", "settings"),
    "_Redirects": ("_Redirects", "settings"),
    "Netlify.TOML": ("Netlify.TOML", "settings"),
    "staticwebapp.config.json": ("staticwebapp.config.json", "settings"),
    ".htaccess": (".htaccess", "settings"),
    ".nojekyll": (".nojekyll", "settings"),
    "_notes.txt": ("_notes.txt", "'_'"),
    ".env": (".env", "'.'"),
    ".well-known/.hidden": (".well-known/.hidden", "'.'"),
    "Index.html": ("Index.html", "(index.html on macOS and Windows disks), which the site writes itself"),
    "ROBOTS.txt": ("ROBOTS.txt", "which the site writes itself"),
    "404.html/notes.txt": ("404.html", "which the site writes itself"),  # a folder where the site writes a file
    "en/404.html": ("en", "where the site writes its own pages"),
    "HUBS/example-hub/index.html": ("HUBS", "where the site writes its own pages"),
    "Host/apply/notes.txt": ("Host", "where the site writes its own pages"),
    "about/notes.txt": ("about", "where the site writes its own pages"),  # a page of content/pages/
    "verify1234.html": ("verify1234.html", "DNS"),
    "map.svg": ("map.svg", "browser"),
    "page.html.txt": ("page.html.txt", "browser"),
    "worker.MJS": ("worker.MJS", "browser"),
    "cafe\u0301.txt": ("cafe\u0301.txt", "NFC"),
    "con.txt": ("con.txt", "Windows"),
    "trailing.": ("trailing.", "Windows"),
}
ACCEPTED = {
    "CNAME": "hubs.example.org\n",
    ".well-known/security.txt": "Contact: mailto:security@example.org\n",
    "prospectus-été_2026.pdf": "%PDF-1.7\n",
    "files/map~v2@print+a4,b=1.png": "\x89PNG\r\n",
}


def static_files(names: dict[str, str] | list[str]) -> dict[str, str | bytes]:
    return {f"static/{name}": names[name] if isinstance(names, dict) else b"x" for name in names}


def static_errors(err: str) -> set[str]:
    return {line for line in err.splitlines() if "/static/" in line}


def test_check_and_build_refuse_every_unsafe_static_file_each_once_at_its_name(tmp_path: Path) -> None:
    content = scratch_content(tmp_path / "content", {"pages/about.md": ABOUT, **static_files(list(REFUSED))})
    checked = run_main("check", "--content", str(content), "--today", TODAY)
    built = run_main("build", "--content", str(content), "--out", str(tmp_path / "site"), "--today", TODAY)
    assert (checked.code, built.code) == (1, 1), built.err
    assert static_errors(checked.err) == static_errors(built.err)
    for shown, word in REFUSED.values():
        lines = [line for line in checked.lines if line.startswith(f"{content}/static/{shown}:1:1: static: ")]
        assert len(lines) == 1 and word in lines[0], (shown, word, lines)
    assert len(static_errors(checked.err)) == len(REFUSED)
    assert not (tmp_path / "site").exists()


def test_names_that_differ_only_by_letter_case_are_refused(tmp_path: Path) -> None:
    content = scratch_content(tmp_path / "content", static_files(["NOTES.txt", "notes.txt", "Docs/a.txt", "docs/b.txt", "Straße.txt", "STRASSE.txt"]))
    for result in (run_main("check", "--content", str(content), "--today", TODAY),
                   run_main("build", "--content", str(content), "--out", str(tmp_path / "site"), "--today", TODAY)):
        assert result.code == 1
        assert static_errors(result.err) == {
            f"{content}/static/notes.txt:1:1: static: this file's path differs from static/NOTES.txt only by letter case or Unicode form; keep one spelling",
            f"{content}/static/docs/b.txt:1:1: static: this file's path differs from static/Docs only by letter case or Unicode form; keep one spelling",
            f"{content}/static/Straße.txt:1:1: static: this file's path differs from static/STRASSE.txt only by letter case or Unicode form; keep one spelling",
        }, result.err


def test_a_site_in_several_languages_keeps_every_language_folder(tmp_path: Path) -> None:
    site_yaml = SITE_YAML.replace("language: en", "languages: [en, fr]")
    names = ["fr/hubs/fake-hub/index.html", "FR/hubs/example-hub/calendar.ics", "En/notes.txt"]
    content = scratch_content(tmp_path / "content", {"site.yaml": site_yaml, **static_files(names)})
    for result in (run_main("check", "--content", str(content), "--today", TODAY),
                   run_main("build", "--content", str(content), "--out", str(tmp_path / "site"), "--today", TODAY)):
        assert result.code == 1
        assert {line.partition(":1:1:")[0] for line in static_errors(result.err)} == {f"{content}/static/{key}" for key in ("fr", "FR", "En")}
        assert all("where the site writes its own pages" in line for line in static_errors(result.err))
    assert not (tmp_path / "site").exists()


def test_static_files_add_only_their_own_rules_to_headers_and_a_hostile_name_none(tmp_path: Path) -> None:
    """The issue's attack: a name with a line break and an indented header line became a rule of
    its own (`Refresh` on every page); now the build refuses it and the site stays as it was."""
    plain, site = tmp_path / "plain", tmp_path / "site"
    build_site(scratch_content(tmp_path / "without"), plain)
    content = scratch_content(tmp_path / "content", static_files(ACCEPTED))
    build_site(content, site)
    for name, text in ACCEPTED.items():
        assert (site / name).read_bytes() == text.encode()
    ours = dict(parse_headers((plain / "_headers").read_text()))
    rules = dict(parse_headers((site / "_headers").read_text()))
    assert set(rules) - set(ours) == {"/CNAME", "/.well-known/*", "/prospectus-été_2026.pdf", "/files/*"}
    assert all(rules[rule] == ours[rule] for rule in ours)
    home = rules["/"]  # a file of content/static/ is a page's equal: its policy, and never framed
    assert all(headers == {"Content-Security-Policy": home["Content-Security-Policy"], "X-Frame-Options": "DENY", "Cache-Control": home["Cache-Control"]}
               for rule, headers in rules.items() if rule not in ours)
    before = tree_hash(site)
    (content / "static/x\n  Refresh: 0; url=http:\\\\attacker.example").write_text("x")
    again = run_main("build", "--content", str(content), "--out", str(site), "--today", TODAY)
    assert again.code == 1 and "Refresh" not in (site / "_headers").read_text()
    assert tree_hash(site) == before
