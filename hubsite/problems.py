"""Positioned problems, and the exceptions hubsite ends a command with: every one a
HubsiteError, which carries the message the person reads and the exit code.

Not a pipeline stage: every stage may import it.
"""

from __future__ import annotations

import re
import traceback
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]

# What must never reach a terminal or a CI log raw: C0 and C1 controls (a line break from content
# would start a line of its own, where GitHub Actions reads `::error ...::` as a command), DEL,
# the Unicode line and paragraph separators, and the bidirectional controls that reorder a line.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


def printable(text: str) -> str:
    """`text` as one line of output: every character _UNPRINTABLE matches written as an escape
    (`\\n`, `\\x1b`, `\\u202e`), so content quoted in a message can never start a line."""
    return _UNPRINTABLE.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    return match.group().encode("unicode_escape").decode("ascii")


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the content, located as precisely as we can."""

    path: str
    line: int
    col: int
    field: str
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}:{self.col}"
        prefix = "warning: " if self.severity == "warning" else ""
        if self.field:
            return printable(f"{where}: {prefix}{self.field}: {self.message}")
        return printable(f"{where}: {prefix}{self.message}")


def plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def summarize(problems: Iterable[Problem], severity: Severity = "error") -> str:
    """Return 'N errors in M files' for the problems of one severity."""
    chosen = [p for p in problems if p.severity == severity]
    files = {p.path for p in chosen}
    return f"{plural(len(chosen), severity)} in {plural(len(files), 'file')}"


class HubsiteError(Exception):
    """A refusal or failure to report in plain words: `python build.py` prints it and exits with `exit_code`."""

    exit_code = 1


class BuildFailed(HubsiteError):
    """The content has errors; nothing was written."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = sorted(set(problems))
        super().__init__(summarize(self.problems))

    def __reduce__(self) -> tuple[type[BuildFailed], tuple[list[Problem]]]:
        """Pickle by problems, so the error crosses from a render worker intact."""
        return (BuildFailed, (self.problems,))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


def template_problem(error: BaseException) -> str | None:
    """A template error as one line, 'templates/hub.html:12: template: message', else None.

    Errors raised in a render worker arrive with the worker's traceback as text (the cause
    multiprocessing attaches); the template's file and line are read from it.
    """
    import jinja2  # only when something failed

    if isinstance(error, jinja2.TemplateSyntaxError):
        return f"{error.filename or error.name}:{error.lineno}: template: {error.message}"
    if not isinstance(error, jinja2.TemplateError):
        return None
    frames = [f"{f.filename}:{f.lineno}" for f in traceback.extract_tb(error.__traceback__) if f.filename.endswith(".html")]
    frames += [f"{name}:{line}" for name, line in re.findall(r'File "([^"]+\.html)", line (\d+)', str(getattr(error.__cause__, "tb", "")))]
    where = f"{frames[-1]}: " if frames else ""
    return f"{where}template: {type(error).__name__}: {error}"
