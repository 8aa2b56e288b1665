"""What one build keeps for the next: tables of values by key.

Every value kept is a pure function of its key (the key holds every input it was made from), so
taking one can never make an output stale. `serve` keeps one `Store` in memory across its
rebuilds; `build` opens one on disk beside the site (.hubsite-cache/) and saves what it used.
What a build did not use is dropped after it, so a store stays the size of one site.

On disk a table is a folder of shards (its keys spread over SHARDS pickles by a hash of each key):
a build rewrites only the shards whose values changed, so an edit of one hub of 10,000 writes a
few of them, not the whole table. A table is loaded only when a build first asks it for a value.
Each shard is signed with a key kept outside the project (the user's cache folder): a shard a
pull request plants in the project's .hubsite-cache/ does not carry a valid signature, so it is
never unpickled. A shard that is missing, unsigned or unreadable is empty: a build can always
take nothing and make all. Shards written by builds that stopped half-way may mix: as a value
depends on its key alone, a value of either is right.
"""

from __future__ import annotations

import gc
import hmac
import os
import pickle
import secrets
import zlib
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager, suppress
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

from hubsite.fingerprint import code_fingerprint
from hubsite.options import BuildOptions

Value = TypeVar("Value")

STORE_VERSION = b"hubsite-store 1\n"  # then the code's fingerprint: tables made by other code are not read
SIGNATURE_BYTES = 32
SHARDS = 128  # pickles per table on disk: an edit rewrites a few of them
_ABSENT = object()  # no value of this build yet


class Table:
    """One kind of kept value (parsed files, place checks, rendered outputs...), by key."""

    def __init__(self, load: Callable[[], list[dict[Hashable, Any]]]) -> None:
        self._load = load
        self.group: Callable[[Hashable], Hashable] | None = None  # on disk: what decides a new key's shard (Store.table)
        self._kept: dict[Hashable, Any] | None = None  # the last good build's values, loaded when first asked
        self.on_disk: list[dict[Hashable, Any]] = []  # on disk: each shard's values as read (or saved)
        self.shard_of: dict[Hashable, int] = {}  # on disk: the shard each key was read from or saved to
        self.fresh: set[Hashable] = set()  # the keys whose value this build made or put in place of the last one's
        self.used: dict[Hashable, Any] = {}  # what this build made or took
        self.taken = 0  # values of this build that came from the last one
        self.last_taken = 0  # values the last finished build took

    @property
    def kept(self) -> dict[Hashable, Any]:
        if self._kept is None:
            self.on_disk = self._load()
            self._kept, self.shard_of = {}, {}
            for shard, values in enumerate(self.on_disk):
                self._kept.update(values)
                self.shard_of.update(dict.fromkeys(values, shard))
        return self._kept

    def get(self, key: Hashable, make: Callable[[], Value]) -> Value:
        """The value of `key`: this build's, the last build's, or made now."""
        value = self.used.get(key, _ABSENT)  # one lookup each (a key of many parts is hashed anew every time)
        if value is not _ABSENT:
            return value
        value = self.kept.get(key, _ABSENT)
        if value is _ABSENT:
            value = make()
            self.fresh.add(key)  # once made: a make that raises leaves nothing to save
        else:
            self.taken += 1
        self.used[key] = value
        return value

    def find(self, key: Hashable, default: Any = None) -> Any:
        """The value of `key` if this or the last build has it, without making it (for values made
        elsewhere, in worker processes, and handed back with `put`)."""
        value = self.used.get(key, _ABSENT)
        if value is not _ABSENT:
            return value
        value = self.kept.get(key, _ABSENT)
        if value is _ABSENT:
            return default
        self.taken += 1
        self.used[key] = value
        return value

    def put(self, key: Hashable, value: Any) -> None:
        """A value made elsewhere (a worker process) for this build, or made again in place of the
        last build's that `find` handed out (an artifact whose inputs changed): either way the
        table on disk must be saved, or the next build finds the stale value again."""
        if self.used.get(key, _ABSENT) is not value:
            self.fresh.add(key)
        self.used[key] = value

    @property
    def made(self) -> int:
        """Values this build made (or put in place of the last build's)."""
        return len(self.fresh)

    def retain(self, still_valid: Callable[[Hashable], bool]) -> None:
        """Keep for the next build, too, what the last one left that this one did not ask for but
        that is still valid: parts of a file this build took whole, which the next may need."""
        for key, value in self.kept.items():
            if key not in self.used and still_valid(key):
                self.used[key] = value

    def next_build(self) -> None:
        """This build's values become the last build's (on disk: as save_table left them)."""
        self._kept, self.used, self.last_taken, self.taken, self.fresh = self.used, {}, self.taken, 0, set()

    def forget_this_build(self) -> None:
        self.used, self.taken, self.fresh = {}, 0, set()


class Store:
    """Tables kept from build to build: in memory only (`folder` None, as `serve` keeps them),
    or also on disk in `folder`, read lazily and saved by `commit`."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder
        self.tables: dict[str, Table] = {}

    def table(self, name: str, group: Callable[[Hashable], Hashable] | None = None) -> Table:
        """The table `name`. `group`: what a key's shard follows, if not the whole key: the
        values of one group (a hub's pages in every language) are saved in one shard, so an edit
        that makes them again rewrites that shard, not one per language."""
        if name not in self.tables:
            self.tables[name] = Table(lambda: read_table(self.folder, name) if self.folder is not None else [])
        if group is not None:
            self.tables[name].group = group
        return self.tables[name]

    def commit(self) -> None:
        """A build succeeded: what it used is what the next one may take (saved, with a folder);
        what it did not use is forgotten."""
        for name, table in sorted(self.tables.items()):
            if self.folder is not None:
                save_table(self.folder, name, table)
            table.next_build()
        if self.folder is not None:
            for whole in self.folder.glob("*.pickle"):  # a table as earlier versions saved it, in one file: read no more
                with suppress(OSError):  # a folder of that name, a read-only store: left, as any file no build reads
                    whole.unlink()

    def discard(self) -> None:
        """A build failed: forget what it made; keep what the last good build had."""
        for table in self.tables.values():
            table.forget_this_build()


# --- on disk ------------------------------------------------------------------------------------


def table_folder(folder: Path, name: str) -> Path:
    return folder / name


def shard_path(folder: Path, name: str, shard: int) -> Path:
    return table_folder(folder, name) / f"{shard:03d}.pickle"


def shard_for(key: Hashable) -> int:
    """The shard of a key not read from one: a hash of its repr (the same in every process)."""
    return zlib.crc32(repr(key).encode()) % SHARDS


def read_table(folder: Path, name: str) -> list[dict[Hashable, Any]]:
    """The values of a table saved by earlier builds, shard by shard (those signed by us)."""
    with out_of_collections():
        return [read_shard(shard_path(folder, name, shard)) for shard in range(SHARDS)]


@contextmanager
def out_of_collections() -> Iterator[None]:
    """For unpickling what earlier builds kept: millions of objects that live as long as the build
    and hold no reference cycles. The garbage collector would look at them again and again and
    free none (a tenth of a one-hub edit at 10,000 hubs): it waits while they are made, and they
    are then frozen out of its sight; pipeline.fewer_collections lets it see them again when the
    build ends."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def read_shard(path: Path) -> dict[Hashable, Any]:
    """One shard, if its signature is ours; otherwise nothing."""
    try:
        data = path.read_bytes()
    except OSError:
        return {}
    body = verified(data)
    if body is None or not body.startswith(table_header()):
        return {}
    try:
        values = pickle.loads(body[len(table_header()):])  # noqa: S301 - signed with our own key (see signing_key)
    except Exception:  # a table pickled by other code (a class since renamed): make everything again
        return {}
    return values if isinstance(values, dict) else {}


def save_table(folder: Path, name: str, table: Table) -> None:
    """Rewrite the shards of a table whose values are not those it holds on disk (one of its
    values made again, or one dropped), and remove those left empty. Only the keys made again and
    dropped are gone through in Python (the dropped found by one set difference): not the table's
    90,000 values at 10,000 hubs, as each shard's content was."""
    kept, used, shard_of = table.kept, table.used, table.shard_of  # what is on disk: loaded if this build did not ask
    fresh: dict[int, list[Hashable]] = {}
    for key in table.fresh:
        if key not in shard_of:  # a key new on disk; one made again stays in its shard
            shard_of[key] = shard_for(key if table.group is None else table.group(key))
        fresh.setdefault(shard_of[key], []).append(key)
    changed = fresh.keys() | {shard_of[key] for key in kept.keys() - used.keys()}
    on_disk = table.on_disk or [{} for _ in range(SHARDS)]
    for shard in sorted(changed):
        values = {key: used[key] for key in on_disk[shard] if key in used}
        values.update((key, used[key]) for key in fresh.get(shard, ()))
        save_shard(shard_path(folder, name, shard), values)
        on_disk[shard] = values
    table.on_disk = on_disk


def save_shard(path: Path, values: dict[Hashable, Any]) -> None:
    """Write a shard whole or not at all (none, when it holds nothing); a shard that cannot be
    saved is simply not kept."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.new")
    try:
        if not values:
            path.unlink(missing_ok=True)
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_bytes(signed(table_header() + pickle.dumps(values, protocol=pickle.HIGHEST_PROTOCOL)))
        temporary.replace(path)
    except OSError:
        temporary.unlink(missing_ok=True)


def table_header() -> bytes:
    return STORE_VERSION + code_fingerprint().encode() + b"\n"


def signed(body: bytes) -> bytes:
    """`body` with this user's signature before it."""
    return signature(body) + body


def verified(data: bytes) -> bytes | None:
    """What `signed` wrapped, if the signature is this user's; None otherwise."""
    head, body = data[:SIGNATURE_BYTES], data[SIGNATURE_BYTES:]
    return body if len(head) == SIGNATURE_BYTES and hmac.compare_digest(head, signature(body)) else None


def signature(body: bytes) -> bytes:
    """HMAC-SHA-256: processors hash SHA-256 in hardware, twice as fast here as keyed BLAKE2b over
    the 300 MB of a 10,000-hub store."""
    return hmac.digest(signing_key(), body, "sha256")


@cache
def signing_key() -> bytes:
    """The key that signs this user's tables: kept in the user's cache folder, outside any project,
    made once. Where it cannot be kept, a key for this process only (nothing read back is then
    trusted, so later builds make everything again)."""
    try:
        folder = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "hubsite"
    except RuntimeError:  # no home folder (a user id without a passwd entry and no HOME)
        return secrets.token_bytes(SIGNATURE_BYTES)
    path = folder / "store-key"
    try:
        key = path.read_bytes()
        if len(key) == SIGNATURE_BYTES:
            return key
    except OSError:
        pass
    key = secrets.token_bytes(SIGNATURE_BYTES)
    temporary = folder / f".store-key.{os.getpid()}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        temporary.write_bytes(key)
        os.chmod(temporary, 0o600)
        os.link(temporary, path)  # fails if another process made one first: then take theirs
    except FileExistsError:
        try:
            key = path.read_bytes()
        except OSError:  # there, but not to be read (a folder, another user's file): a key for this process
            key = b""
    except OSError:
        pass
    try:
        temporary.unlink(missing_ok=True)
    except OSError:
        pass
    return key if len(key) == SIGNATURE_BYTES else secrets.token_bytes(SIGNATURE_BYTES)


def open_store(options: BuildOptions) -> Store:
    """The store of builds into `options.out_dir`: on disk beside it when the build keeps a cache."""
    if options.cache_dir is None:
        return Store()
    return Store(options.cache_dir / f"{options.out_dir.absolute().name}.store")
