"""Markdown from content, rendered and made safe (part of the render stage).

Defence in depth: raw HTML in content is shown as text (Python-Markdown would pass it
through), images may only point at the site's own files, and nh3 then allows only a short
list of tags, attributes and the http(s)/mailto schemes.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from functools import lru_cache

import markdown
import nh3
from markdown.blockprocessors import SetextHeaderProcessor
from markdown.extensions import Extension
from markdown.extensions.tables import TableProcessor
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup
from pydantic_core import PydanticCustomError

from hubsite.content.fields import mailto_link

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_TABS_AND_BREAKS = re.compile(r"[\t\n\r]")
_CONTROLS_AND_SPACE = "".join(map(chr, range(0x21)))

ALLOWED_TAGS = {
    "a", "abbr", "blockquote", "br", "code", "dd", "del", "dl", "dt", "em", "h2", "h3", "h4",
    "h5", "h6", "hr", "img", "li", "ol", "p", "pre", "strong", "sub", "sup", "table", "tbody",
    "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "abbr": {"title"},
    **{f"h{level}": {"id"} for level in range(2, 7)},
}


def as_browsers_read(url: str) -> str:
    """A URL as a browser parses it (the URL standard): character references decoded (Markdown
    leaves `&#92;` in an attribute as it is written), tabs and line breaks removed wherever they
    are, controls and spaces at either end dropped, and a backslash read as a slash, as it is in
    http(s) URLs (so `/\\host/x` is `//host/x`). Decoding text nh3 has decoded already can only
    refuse more."""
    return _TABS_AND_BREAKS.sub("", html.unescape(url)).strip(_CONTROLS_AND_SPACE).replace("\\", "/")


def is_safe_href(value: str) -> bool:
    """http(s), mailto, or a relative link within the site; never protocol-relative (`//host`,
    and what browsers read as it: `/\\host`, `\\\\host`, `/<tab>/host`)."""
    url = as_browsers_read(value)
    if url.startswith("//"):
        return False
    scheme = _SCHEME.match(url)
    if scheme is not None and scheme.group(0).lower() == "mailto:":
        return is_one_address(url)
    return scheme is None or scheme.group(0).lower() in ("http:", "https:")


def is_one_address(url: str) -> bool:
    """A mailto: link as records may hold one (fields.mailto_link): one address, ?subject= at
    most; never a cc, bcc or body that copies what a visitor writes to someone else."""
    try:
        mailto_link("mailto:" + url[len("mailto:"):])
    except PydanticCustomError:
        return False
    return True


def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:
    if attribute == "href":
        return value if is_safe_href(value) else None
    if attribute == "src":  # only the site's own images: no third-party requests
        return value if is_safe_href(value) and not _SCHEME.match(as_browsers_read(value)) else None
    return value


class _SafeLinksAndImages(Treeprocessor):
    """Unwrap links with unsafe targets; replace images that are not the site's own with a
    link to them (or their alt text). nh3 would only drop the attribute, leaving an invalid
    `<a title=...>` without href."""

    def run(self, root: ET.Element) -> None:
        for element in root.iter("a"):
            if not is_safe_href(element.get("href", "")):
                element.tag = "span"
                element.attrib.clear()
        for parent in root.iter():
            for index, child in enumerate(list(parent)):
                if child.tag == "img" and _filter_attribute("img", "src", child.get("src", "")) is None:
                    replacement = ET.Element("a", href=child.get("src", "")) if is_safe_href(child.get("src", "")) else ET.Element("span")
                    replacement.text = child.get("alt") or "image"
                    replacement.tail = child.tail
                    parent.remove(child)
                    parent.insert(index, replacement)


class _FirstLinesTable(TableProcessor):
    """Python-Markdown's tables, tested on the block's first two lines. Its own test splits and
    strips the whole block, and a block is tested again each time a heading or a rule is taken
    off its top: 20,000 headings written one under the other took 78 s."""

    def test(self, parent: ET.Element, block: str) -> bool:
        if not super().test(parent, "\n".join(block.split("\n", 2)[:2])):
            return False
        # A one-column table needs a pipe on every row: that, the whole block says.
        return len(self.separator) > 1 or super().test(parent, block)


class _FirstLinesSetextHeader(SetextHeaderProcessor):
    """Python-Markdown's underlined headings, taking two lines off the block without splitting
    and joining all of its lines (quadratic in headings written one under the other)."""

    def run(self, parent: ET.Element, blocks: list[str]) -> None:
        lines = blocks.pop(0).split("\n", 2)
        heading = ET.SubElement(parent, "h1" if lines[1].startswith("=") else "h2")
        heading.text = lines[0].strip()
        if len(lines) > 2:
            blocks.insert(0, lines[2])


class _SuffixSearch:
    """A block processor's search for a line anywhere in a block (a heading, a rule, a quote),
    remembered. The block parser takes a heading or a definition off a block's top and tests the
    rest again, and each test searched the whole rest: 10,000 reference definitions between lines
    of text took 24 s. The rest is a suffix of a block searched before, starting at a line start,
    and these patterns look only at the text from where they match, so the first match in the rest
    is the first match in the block if that lay in the rest, and there is none if there was none."""

    REMEMBERED = 8  # blocks: a split block's first part is parsed (and searched) before its rest

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern
        self.searched: list[tuple[str, int | None]] = []  # (block, where its first match starts)

    def search(self, block: str) -> re.Match[str] | None:
        for searched, start in self.searched:
            offset = len(searched) - len(block)
            if offset >= 0 and (offset == 0 or searched[offset - 1] == "\n") and searched.endswith(block):
                if start is None:
                    return None
                if start >= offset:
                    return self.pattern.search(block, start - offset)
        found = self.pattern.search(block)
        self.searched = [(block, found.start() if found else None), *self.searched[: self.REMEMBERED - 1]]
        return found

    def match(self, text: str) -> re.Match[str] | None:
        return self.pattern.match(text)


class _SafeContent(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 - Markdown's API
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.treeprocessors.register(_SafeLinksAndImages(md), "safe_links_and_images", -1)  # after "unescape": targets as written


class _LinearBlocks(Extension):
    """Block processors that take a heading, a rule or a definition off a long block in time
    proportional to what they take, not to the block (registered after "tables", under the names
    of those they replace)."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 - Markdown's API
        table = md.parser.blockprocessors["table"]
        md.parser.blockprocessors.register(_FirstLinesTable(md.parser, table.config), "table", 75)
        md.parser.blockprocessors.register(_FirstLinesSetextHeader(md.parser), "setextheader", 60)
        for name, attribute in (("hashheader", "RE"), ("hr", "SEARCH_RE"), ("quote", "RE")):
            processor = md.parser.blockprocessors[name]
            setattr(processor, attribute, _SuffixSearch(getattr(processor, attribute)))


def _new_markdown() -> markdown.Markdown:
    return markdown.Markdown(
        extensions=["tables", "sane_lists", "toc", _SafeContent(), _LinearBlocks()],
        extension_configs={"toc": {"permalink": False, "baselevel": 2}},
        output_format="html",
    )


_MD = _new_markdown()


def without_comments(text: str) -> str:
    """The text with its HTML comments (`<!--` to the next `-->`) taken out, in one pass: a regex
    rescanned to the end from each unclosed `<!--` (50,000 of them took 21 s). An unclosed `<!--`
    and what follows it stay, as they did: no later `<!--` can be closed either."""
    parts, start = [], 0
    while (opening := text.find("<!--", start)) != -1:
        closing = text.find("-->", opening + 4)
        if closing == -1:
            break
        parts.append(text[start:opening])
        start = closing + 3
    parts.append(text[start:])
    return "".join(parts)


@lru_cache(maxsize=512)  # a task's hubs in every language, one after the other; a site's pages from one `serve` rebuild to the next
def render_markdown(text: str | None) -> Markup:
    """Render content Markdown to sanitised HTML, marked safe for Jinja in this one place: once
    per text, whatever the languages that show it (a pure function of the text)."""
    if not text:
        return Markup("")
    _MD.reset()
    html = _MD.convert(without_comments(text))
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        attribute_filter=_filter_attribute,
        link_rel="nofollow noopener ugc",
        strip_comments=True,
    )
    return Markup(clean)  # noqa: S704 - sanitised by nh3 just above
