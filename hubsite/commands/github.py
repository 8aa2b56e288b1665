"""`check --format github`: the same problems, spoken in GitHub Actions' language.

Each problem becomes a workflow command that GitHub shows on the line at fault in a pull request
(`::error file=content/hubs/x.yaml,line=7,col=3,title=address.city::required: the city or town`),
escaped exactly as GitHub's own toolkit escapes them (@actions/core, `command.ts`: `escapeData`
for the message, `escapeProperty` for the values before it), so that a `%`, a line break or a `::`
quoted from content is shown as written and never read as a command of its own. What the toolkit
leaves alone but a log line must not hold (other control characters, the Unicode line separators,
bidi controls) is then written as an escape (problems.printable).

`step_summary` is the Markdown table the job summary shows (`$GITHUB_STEP_SUMMARY`), every cell
escaped for Markdown and HTML.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

from hubsite.problems import Problem, printable, summarize


def escape_data(text: str) -> str:
    """The toolkit's escapeData: what follows the last `::` of a command."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """The toolkit's escapeProperty: a `key=value` before the message, where `:` and `,` end a value."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(problem: Problem) -> str:
    """One problem as a workflow command (`::error ...::` or `::warning ...::`), on one line."""
    properties = {"file": problem.path, "line": str(problem.line), "col": str(problem.col), "title": problem.field or problem.severity}
    written = ",".join(f"{key}={printable(escape_property(value))}" for key, value in properties.items())
    return f"::{problem.severity} {written}::{printable(escape_data(problem.message))}"


def unplaced_annotation(severity: str, title: str, message: str) -> str:
    """A finding without a file of the repository (a broken link of the built site) as a command."""
    return f"::{severity} title={printable(escape_property(title))}::{printable(escape_data(message))}"


_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>])")


def markdown_cell(text: str) -> str:
    """Text in a cell of a Markdown table, shown as written: HTML escaped, Markdown's punctuation
    backslash-escaped (so a `|` cannot end the cell, nor a `[x](y)` make a link), line breaks as `<br>`."""
    escaped = _MARKDOWN.sub(r"\\\1", html.escape(text, quote=True))
    return "<br>".join(printable(line) for line in re.split(r"\r\n|\r|\n", escaped))


def step_summary(problems: Iterable[Problem], verdict: str) -> str:
    """The job summary: a heading, the verdict, and a table of the problems (none: a line saying so)."""
    listed = sorted(problems)
    lines = ["## Content check", "", markdown_cell(verdict), ""]
    if not listed:
        return "\n".join([*lines, "No problems found.", ""])
    lines += ["| | File | Line | Column | Field | Problem |", "|---|---|---|---|---|---|"]
    for problem in listed:
        cells = [problem.severity, problem.path, str(problem.line), str(problem.col), problem.field, problem.message]
        lines.append("| " + " | ".join(markdown_cell(cell) for cell in cells) + " |")
    counts = [summarize(listed, severity) for severity in ("error", "warning") if any(p.severity == severity for p in listed)]
    return "\n".join([*lines, "", markdown_cell("; ".join(counts)), ""])
