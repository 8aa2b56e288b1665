"""One file of the site, as every generator of the render stage yields it and the writer takes it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple


@dataclass(frozen=True)
class Output:
    """A file of the site: its path relative to the site root, and its bytes."""

    path: str
    data: bytes


class Kept(NamedTuple):
    """A file the last build made from the same inputs (incremental/artifacts.py): the live site has it, under the
    same path, with this hash; the writer links it from there instead of being handed its bytes. A tuple: a
    10,000-hub site takes 90,000 of them from the store on every build."""

    path: str
    digest: str


@dataclass(frozen=True)
class Written:
    """A file a render worker wrote into the tree being made itself (output/writer.write_staged):
    the writer is handed its path and hash, not its bytes."""

    path: str
    digest: str


File = Output | Kept | Written
