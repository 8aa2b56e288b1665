"""Read content files into plain data that remembers where every value came from.

YAML is read through libyaml's event stream with our own composer, so that:
- only `true`/`false`, `null`, decimal integers and floats are typed; everything else
  (`NO`, `on`, `18:00`, `01234`, dates) stays text and the models decide what it means;
- duplicate keys, aliases, tags, several documents, tabs in indentation, bad UTF-8 and
  deep nesting are positioned errors, never silent or a crash (libyaml's own composer
  recurses in C and segfaults on deep nesting; its event parser does not).

Positions cost: the composer that records them runs in Python, event by event. So a file is first
read the quick way (`quick_parse`: libyaml composes the nodes in C, shallow files only, and any
doubt about a problem sends the file the long way), and the positions of a file read quickly are
worked out only when a problem asks for one (`Document.locate`), by reading its text again the
long way. Most files have no problem and never need them.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from functools import partial
from pathlib import Path
from typing import Any

import yaml
from yaml._yaml import CParser
from yaml.nodes import ScalarNode, SequenceNode

from hubsite.content.files import Refused, confine, read_capped
from hubsite.incremental.files import FileHashes, bytes_digest
from hubsite.incremental.store import Store
from hubsite.languages import TAG, canonical_tag
from hubsite.options import display_path
from hubsite.problems import HubsiteError, Problem

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_DEPTH = 32

Loc = tuple[str | int, ...]
Position = tuple[int, int]

_INT = re.compile(r"[-+]?(0|[1-9][0-9]*)")
_FLOAT = re.compile(r"[-+]?([0-9]+\.[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?|[-+]?[0-9]+[eE][-+]?[0-9]+")
_COMMENT_LINE = re.compile(r"\s*(<!--.*-->)?\s*")
_STR_TAG = "tag:yaml.org,2002:str"


class YamlProblem(HubsiteError):
    """A problem that stops reading one file."""

    def __init__(self, line: int, col: int, message: str, field: str = "") -> None:
        super().__init__(message)
        self.line, self.col, self.message, self.field = line, col, message, field


@dataclass
class Document:
    """One content file's data, with the position of every value and key in it."""

    path: Path
    kind: str
    slug: str
    data: Any = None
    values: dict[Loc, Position] = field(default_factory=dict)
    keys: dict[Loc, Position] = field(default_factory=dict)
    body: str = ""
    body_line: int = 1
    source: str = ""  # the YAML text (a page's front matter), to find positions when first asked
    reread: Callable[[], str] | None = None  # the text, read again when first needed (a hub file the store had read)
    lost: bool = False  # the text read again was not there, or not the bytes read: positions are (1, 1), and not to be kept
    line_offset: int = 0
    positioned: bool = True  # whether `values` and `keys` hold the positions (else found when first asked)
    language: str | None = None  # a page's translation: pages/host.es.md is host.md in es
    digest: bytes = b""  # the hash of the file's bytes: with its path, everything the document is made of

    @property
    def display(self) -> str:
        return display_path(self.path)

    def release(self) -> None:
        """Drop the parsed values and their positions once the record has validated: at 10,000
        hubs they are most of a build's memory. A later problem parses the text again for its line."""
        self.data, self.values, self.keys, self.positioned = None, {}, {}, False

    def has_key(self, loc: Loc) -> bool:
        self.locate()
        return loc in self.keys

    def text(self) -> str:
        """The YAML text, read again if it was not kept."""
        if not self.source and self.reread is not None:
            self.source, self.reread = self.reread(), None
            self.lost = not self.source
        return self.source

    def locate(self) -> None:
        """Work out the position of every value and key, if the text was read without them."""
        if not self.positioned:
            text = self.text()  # none: a file changed since, whose positions would name other lines
            _, self.values, self.keys, _ = parse_yaml(text, self.line_offset) if text else (None, {}, {}, [])
            self.positioned = True

    def position(self, loc: Loc, *, key: bool = False) -> Position:
        """Return where `loc` is written, or its nearest written ancestor."""
        self.locate()
        if key and loc in self.keys:
            return self.keys[loc]
        while loc and loc not in self.values:
            loc = loc[:-1]
        return self.values.get(loc, (1, 1))

    def character_position(self, loc: Loc, value: str, index: int) -> Position:
        """Where character `index` of the text at `loc` is written in the file: found in the lines
        from the value's start (the value's start itself when it was written as an escape)."""
        line, col = self.position(loc)
        source = self.text()
        lines = source.split("\n")
        start = sum(len(text) + 1 for text in lines[: line - 1 - self.line_offset]) + col - 1
        window = source[start : start + 6 * len(value) + 16]
        found = window.find(value[index]) if 0 <= index < len(value) else -1
        if found < 0:
            return line, col
        before = window[:found]
        breaks = before.count("\n")
        return line + breaks, (col + found) if breaks == 0 else len(before) - before.rfind("\n")

    def problem(self, loc: Loc, message: str, *, key: bool = False, severity: str = "error") -> Problem:
        line, col = self.position(loc, key=key)
        return Problem(self.display, line, col, format_loc(loc), message, severity)  # type: ignore[arg-type]


@dataclass
class LoadedContent:
    """Every content file read but the hubs, which are listed: validate.py reads and validates
    each hub file in one go (in worker processes for large directories), so that no more than a
    hub's parsed values are ever held at once."""

    site: Document | None
    hub_paths: list[Path]
    partners: list[Document]
    pages: list[Document]
    geocache: Document | None
    problems: list[Problem]
    root: Path  # the content folder, resolved


def format_loc(loc: Loc) -> str:
    """('sessions', 0, 'time') -> 'sessions[0].time'."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def read_text(path: Path, root: Path) -> str:
    """Read a content file as UTF-8 (a BOM and CRLF line ends are fine); `root`: the content folder, resolved."""
    return decode_text(read_bytes(path, root))


def text_again(path: Path, root: Path, digest: bytes) -> str:
    """The text of a content file read earlier, if its bytes are still those of `digest`; else
    nothing (a file changed since: positions in it would name other lines, and (1, 1) is told)."""
    try:
        raw = read_bytes(path, root)
    except (YamlProblem, OSError):
        return ""
    return decode_text(raw) if bytes_digest(raw) == digest else ""


def read_bytes(path: Path, root: Path) -> bytes:
    """The bytes of a content file inside `root` (resolved), of at most MAX_FILE_BYTES."""
    try:
        raw = read_capped(confine(path, root), MAX_FILE_BYTES)
    except Refused as refused:
        raise YamlProblem(1, 1, f"this file {refused.reason}") from None
    if len(raw) > MAX_FILE_BYTES:
        raise YamlProblem(1, 1, f"file is larger than {MAX_FILE_BYTES // 1024 // 1024} MiB")
    return raw


def decode_text(raw: bytes) -> str:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        col = exc.start - (before.rfind(b"\n") + 1) + 1
        raise YamlProblem(line, col, f"not valid UTF-8 (byte 0x{raw[exc.start]:02x}); save the file as UTF-8") from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def check_tabs(text: str, first_line: int = 1) -> None:
    for number, line in enumerate(text.split("\n"), first_line):
        indent = line[: len(line) - len(line.lstrip(" \t"))]
        if "\t" in indent and line.strip() and not line.lstrip().startswith("#"):
            raise YamlProblem(number, indent.index("\t") + 1, "tab character in indentation; YAML indents with spaces")


class WrittenInt(int):
    """An integer as it was written, so a text field takes the text: `postal_code: 01234` aside
    (that stays text), `name: 1.10` must not become '1.1'."""

    written: str

    def __new__(cls, text: str) -> WrittenInt:
        number = super().__new__(cls, text)
        number.written = text
        return number


class WrittenFloat(float):
    """A decimal number as it was written (see WrittenInt): `1.10` stays '1.10', `1e3` '1e3'."""

    written: str

    def __new__(cls, text: str) -> WrittenFloat:
        number = super().__new__(cls, text)
        number.written = text
        return number


def tag_name(tag: str) -> str:
    """'tag:yaml.org,2002:set' -> '!!set', as it is written in the file."""
    return "!!" + tag.removeprefix("tag:yaml.org,2002:") if tag.startswith("tag:yaml.org,2002:") else tag


def refuse_tag(tag: str | None, line: int, col: int, allowed: tuple[str | None, ...] = (None,)) -> None:
    if tag not in allowed:
        raise YamlProblem(line, col, f"the YAML tag '{tag_name(str(tag))}' is not supported: remove it and write the value plainly")


def resolve_scalar(event: yaml.ScalarEvent, line: int, col: int) -> Any:
    """Type a scalar the way a person reads it; see the module docstring."""
    refuse_tag(event.tag, line, col, (None, "!", _STR_TAG))
    value = event.value
    if event.style or event.tag == _STR_TAG:  # quoted or block scalar: always text
        return value
    if value in ("", "~", "null", "Null", "NULL"):
        return None
    if value in ("true", "True", "TRUE", "false", "False", "FALSE"):
        return value.lower() == "true"
    if _INT.fullmatch(value):
        return WrittenInt(value)
    if _FLOAT.fullmatch(value):
        return WrittenFloat(value)
    return value


class _Composer:
    """Build Python values from YAML events, recording positions as it goes."""

    def __init__(self, line_offset: int) -> None:
        self.offset = line_offset
        self.values: dict[Loc, Position] = {}
        self.keys: dict[Loc, Position] = {}
        self.stack: list[tuple[Any, Loc, list[Any]]] = []  # (container, loc, [pending key])
        self.root: Any = None
        self.documents = 0
        self.duplicates: list[YamlProblem] = []

    def mark(self, event: yaml.Event) -> Position:
        return event.start_mark.line + 1 + self.offset, event.start_mark.column + 1

    def feed(self, event: yaml.Event) -> None:
        line, col = self.mark(event)
        if isinstance(event, yaml.DocumentStartEvent):
            self.documents += 1
            if self.documents > 1:
                raise YamlProblem(line, col, "a second YAML document ('---') in the file; one record per file")
        elif isinstance(event, yaml.AliasEvent):
            raise YamlProblem(line, col, f"YAML aliases ('*{event.anchor}') are not supported; write the value out")
        elif isinstance(event, yaml.ScalarEvent):
            self.add(resolve_scalar(event, line, col), line, col)
        elif isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            refuse_tag(event.tag, line, col)
            if len(self.stack) >= MAX_DEPTH:
                raise YamlProblem(line, col, f"nested more than {MAX_DEPTH} levels deep")
            container: Any = [] if isinstance(event, yaml.SequenceStartEvent) else {}
            loc = self.add(container, line, col)
            self.stack.append((container, loc, [None]))
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            self.stack.pop()

    def add(self, value: Any, line: int, col: int) -> Loc:
        if not self.stack:
            self.root = value
            self.values[()] = (line, col)
            return ()
        container, loc, pending = self.stack[-1]
        if isinstance(container, list):
            here = (*loc, len(container))
            container.append(value)
        elif pending[0] is None:
            return self.add_key(container, loc, pending, value, line, col)
        else:
            key, pending[0] = pending[0], None
            here = (*loc, key.text)
            if not key.duplicate:
                container[key.text] = value
        self.values[here] = (line, col)
        return here

    def add_key(self, container: dict, loc: Loc, pending: list, key: Any, line: int, col: int) -> Loc:
        if not isinstance(key, str):
            raise YamlProblem(line, col, f"a key must be plain text, got {key!r}")
        here = (*loc, key)
        duplicate = key in container or here in self.keys
        if duplicate:
            first = self.keys[here][0]
            self.duplicates.append(YamlProblem(line, col, f"duplicate key '{key}' (first given on line {first})", format_loc(here)))
        else:
            self.keys[here] = (line, col)
        pending[0] = _Key(key, duplicate)
        return here


@dataclass(frozen=True)
class _Key:
    text: str
    duplicate: bool


def parse_yaml(text: str, line_offset: int = 0) -> tuple[Any, dict[Loc, Position], dict[Loc, Position], list[YamlProblem]]:
    """Parse one YAML document; raise YamlProblem for what stops reading."""
    check_tabs(text, 1 + line_offset)
    composer = _Composer(line_offset)
    try:
        for event in yaml.parse(text, Loader=yaml.CSafeLoader):
            composer.feed(event)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1 + line_offset, mark.column + 1) if mark else (1, 1)
        message = " ".join(str(part) for part in (exc.context, exc.problem) if part)
        raise YamlProblem(line, col, f"YAML syntax error: {message}{syntax_hint(exc, text, mark)}") from None
    except yaml.YAMLError as exc:
        raise YamlProblem(1, 1, f"YAML error: {exc}") from None
    if composer.root is None:
        raise YamlProblem(1 + line_offset, 1, "the file is empty; it needs a mapping of fields")
    return composer.root, composer.values, composer.keys, composer.duplicates


# Nesting the quick way may reach, bounded from the text (quick_parse): libyaml's composer recurses
# in C and overflows the stack some 20,000 levels deep, so deeper texts are read the long way.
QUICK_NESTING = 5000
_NULLS = frozenset(("", "~", "null", "Null", "NULL"))
_BOOLEANS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}


class Written(Enum):
    """How a node without a tag of its own was written (the quick loader's tags, which no text can
    spell: a tag written in the file is a string)."""

    SCALAR = 1  # untagged, or tagged '!'
    COLLECTION = 2
    TAGGED_COLLECTION = 3  # a mapping or sequence tagged '!'


class _QuickLoader(CParser):
    """libyaml's parser and composer, all in C, with a node's tag `Written` unless one is written."""

    def resolve(self, kind: type, value: str | None, implicit: Any) -> Written:
        if kind is ScalarNode:
            return Written.SCALAR
        return Written.COLLECTION if implicit else Written.TAGGED_COLLECTION

    def descend_resolver(self, parent: Any, index: Any) -> None:
        pass

    def ascend_resolver(self) -> None:
        pass


class _MayHaveProblem(Exception):
    """The quick way cannot tell: read the file the long way, which says what and where."""


def quick_parse(text: str) -> Any:
    """The mapping a YAML text holds when it reads without any problem, as parse_yaml reads it, but
    without positions; None when the text may have a problem (a tab, a tag, an alias, a duplicate
    or non-text key, deep nesting, a syntax error, an empty file or no mapping at the top)."""
    if "\t" in text or text.count("[") + text.count("{") + 2 * max(map(len, text.split("\n"))) > QUICK_NESTING:
        return None
    try:
        data = _quick_value(_QuickLoader(text).get_single_node(), 0, set())
    except (yaml.YAMLError, _MayHaveProblem):
        return None
    return data if isinstance(data, dict) else None


def _quick_value(node: Any, depth: int, seen: set[int]) -> Any:
    if node is None or id(node) in seen:  # an empty file; a node met twice is an alias
        raise _MayHaveProblem
    seen.add(id(node))
    tag = node.tag
    if type(node) is ScalarNode:
        if tag is not Written.SCALAR and tag != _STR_TAG:
            raise _MayHaveProblem
        return node.value if node.style or tag == _STR_TAG else _plain_scalar(node.value)
    if tag is not Written.COLLECTION or depth >= MAX_DEPTH:
        raise _MayHaveProblem
    if type(node) is SequenceNode:
        return [_quick_value(item, depth + 1, seen) for item in node.value]
    mapping: dict[str, Any] = {}
    for key_node, value_node in node.value:
        key = _quick_value(key_node, depth + 1, seen)
        if type(key) is not str or key in mapping:
            raise _MayHaveProblem
        mapping[key] = _quick_value(value_node, depth + 1, seen)
    return mapping


def _plain_scalar(value: str) -> Any:
    """resolve_scalar's rule for a plain scalar."""
    if value in _NULLS:
        return None
    if value in _BOOLEANS:
        return _BOOLEANS[value]
    if _INT.fullmatch(value):
        return WrittenInt(value)
    if _FLOAT.fullmatch(value):
        return WrittenFloat(value)
    return value


def syntax_hint(exc: yaml.MarkedYAMLError, text: str, mark: Any) -> str:
    """What to write instead, for the syntax error people make most: a colon and a space inside a
    value (`summary: Weekly: groups`), which YAML reads as a second key."""
    if mark is None or exc.problem != "mapping values are not allowed in this context":
        return ""
    lines = text.splitlines()
    written = lines[mark.line] if mark.line < len(lines) else ""
    key, colon, value = written.strip().partition(": ")
    example = f'{key}: "{value}"' if colon and value and '"' not in value else 'key: "Weekly: groups"'
    return f"; a value that holds ': ' must be in quotes: write {example}"


def split_front_matter(text: str) -> tuple[str, int, str, int]:
    """Split a Markdown page into (front matter, its first line - 1, body, body's first line).

    Blank lines and HTML comments may come before the opening '---'.
    """
    lines = text.split("\n")
    start = 0
    while start < len(lines) and _COMMENT_LINE.fullmatch(lines[start]):
        start += 1
    if start >= len(lines) or lines[start].strip() != "---":
        raise YamlProblem(start + 1, 1, "missing front matter: begin the page with '---', then 'title: ...', then '---'")
    for end in range(start + 1, len(lines)):
        if lines[end].strip() in ("---", "..."):
            return "\n".join(lines[start + 1 : end]), start + 1, "\n".join(lines[end + 1 :]), end + 2
    raise YamlProblem(start + 1, 1, "front matter is not closed: add a '---' line after it")


@dataclass(frozen=True)
class Parsed:
    """What reading a file's bytes gives (a function of the bytes and the kind of file alone), kept
    in the store by their hash."""

    source: str = ""
    line_offset: int = 0
    body: str = ""
    body_line: int = 1
    data: Any = None
    values: dict[Loc, Position] = field(default_factory=dict)
    keys: dict[Loc, Position] = field(default_factory=dict)
    duplicates: tuple[YamlProblem, ...] = ()
    problem: YamlProblem | None = None
    positioned: bool = True  # False: read quickly, positions found when a problem asks (Document.locate)


def parse_file(raw: bytes, kind: str) -> Parsed:
    try:
        return parse_document(decode_text(raw), kind)
    except YamlProblem as exc:
        return Parsed(problem=exc)


def parse_document(text: str, kind: str) -> Parsed:
    try:
        offset, body, body_line = 0, "", 1
        if kind == "page":
            text, offset, body, body_line = split_front_matter(text)
        data = quick_parse(text)
        if data is not None:
            return Parsed(text, offset, body, body_line, data, positioned=False)
        data, values, keys, duplicates = parse_yaml(text, offset)
    except YamlProblem as exc:
        return Parsed(problem=exc)
    return Parsed(text, offset, body, body_line, data, values, keys, tuple(duplicates))


def page_name(stem: str) -> tuple[str, str | None]:
    """'host.es' -> ('host', 'es'): a page's translation names its language before .md."""
    slug, dot, tag = stem.rpartition(".")
    return (slug, canonical_tag(tag)) if dot and slug and TAG.fullmatch(tag) else (stem, None)


class Reading:
    """What the store keeps of reading content files: the hash of each file's bytes by its identity
    (incremental/files.py), and what parsing each file's bytes gave, by their hash."""

    def __init__(self, store: Store) -> None:
        self.hashes = FileHashes(store)
        self.parsed = store.table("parsed-files")


class ContentFile:
    """A content file, read only when something must be made from its bytes: with a `Reading`,
    its hash is known without reading it while its identity is unchanged."""

    def __init__(self, path: Path, root: Path, reading: Reading | None = None) -> None:
        self.path, self.root, self.reading = path, root, reading
        self.identity = reading.hashes.identity(path) if reading is not None else None
        self.digest = reading.hashes.known(self.identity) if reading is not None else None
        self._raw: bytes | None = None

    def raw(self) -> bytes:
        """The file's bytes (YamlProblem when it may not be read), and `digest` now theirs."""
        if self._raw is None:
            self._raw = read_bytes(self.path, self.root)
            self.digest = bytes_digest(self._raw)
            if self.reading is not None:
                self.reading.hashes.note(self.identity, self.digest)
        return self._raw

    def parsed(self, kind: str) -> Parsed:
        """What the file's bytes parse into (YamlProblem when they may not be read)."""
        if self.reading is None:
            return parse_file(self.raw(), kind)
        kept = self.reading.parsed.find((kind, self.digest)) if self.digest is not None else None
        if kept is not None:
            return kept
        raw = self.raw()
        return self.reading.parsed.get((kind, self.digest), partial(parse_file, raw, kind))


def load_document(path: Path, kind: str, root: Path | None = None, store: Store | None = None) -> tuple[Document, list[Problem]]:
    """Read one file of the content folder `root` (resolved; by default the file's own folder);
    problems that stop reading leave `data` as None. `store`: files parsed by earlier builds."""
    return read_document(path, kind, root or path.parent.resolve(), Reading(store) if store is not None else None)


def read_document(path: Path, kind: str, root: Path, reading: Reading | None) -> tuple[Document, list[Problem]]:
    slug, language = page_name(path.stem) if kind == "page" else (path.stem, None)
    doc = Document(path=path, kind=kind, slug=slug, language=language)
    file = ContentFile(path, root, reading)
    try:
        parsed = file.parsed(kind)
    except YamlProblem as exc:
        return doc, [Problem(doc.display, exc.line, exc.col, "", exc.message)]
    doc.digest = file.digest or b""
    return doc, document_problems(doc, parsed)


def document_problems(doc: Document, parsed: Parsed) -> list[Problem]:
    """Fill `doc` with what its file parsed into; the problems of reading it."""
    if parsed.problem is not None:
        return [Problem(doc.display, parsed.problem.line, parsed.problem.col, "", parsed.problem.message)]
    doc.source, doc.line_offset, doc.body, doc.body_line = parsed.source, parsed.line_offset, parsed.body, parsed.body_line
    doc.data, doc.values, doc.keys, doc.positioned = parsed.data, parsed.values, parsed.keys, parsed.positioned
    problems = [Problem(doc.display, d.line, d.col, d.field, d.message) for d in parsed.duplicates]
    if not isinstance(doc.data, dict):
        problems.append(doc.problem((), f"expected a mapping of fields (key: value), got {type(doc.data).__name__}"))
        doc.data = None
    return problems


def folder_files(folder: Path, suffix: str, root: Path) -> tuple[list[Path], list[Problem]]:
    """The files of one content folder to read, in sorted order, and warnings about the others."""
    paths: list[Path] = []
    problems: list[Problem] = []
    if not folder.is_dir() and not folder.is_symlink():
        return paths, problems
    try:
        confine(folder, root, folder=True)
    except Refused as refused:
        return paths, [Problem(display_path(folder), 1, 1, "", f"this folder {refused.reason}")]
    with os.scandir(folder) as entries:
        listed = sorted((entry.name, entry.is_dir(follow_symlinks=False)) for entry in entries)
    for name, is_folder in listed:
        path = folder / name
        if name.startswith(".") or is_folder:
            continue
        if path.suffix != suffix:
            hint = f"; rename it to {path.stem}{suffix}" if path.suffix in (".yml", ".markdown") else ""
            problems.append(Problem(display_path(path), 1, 1, "", f"not a {suffix} file, so it is not read{hint}", "warning"))
            continue
        paths.append(path)
    return paths, problems


def load_folder(folder: Path, kind: str, suffix: str, root: Path, reading: Reading | None) -> tuple[list[Document], list[Problem]]:
    paths, problems = folder_files(folder, suffix, root)
    docs: list[Document] = []
    for path in paths:
        doc, found = read_document(path, kind, root, reading)
        docs.append(doc)
        problems += found
    return docs, problems


def load_content(content_dir: Path, store: Store | None = None) -> LoadedContent:
    """Read every content file under `content_dir` but the hubs, which are listed, in sorted order
    (`store`: files parsed by earlier builds, taken while they are unchanged)."""
    problems: list[Problem] = []
    root = content_dir.resolve()
    reading = Reading(store) if store is not None else None
    site = _load_optional(content_dir / "site.yaml", "site", root, reading, problems, required=True)
    geocache = _load_optional(content_dir / "geocache.yaml", "geocache", root, reading, problems, required=False)
    hub_paths, found = folder_files(content_dir / "hubs", ".yaml", root)
    problems += found
    folders = {}
    for name, kind, suffix in (("partners", "partner", ".yaml"), ("pages", "page", ".md")):
        folders[name], found = load_folder(content_dir / name, kind, suffix, root, reading)
        problems += found
    return LoadedContent(site, hub_paths, folders["partners"], folders["pages"], geocache, problems, root)


def _load_optional(path: Path, kind: str, root: Path, reading: Reading | None, problems: list[Problem], *, required: bool) -> Document | None:
    if not path.exists() and not path.is_symlink():
        if required:
            problems.append(Problem(display_path(path), 1, 1, "", "missing: every site needs a site.yaml"))
        return None
    doc, found = read_document(path, kind, root, reading)
    problems += found
    return doc
