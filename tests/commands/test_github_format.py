"""`check --format github`: problems as GitHub workflow commands, parsed back the way the Actions
runner reads them, a job summary, and the pull-request workflow that runs it."""

from __future__ import annotations

import os
import re
from pathlib import Path

import yaml
from conftest import HUB_YAML, ROOT, TODAY, run_cli, scratch_content

from hubsite.commands.github import annotation, escape_data, escape_property, markdown_cell
from hubsite.problems import Problem

_COMMAND = re.compile(r"^::(?P<name>[a-z]+)(?: (?P<properties>[^:]*?))?::(?P<data>.*)$")


def unescape_property(text: str) -> str:
    """As the runner does (ActionCommand.UnescapeProperty): %25 last."""
    return text.replace("%0D", "\r").replace("%0A", "\n").replace("%3A", ":").replace("%2C", ",").replace("%25", "%")


def unescape_data(text: str) -> str:
    return text.replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%")


def parse_command(line: str) -> tuple[str, dict[str, str], str]:
    """A workflow command line as the runner parses it: its name, properties and message."""
    match = _COMMAND.match(line)
    assert match, line
    properties = dict(pair.split("=", 1) for pair in (match["properties"] or "").split(",") if pair)
    return match["name"], {key: unescape_property(value) for key, value in properties.items()}, unescape_data(match["data"])


HOSTILE_LINK = "50% off\\r\\n::error file=x.yaml::pwned, %0A"
HOSTILE_TEXT = "50% off\r\n::error file=x.yaml::pwned, %0A"


def hostile_content(root: Path) -> Path:
    broken = HUB_YAML.replace("signup_url: https://example.org/signup", f'signup_url: "{HOSTILE_LINK}"')
    warned = HUB_YAML.replace("address: {line1: 1 Main Street, city: Nairobi, country: KE}", "address: {city: Nairobi, country: KE}")
    return scratch_content(root, {"hubs/example-hub.yaml": broken, "hubs/other-hub.yaml": warned})


def test_problems_parse_back_to_their_file_line_and_column(tmp_path: Path) -> None:
    content = hostile_content(tmp_path / "content")
    text = run_cli("check", "--content", str(content), "--today", TODAY)
    github = run_cli("check", "--content", str(content), "--today", TODAY, "--format", "github")
    assert text.code == github.code == 1
    commands = [parse_command(line) for line in github.out.splitlines() if line.startswith("::")]
    assert [line for line in github.out.splitlines() if not line.startswith("::")] == []
    placed = {(props["file"], int(props["line"]), int(props["col"]), props["title"]) for _, props, _ in commands}
    expected = set()
    for line in text.lines[:-1]:
        path, row, col, rest = line.split(":", 3)
        field = rest.strip().removeprefix("warning: ").split(":", 1)[0]
        expected.add((path, int(row), int(col), field))
    assert placed == expected
    link = next(message for name, props, message in commands if props["title"] == "signup_url")
    assert link.startswith(f"'{HOSTILE_TEXT}' is not a web link")
    severities = {props["title"]: name for name, props, _ in commands}
    assert severities == {"signup_url": "error", "address": "warning"}


def test_content_never_starts_a_command_of_its_own(tmp_path: Path) -> None:
    github = run_cli("check", "--content", str(hostile_content(tmp_path / "content")), "--today", TODAY, "--format", "github")
    for line in (github.out + github.err).splitlines():
        assert not line.lstrip().startswith("::") or parse_command(line)[0] in ("error", "warning"), line
        assert "pwned" not in line or parse_command(line)[1]["title"] == "signup_url", line


def test_escaping_is_the_toolkits() -> None:
    assert escape_data("a%b\r\nc::d,e:f") == "a%25b%0D%0Ac::d,e:f"
    assert escape_property("a%b\r\nc::d,e") == "a%25b%0D%0Ac%3A%3Ad%2Ce"
    problem = Problem("content/hubs/a,b.yaml", 3, 7, "sessions[0].time", "100% wrong\n::warning::x\u2028y\x1b")
    name, props, message = parse_command(annotation(problem))
    assert (name, props) == ("error", {"file": "content/hubs/a,b.yaml", "line": "3", "col": "7", "title": "sessions[0].time"})
    assert message == "100% wrong\n::warning::x\\u2028y\\x1b"  # what no toolkit escape covers is written as an escape
    assert "\n" not in annotation(problem) and "\u2028" not in annotation(problem)


def test_job_summary_is_a_table_with_content_escaped(tmp_path: Path) -> None:
    content = hostile_content(tmp_path / "content")
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    result = run_cli("check", "--content", str(content), "--today", TODAY, "--format", "github", env={**os.environ, "GITHUB_STEP_SUMMARY": str(summary)})
    assert result.code == 1
    written = summary.read_text(encoding="utf-8")
    assert written.startswith("earlier step\n## Content check")
    rows = [line for line in written.splitlines() if line.startswith("| error") or line.startswith("| warning")]
    assert len(rows) == 2
    assert all(len(re.findall(r"(?<!\\)\|", row)) == 7 for row in rows)  # six cells: no | from content ends one
    assert "50% off<br>" in written and "\n::" not in written


def test_markdown_cell_escapes_links_html_and_pipes() -> None:
    cell = markdown_cell("[click](javascript:alert(1)) <b>x</b> | y\nz")
    assert "<b>" not in cell and "](" not in cell and " | " not in cell
    assert cell == "\\[click\\]\\(javascript:alert\\(1\\)\\) &lt;b&gt;x&lt;/b&gt; \\| y<br>z"


def test_check_without_problems_says_so_in_the_summary(tmp_path: Path) -> None:
    content = scratch_content(tmp_path / "content")
    summary = tmp_path / "summary.md"
    result = run_cli("check", "--content", str(content), "--today", TODAY, "--format", "github", env={**os.environ, "GITHUB_STEP_SUMMARY": str(summary)})
    assert result.code == 0, result.err
    assert "No problems found." in summary.read_text(encoding="utf-8")
    assert result.out.startswith("checked 1 hubs")


def test_pull_request_workflow_is_read_only_and_pinned() -> None:
    source = (ROOT / ".github/workflows/check.yml").read_text(encoding="utf-8")
    workflow = yaml.load(source, Loader=yaml.BaseLoader)  # BaseLoader: `on` stays the key "on"
    assert list(workflow["on"]) == ["pull_request"]
    assert workflow["permissions"] == {"contents": "read"}
    code = "\n".join(line.partition("#")[0] for line in source.splitlines())  # the comments may name what is never done
    assert "pull_request_target" not in code and "secrets" not in code and "write" not in code
    steps = [step for job in workflow["jobs"].values() for step in job["steps"]]
    assert all(re.fullmatch(r"[\w-]+/[\w-]+@[0-9a-f]{40}", step["uses"]) for step in steps if "uses" in step)
    assert all("permissions" not in job for job in workflow["jobs"].values())
    runs = [step["run"] for step in steps if "run" in step]
    assert any(run.startswith("python build.py check --links --format github") for run in runs)


def test_every_workflow_runs_actions_pinned_to_a_commit() -> None:
    """A tag can be moved to other code; a commit cannot. Every workflow (the site's deploy too)."""
    for path in sorted([*(ROOT / ".github/workflows").glob("*.yml"), *(ROOT / ".github/workflows").glob("*.yaml")]):
        workflow = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
        used = [step["uses"] for job in workflow["jobs"].values() for step in job.get("steps", []) if "uses" in step]
        assert used and all(re.fullmatch(r"[\w-]+/[\w-]+@[0-9a-f]{40}", uses) for uses in used), path.name
