"""The shelf (memo.Shelf) on disk: what the last build rendered, unit by unit, kept in .hubsite-cache/
beside the manifest under the id of the tree it describes, so that it is only ever read for that
tree. It holds paths and byte ranges, never bytes: the bytes are the live site's, named by the
manifest's hashes, and every one read back is checked against them.

It is plain JSON, like the manifest, and trusted as far as the manifest is: it can only name files
of the site in place, never run anything.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hubsite.memo import Shelf, Unit
from hubsite.output.manifest import SHELF_SUFFIX, manifest_folder, marker_id
from hubsite.output.writer import target_path, unchanged_bytes

SHELF_VERSION = 1


def open_shelf(out_dir: Path, manifest: dict[str, Any] | None) -> Shelf:
    """The shelf of the site in `out_dir` (empty when there is none, or it is unreadable): a build
    can always take nothing and render everything."""
    files: dict[str, str] = manifest["files"] if manifest else {}
    tree = marker_id(out_dir)
    units: dict[str, Unit] = {}
    if manifest and tree:
        try:
            stored = json.loads((manifest_folder(out_dir) / f"{tree}{SHELF_SUFFIX}").read_text(encoding="utf-8"))
            if stored.get("version") == SHELF_VERSION:
                units = {key: (tuple(paths), start, stop) for key, (paths, start, stop) in stored["units"].items()}
        except (OSError, ValueError, TypeError, AttributeError, KeyError):
            units = {}
    return Shelf(files, units, lambda path: live_bytes(out_dir, path, files))


def empty_shelf(shelf: Shelf) -> Shelf:
    """The same live site, nothing on the shelf: for a build again after a kept file went missing."""
    return Shelf(shelf.files, {}, shelf.read)


def live_bytes(out_dir: Path, path: str, files: dict[str, str]) -> bytes | None:
    """A file of the live site, if its bytes are still those its manifest names."""
    return unchanged_bytes(target_path(out_dir.absolute(), path), files[path]) if path in files else None


def shelf_text(shelf: Shelf) -> str:
    """What save_manifest keeps beside the manifest: the units this build made or took."""
    units = {key: [list(paths), start, stop] for key, (paths, start, stop) in sorted(shelf.made.items())}
    return json.dumps({"version": SHELF_VERSION, "units": units}, separators=(",", ":"))
