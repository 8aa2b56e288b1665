"""What is recorded about the site's two trees, in .hubsite-cache/ beside the site: the tree in
place and the spare (the tree before it, which the next build brings up to date).

A tree's id is the hash of its file list (every path and hash), and the tree's own `.hubsite`
marker names it, so a record can never be read for another tree than the one it describes,
whatever moment a build was stopped at. For each tree id there is:

- `ID.files`: the file list, `path NUL hash NUL ...` sorted by path (a NUL is the one character no
  path can hold); read back only if it still hashes to ID;
- `ID-INODE.folders`: the mtime and number of entries of each of its folders, for the physical tree whose root folder
  is INODE (two trees may hold the same files), which finds files no build wrote (folders.py);
- for the tree in place, `ID.json`: the digest of its inputs and its summary.
"""

from __future__ import annotations

import hashlib
import json
import os
import struct
import sys
from array import array
from pathlib import Path
from typing import Any

from hubsite import urls
from hubsite.incremental.store import SIGNATURE_BYTES, signed, verified
from hubsite.options import cache_folder, display_path
from hubsite.output.refusals import WriteFailed, reason

MARKER_TEXT = "This folder is written by hubsite and replaced on every build.\n"
MANIFEST_VERSION = 3

# Each folder of a tree ("" is its root) -> its mtime in ns when it held only the tree's own entries
# (0: not known), and how many entries it holds then.
Stamps = dict[str, tuple[int, int]]


def file_list(files: dict[str, str]) -> bytes:
    """`path NUL hash NUL ...` sorted by path: the paths sorted alone, as strings (sorting the
    140,000 pairs of a nine-language site took twice as long), each hash put after its path."""
    paths = sorted(files)
    listing = [""] * (2 * len(paths))
    listing[0::2] = paths
    listing[1::2] = map(files.__getitem__, paths)
    return "\0".join(listing).encode()


def tree_id(listing: bytes) -> str:
    """The id of a whole tree, from its file list: what the marker and the records share."""
    return hashlib.blake2b(listing, digest_size=16).hexdigest()


def marker_text(tree: str) -> str:
    return f"{MARKER_TEXT}tree: {tree}\n"


def manifest_folder(out_dir: Path) -> Path:
    return cache_folder(out_dir) / f"{out_dir.absolute().name}.manifest"


def spare_folder(out_dir: Path) -> Path:
    """Where the tree not in place waits for the next build: in .hubsite-cache/, or beside the
    site when the cache is on another file system (a folder can only swap places on its own)."""
    out_dir, cache = out_dir.absolute(), cache_folder(out_dir)
    cache.mkdir(parents=True, exist_ok=True)
    if os.stat(cache).st_dev == os.stat(out_dir.parent).st_dev:
        return cache / f"{out_dir.name}.spare"
    return out_dir.with_name(f".{out_dir.name}.spare")


def aside_folder(spare: Path) -> Path:
    """Where the site waits for a moment during a swap on a system without an atomic exchange."""
    return spare.with_suffix(".aside")


def marker_id(root: Path) -> str | None:
    """The tree id that a tree's marker names, or None (no marker, or one from an older hubsite)."""
    try:
        text = (root / urls.MARKER).read_text(encoding="utf-8")
    except (OSError, ValueError):
        return None
    found = [line.removeprefix("tree: ") for line in text.splitlines() if line.startswith("tree: ")]
    return found[0] if found and found[0].isalnum() else None


def root_inode(root: Path) -> int | None:
    try:
        return os.stat(root).st_ino
    except OSError:
        return None


# The file lists read by this process, by their file's identity, with whether this user signed
# them: a build reads each one or two times, signed or not.
_READ: dict[tuple[str, int, int, int], tuple[dict[str, str], bool]] = {}


def read_files(out_dir: Path, tree: str, *, signed_only: bool = True) -> dict[str, str] | None:
    """The files of tree `tree` (path -> hash), or None when its list is missing, damaged or (with
    `signed_only`) not signed by this user's key; without it, whatever key signed it, for what may
    only refuse, never trust: files no build wrote in the site. Callers must not change the dict."""
    path = manifest_folder(out_dir) / f"{tree}.files"
    try:
        info = os.stat(path)
        identity = (str(path), info.st_ino, info.st_size, info.st_mtime_ns)
        if identity not in _READ:
            data = path.read_bytes()
            body = verified(data)
            listing = body if body is not None else data[SIGNATURE_BYTES:]
            if tree_id(listing) != tree:
                return None
            parts = listing.decode("utf-8").split("\0") if listing else []
            if len(_READ) >= 2:
                del _READ[next(iter(_READ))]
            _READ[identity] = dict(zip(parts[0::2], parts[1::2], strict=True)), body is not None
        files, signed = _READ[identity]
    except (OSError, ValueError):
        return None
    return files if signed or not signed_only else None


def save_files(out_dir: Path, tree: str, listing: bytes) -> None:
    """Save a tree's file list, unless it is there already (the same id, the same list)."""
    folder = manifest_folder(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    if not (folder.parent / ".gitignore").exists():
        (folder.parent / ".gitignore").write_text("*\n")
    if read_files(out_dir, tree) is None:
        save_file(folder / f"{tree}.files", listing)


def stamps_name(tree: str, inode: int) -> str:
    return f"{tree}-{inode}.folders"


def read_stamps(out_dir: Path, tree: str, inode: int) -> Stamps | None:
    """The folder stamps of the physical tree rooted at `inode` holding tree `tree`, or None."""
    try:
        body = read_signed(manifest_folder(out_dir) / stamps_name(tree, inode))
        return None if body is None else decoded_stamps(body)
    except (OSError, ValueError):
        return None


def save_stamps(out_dir: Path, tree: str, inode: int, stamps: Stamps) -> None:
    save_file(manifest_folder(out_dir) / stamps_name(tree, inode), encoded_stamps(stamps))


# Stamps on disk: the length of the folders' names, the names (NUL between them, sorted), then the
# mtimes and the counts, each as an array of signed 64-bit integers in little-endian order: read
# in C, not number by number (a nine-language site has 71,000 folders, read twice a build).
STAMPS_HEAD = struct.Struct("<Q")


def encoded_stamps(stamps: Stamps) -> bytes:
    folders = sorted(stamps)
    names = "\0".join(folders).encode()
    mtimes, counts = array("q", (stamps[folder][0] for folder in folders)), array("q", (stamps[folder][1] for folder in folders))
    if sys.byteorder != "little":
        mtimes.byteswap()
        counts.byteswap()
    return STAMPS_HEAD.pack(len(names)) + names + mtimes.tobytes() + counts.tobytes()


def decoded_stamps(body: bytes) -> Stamps:
    """What encoded_stamps wrote; ValueError when the bytes are not that. The numbers say how many
    folders there are: no names at all is no folder, or the root alone (its name is empty)."""
    if len(body) < STAMPS_HEAD.size:
        raise ValueError("no stamps")
    (length,) = STAMPS_HEAD.unpack_from(body)
    if STAMPS_HEAD.size + length > len(body):
        raise ValueError("stamps of another layout")
    numbers = array("q")
    numbers.frombytes(body[STAMPS_HEAD.size + length :])
    count = len(numbers) // 2
    folders = body[STAMPS_HEAD.size : STAMPS_HEAD.size + length].decode("utf-8").split("\0") if count else []
    if len(numbers) != 2 * len(folders) or (not count and length):
        raise ValueError("stamps of another layout")
    if sys.byteorder != "little":
        numbers.byteswap()
    return dict(zip(folders, zip(numbers[:count], numbers[count:], strict=True), strict=True))


def forget_stamps(out_dir: Path, tree: str, inode: int) -> None:
    """A tree that is not what its file list says (a file of it deleted by hand): never reuse it."""
    (manifest_folder(out_dir) / stamps_name(tree, inode)).unlink(missing_ok=True)


def read_manifest(out_dir: Path) -> dict[str, Any] | None:
    """The manifest of the site in `out_dir` (inputs, summary, files), or None when there is no usable one."""
    tree = marker_id(out_dir)
    if tree is None:
        return None
    try:
        body = read_signed(manifest_folder(out_dir) / f"{tree}.json")
        manifest = json.loads(body.decode("utf-8")) if body is not None else None
    except (OSError, ValueError):
        return None
    if not isinstance(manifest, dict) or manifest.get("version") != MANIFEST_VERSION:
        return None
    files = read_files(out_dir, tree)
    return None if files is None else {**manifest, "files": files}


def save_manifest(out_dir: Path, inputs: str, summary: dict[str, Any]) -> None:
    """Record the digest of the inputs of the tree now in place; forget the records of trees that
    are neither in place nor the spare."""
    folder = manifest_folder(out_dir)
    tree = marker_id(out_dir)
    if tree is None:
        return
    saved = {f"{tree}.json": json.dumps({"version": MANIFEST_VERSION, "inputs": inputs, "summary": summary}, sort_keys=True)}
    try:
        for name, text in saved.items():
            save_file(folder / name, text.encode())
    except OSError as error:
        raise WriteFailed(f"the new site is in place, but its manifest could not be saved in {display_path(folder)}: {reason(error)}; "
                          "the next build will render every file again") from None
    kept = set(saved) | records_of(out_dir, out_dir) | records_of(out_dir, spare_folder(out_dir))
    for other in folder.iterdir():
        if other.name not in kept:
            other.unlink(missing_ok=True)


def records_of(out_dir: Path, root: Path) -> set[str]:
    """The names of the records of the tree at `root`, which the next build reads."""
    tree, inode = marker_id(root), root_inode(root)
    return set() if tree is None or inode is None else {f"{tree}.files", stamps_name(tree, inode)}


def read_signed(path: Path) -> bytes | None:
    """What save_file wrote at `path`, if this user's key signs it."""
    return verified(path.read_bytes())


def save_file(path: Path, data: bytes) -> None:
    """Write a file whole or not at all, signed as the store's tables are (incremental/store.py): a
    record says which live files hold a page's bytes (linked, not written again) and when a build
    has nothing to do, so records planted with a planted site by a pull request are never believed."""
    temporary = path.with_name(f".{path.name}.new")
    try:
        temporary.write_bytes(signed(data))
        temporary.replace(path)
    except OSError:
        temporary.unlink(missing_ok=True)
        raise
