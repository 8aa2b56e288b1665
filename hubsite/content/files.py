"""Files of the content folder, read only from inside it.

Every content file, and every file a record names (a logo), is resolved, links followed, and
must still lie inside content/ and be a regular file of a bounded size, or the build refuses it
with a reason. A pull request must not be able to publish /etc/passwd or /proc/self/environ
of the machine that builds it by adding a symlink or an absolute path.
"""

from __future__ import annotations

import os
import re
import stat
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from hubsite import urls
from hubsite.content.slugs import WINDOWS_RESERVED
from hubsite.options import display_path
from hubsite.problems import HubsiteError, Problem


class Refused(HubsiteError):
    """A file that content names (or a content file itself) that the build will not read: why, in a few words."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def confine(path: Path, root: Path, *, folder: bool = False) -> Path:
    """`path` with every link resolved, when it lies inside `root` (the content folder, resolved)
    and is a regular file (or, with `folder`, a folder); else raise Refused.

    Links are followed only while they stay inside content/: a pull request must not be able to
    publish /etc/passwd or /proc/self/environ by adding a symlink.
    """
    kind = "folder" if folder else "file"
    try:
        resolved = path.resolve(strict=True)
    except FileNotFoundError:
        raise Refused(f"is a link to '{os.readlink(path)}', which does not exist" if path.is_symlink() else "does not exist") from None
    except (OSError, RuntimeError):  # a loop of links, a folder we may not read
        raise Refused("cannot be followed (a loop of links, or no permission)") from None
    if resolved != root and root not in resolved.parents:
        where = f"is a link to '{os.readlink(path)}'" if path.is_symlink() else "leads, through a linked folder,"
        raise Refused(f"{where} outside {display_path(root)}/; content is read only from inside that folder")
    mode = resolved.stat().st_mode
    if not (stat.S_ISDIR(mode) if folder else stat.S_ISREG(mode)):
        raise Refused(f"is not a regular {kind}")
    return resolved


def read_named_file(root: Path, name: str, max_bytes: int) -> bytes:
    """The bytes of a file that a content field names by a path relative to content/ (a logo)."""
    pure = Path(name)
    if pure.is_absolute() or name.startswith(("/", "\\")):
        raise Refused("is an absolute path; give a path inside the content folder, like logos/example.svg")
    if ".." in pure.parts:
        raise Refused("climbs out of the content folder ('..'); give a path inside it, like logos/example.svg")
    if not (root / pure).exists() and not (root / pure).is_symlink():
        raise Refused("is not a file in the content folder")
    return read_capped(confine(root / pure, root), max_bytes)


def read_capped(path: Path, max_bytes: int) -> bytes:
    """Read a regular file of at most `max_bytes` (checked on the open file, before reading it)."""
    with path.open("rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise Refused("is not a regular file")
        if info.st_size > max_bytes:
            raise Refused(f"is larger than {max_bytes // 1024 // 1024} MiB")
        return handle.read(max_bytes + 1)


STATIC = "static"  # content/static/: published as it is at the site's root
MAX_STATIC_BYTES = 10 * 1024 * 1024
WELL_KNOWN = ".well-known"  # the one dot-folder a site publishes (RFC 8615: security.txt, ...)
# Besides letters, digits and combining marks: punctuation that no _headers or _redirects line,
# URL or shell reads as syntax. Whitespace, '#', '*', ':', '!', '?', '%', '\\', quotes, '<>' are not.
SAFE_PUNCTUATION = frozenset("-._~@+=,")
# Files a static host reads as its settings, refused in any letter case and any folder (every name
# starting with '_' or '.' is refused too; these say why): Netlify, Cloudflare Pages, GitHub Pages'
# Jekyll, Vercel, Azure Static Web Apps, Apache, IIS, Firebase, wrangler, Caddy, nginx, Heroku.
CONTROL_FILES = frozenset({
    urls.HEADERS, urls.REDIRECTS, "_worker.js", "_routes.json", "_config.yml", "_config.yaml", "netlify.toml",
    "vercel.json", "now.json", "staticwebapp.config.json", "routes.json", "web.config", "firebase.json",
    "wrangler.toml", "wrangler.json", "wrangler.jsonc", "caddyfile", "nginx.conf", "static.json",
    ".htaccess", ".htpasswd", ".user.ini", ".nojekyll",
})
# Extensions a host serves as something a browser runs or renders with script (HTML, XML and SVG
# documents, scripts, WebAssembly, Flash): under the site's origin, they would act as the site.
# What content/static/ may publish, by its last extension (or none, like CNAME): files no browser
# runs. An allow-list, because hosts type files by mime-db, where dozens of extensions (.kml, .gpx,
# .xsd, ...) are XML, in which a browser runs XHTML-namespaced script on the site's own address.
PASSIVE_EXTENSIONS = frozenset({
    "txt", "md", "csv", "tsv", "json", "geojson", "ics", "vcf", "pdf", "epub", "png", "jpg", "jpeg", "gif", "webp", "avif",
    "ico", "bmp", "tif", "tiff", "woff", "woff2", "ttf", "otf", "mp3", "m4a", "ogg", "oga", "opus", "wav", "mp4", "webm",
    "ogv", "zip", "gz", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "odt", "ods", "odp", "asc", "sig", "pem", "pub",
})
# Extensions that some hosts (Apache's MultiViews) honour anywhere in a name: a.html.txt is HTML there.
ACTIVE_EXTENSIONS = frozenset({
    "html", "htm", "xhtml", "xht", "shtml", "shtm", "stm", "mht", "mhtml", "svg", "svgz", "xml", "xsl", "xslt", "xsd", "rss",
    "atom", "rdf", "mml", "mathml", "xul", "xbl", "kml", "gpx", "owl", "wsdl", "xaml", "rng", "smil", "ttml", "dbk", "xspf",
    "opf", "js", "mjs", "cjs", "jsx", "wasm", "swf", "appcache",
})


def read_static(content_dir: Path, language_keys: Iterable[str] = (), page_slugs: Iterable[str] = ()) -> tuple[dict[str, bytes], list[Problem]]:
    """Every file of content/static/ (CNAME, .well-known/..., a verification file), by its path
    in the site: confined like every content file, and refused with its position when the site
    writes the same name (in any letter case, in any of `language_keys`' folders, or a page of
    `page_slugs`), when a host would read it as settings or a browser run it, or when its name is
    not safe in a _headers line."""
    folder = content_dir / STATIC
    if not folder.exists() and not folder.is_symlink():
        return {}, []
    site_names = frozenset(name.casefold() for name in (*language_keys, *page_slugs, *urls.RESERVED, urls.APPLY.partition("/")[0]))
    static = StaticFolder(folder, content_dir.resolve(), site_names)
    static.read()
    return static.files, static.problems


@dataclass
class StaticFolder:
    """content/static/ as it is read: the files it may publish, and the problems of the others."""

    folder: Path
    content_root: Path  # resolved: nothing is read from outside it
    site_names: frozenset[str]  # the top-level names the site writes itself, case-folded
    files: dict[str, bytes] = field(default_factory=dict)  # path in the site -> bytes
    problems: list[Problem] = field(default_factory=list)

    def read(self) -> None:
        self.read_folder(self.folder, "")
        for name, message in twins(sorted(self.files)).items():
            del self.files[name]
            self.refuse(name, message)

    def read_folder(self, folder: Path, prefix: str) -> None:
        try:
            confine(folder, self.content_root, folder=True)
        except Refused as refused:
            self.refuse(prefix.rstrip("/"), f"this folder {refused.reason}")
            return
        for entry in sorted(folder.iterdir()):
            name = prefix + entry.name
            is_folder = entry.is_dir() and not entry.is_symlink()
            reason = name_refusal(name, self.site_names) or (None if is_folder else file_refusal(name))
            if reason:
                self.refuse(name, f"this {'folder' if is_folder else 'file'} {reason}")
            elif is_folder:
                self.read_folder(entry, name + "/")
            else:
                self.read_file(entry, name)

    def read_file(self, entry: Path, name: str) -> None:
        try:
            self.files[name] = read_capped(confine(entry, self.content_root), MAX_STATIC_BYTES)
        except Refused as refused:
            self.refuse(name, f"this file {refused.reason}")

    def refuse(self, name: str, message: str) -> None:
        """A problem at the first line of static/NAME (its name or kind is what is wrong). The name
        is shown with its whitespace escaped, so that `path:line:col:` stays one readable field."""
        shown = display_path(self.folder) + (f"/{WHITESPACE.sub(escape_whitespace, name)}" if name else "")
        self.problems.append(Problem(shown, 1, 1, STATIC, message))


WHITESPACE = re.compile(r"\s")


def escape_whitespace(match: re.Match[str]) -> str:
    """'\\n', '\\x20', '\\xa0', '\\u3000': the way printable() writes a control character."""
    code = ord(match.group())
    return match.group().encode("unicode_escape").decode("ascii") if code < 0x20 else f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def name_refusal(name: str, site_names: frozenset[str]) -> str | None:
    """Why the last part of `name` (a path under content/static/) may not be published, or None."""
    parent, _, segment = name.rpartition("/")
    folded = segment.casefold()
    if unicodedata.normalize("NFC", segment) != segment:
        return "has a name not in Unicode's composed form (NFC); save it under its composed name, which every disk and host reads the same way"
    unsafe = sorted({char for char in segment if not safe_character(char)})
    if unsafe:
        return (f"has {', '.join(map(describe_character, unsafe))} in its name, which a _headers or _redirects line or a URL could "
                "read as syntax; use letters, digits and - . _ ~ @ + = , only")
    if folded in CONTROL_FILES:
        return "is named like a file static hosts read as their settings (Netlify, Cloudflare Pages, Vercel, Jekyll, Apache, IIS), in any letter case; the site writes its own _headers and _redirects"
    if segment.startswith("_"):
        return "has a name starting with '_', which static hosts keep for their settings (Cloudflare Pages runs _worker.js; Jekyll skips such files); give it another name"
    if segment.startswith(".") and not (segment == WELL_KNOWN and not parent):
        return f"has a name starting with '.'; only {WELL_KNOWN}/ is published (hosts hide or refuse the others)"
    if segment.endswith("."):
        return "has a name ending with '.', which Windows drops (two names, one file there)"
    if folded.partition(".")[0] in WINDOWS_RESERVED:
        return f"has a name Windows reserves for a device ({segment.partition('.')[0]})"
    if not parent and folded in site_names:
        return f"is named like {folded}/, where the site writes its own pages (in any letter case); give it another name"
    if urls.route_of(fold(name)) is not None:
        same = "" if fold(name) == name else f" ({fold(name)} on macOS and Windows disks)"
        return f"is {name}{same}, which the site writes itself: remove it or give it another name"
    return None


def file_refusal(name: str) -> str | None:
    """Why a file of content/static/ may not be published, by what it is (a browser might run it), or None."""
    extensions = fold(name).rpartition("/")[2].split(".")[1:]
    active = next((ext for ext in extensions if ext in ACTIVE_EXTENSIONS), None)
    if active is None and extensions and extensions[-1] not in PASSIVE_EXTENSIONS:
        return (f"is a .{extensions[-1]} file; content/static/ publishes only files no browser runs, by their extension: "
                f"{', '.join(sorted(PASSIVE_EXTENSIONS))}, or a name without one (CNAME). Rename it, or zip it")
    if active:
        return (f"is a .{active} file, which a browser would run as part of the site; content/static/ holds only files a browser "
                "does not run (text, images, PDF, keys). Write a page in Markdown in content/pages/ instead; to prove you own "
                "the site to a search engine, use its DNS (TXT record) method")
    return None


def safe_character(char: str) -> bool:
    return unicodedata.category(char)[0] in "LMN" or char in SAFE_PUNCTUATION


def describe_character(char: str) -> str:
    """'#', or U+000A, U+0027 APOSTROPHE, U+00A0 NO-BREAK SPACE: a character named so that it shows, whatever it is."""
    if char.isprintable() and not char.isspace() and char not in "'\"`":
        return f"'{char}'"
    name = unicodedata.name(char, "")
    return f"U+{ord(char):04X}" + (f" {name}" if name else "")


def twins(names: list[str]) -> dict[str, str]:
    """Names that differ only by letter case or Unicode form (Index.html and index.html, two
    spellings of a folder), each but the first with why: one file on macOS and Windows disks,
    and on some hosts."""
    spelling: dict[str, str] = {}
    found = {}
    for name in names:
        parts = name.split("/")
        for depth in range(1, len(parts) + 1):
            spelled = "/".join(parts[:depth])
            first = spelling.setdefault(fold(spelled), spelled)
            if first != spelled:
                found[name] = f"this file's path differs from static/{first} only by letter case or Unicode form; keep one spelling"
                break
    return found


def fold(name: str) -> str:
    """The one spelling of a name on a disk that ignores letter case and Unicode form."""
    return unicodedata.normalize("NFC", unicodedata.normalize("NFC", name).casefold())
