"""The one Jinja environment, built in one place: autoescape on, StrictUndefined so a template
typo fails the build, and the one global every template may use (`urls`). The words are not globals: each page gets its
language's `_`, `ngettext`, `pgettext` (render/catalogues.py) and labels with its context.
"""

from __future__ import annotations

import io
import os
from functools import cache, lru_cache
from pathlib import Path

import jinja2
import jinja2.meta
import jinja2.nodes

from hubsite import urls
from hubsite.incremental.store import signed, verified


def make_environment(templates_dir: Path, cache_dir: Path | None = None) -> jinja2.Environment:
    """`cache_dir`: where compiled templates are kept between builds (Jinja checks each against
    its source, so an edited template is compiled again)."""
    bytecode = None
    try:
        if cache_dir is not None:
            (cache_dir / "templates").mkdir(parents=True, exist_ok=True)
            bytecode = SignedBytecodeCache(str(cache_dir / "templates"))
    except OSError:  # a read-only or full disk: compile the templates again, as without a cache
        bytecode = None
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir)),
        bytecode_cache=bytecode,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # a build's templates do not change under it: no stat of the file at every include
    )
    env.globals.update(urls=urls)
    return env


class SignedBytecodeCache(jinja2.FileSystemBytecodeCache):
    """Compiled templates kept between builds, signed as the store's tables are (incremental/store.py):
    Jinja loads them with marshal, which makes code of whatever it is given, so a file a pull request
    plants in .hubsite-cache/templates/ is never loaded; the template is compiled again instead."""

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            with open(self._get_cache_filename(bucket), "rb") as file:
                body = verified(file.read())
        except OSError:
            return
        if body is not None:
            bucket.load_bytecode(io.BytesIO(body))

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        buffer = io.BytesIO()
        bucket.write_bytecode(buffer)
        path = Path(self._get_cache_filename(bucket))
        temporary = path.with_name(f".{path.name}.{os.getpid()}")
        try:
            temporary.write_bytes(signed(buffer.getvalue()))
            temporary.replace(path)
        except OSError:  # not kept: compiled again next time
            temporary.unlink(missing_ok=True)


def shared_environment(templates_dir: Path, cache_dir: Path | None = None) -> jinja2.Environment:
    """One environment per templates folder, kept across builds in one process (`serve`): compiled
    templates are reused, unless a template's file changed since the last build: known, as content
    files are (incremental/files.py), by size, times and inode, not by the modification time alone
    (which an editor within one tick, `cp -p` or `rsync -a` leaves as it was)."""
    env = kept_environment(templates_dir, cache_dir)
    seen = templates_identity(templates_dir)
    if _identities.get((templates_dir, cache_dir)) != seen and env.cache is not None:
        env.cache.clear()
    _identities[(templates_dir, cache_dir)] = seen
    forget_changed_templates(env)
    return env


# The templates' identities as the last build of each kept environment found them.
_identities: dict[tuple[Path, Path | None], tuple] = {}


def templates_identity(templates_dir: Path) -> tuple:
    """Every template's path, size, modification and change times and inode: a write moves the change time."""
    found = []
    for path in template_files(templates_dir):
        try:
            info = path.stat()
        except OSError:
            continue
        found.append((str(path), info.st_size, info.st_mtime_ns, info.st_ino, info.st_ctime_ns))
    return tuple(found)


def template_files(folder: Path) -> list[Path]:
    """Every file of the templates, through linked folders as Jinja reads them (rglob does not
    follow them), each real folder once."""
    found, seen = [], {os.path.realpath(folder)}
    for where, folders, files in os.walk(folder, followlinks=True):
        kept = []
        for name in sorted(folders):
            real = os.path.realpath(os.path.join(where, name))
            if real not in seen:
                seen.add(real)
                kept.append(name)
        folders[:] = kept
        found += [Path(where, name) for name in files if os.path.isfile(os.path.join(where, name))]
    return found


@cache
def kept_environment(templates_dir: Path, cache_dir: Path | None) -> jinja2.Environment:
    return make_environment(templates_dir, cache_dir)


def forget_changed_templates(env: jinja2.Environment) -> None:
    """Look at each compiled template's file once, as a build starts (Jinja's auto_reload looked at
    it on every include: hundreds of thousands of stat calls in a large build), and compile them
    all again if any changed: an edited partial changes every template that includes it."""
    if env.cache is not None and not all(template.is_up_to_date for template in env.cache.values()):
        env.cache.clear()


def names_read(env: jinja2.Environment, names: tuple[str, ...]) -> set[str] | None:
    """Every attribute and key the templates `names` read (`x.name`, `x["name"]`, `x|attr("name")`),
    with the templates they extend, include and import; None when one of those is named only at
    render time (any template may then be read)."""
    found: set[str] = set()
    seen: set[str] = set()
    waiting = list(names)
    while waiting:
        name = waiting.pop()
        if name in seen:
            continue
        seen.add(name)
        read, referenced = template_reads(env, env.loader.get_source(env, name)[0])  # type: ignore[union-attr]
        if None in referenced:
            return None
        found |= read
        waiting += referenced
    return {name for name in found if isinstance(name, str)}


@lru_cache(maxsize=256)
def template_reads(env: jinja2.Environment, source: str) -> tuple[frozenset[object], tuple[str | None, ...]]:
    """What one template's source reads, and the templates it names: parsed once per process
    (`serve` asks at every rebuild)."""
    tree = env.parse(source)
    read = {node.attr for node in tree.find_all(jinja2.nodes.Getattr)}
    read |= {node.arg.value for node in tree.find_all(jinja2.nodes.Getitem) if isinstance(node.arg, jinja2.nodes.Const)}
    read |= {node.args[0].value for node in tree.find_all(jinja2.nodes.Filter) if node.name == "attr" and node.args and isinstance(node.args[0], jinja2.nodes.Const)}
    return frozenset(read), tuple(jinja2.meta.find_referenced_templates(tree))
