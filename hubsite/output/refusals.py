"""What the output stage refuses to do, and what the system refused it: each one line for the person
building, and the previous site always left as it was."""

from __future__ import annotations

from hubsite.problems import HubsiteError


class OutputRefused(HubsiteError):
    """The output folder cannot be written as asked (a usage error, not a content error)."""

    exit_code = 2


class WriteFailed(HubsiteError):
    """The system refused a write (no space, read-only, permissions); the previous site is unchanged."""


class KeptFileGone(Exception):
    """A file a kept artifact names (incremental/artifacts.py) is no longer in the live site as the
    last build left it: the build starts again, taking nothing. Never shown to anyone."""


def reason(error: OSError) -> str:
    """'no space left on device': the system's words, as a clause."""
    text = error.strerror or str(error)
    return text[:1].lower() + text[1:]
