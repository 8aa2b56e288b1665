"""Markdown from content, rendered and made safe (part of the render stage).

Defence in depth: raw HTML in content is shown as text (Python-Markdown would pass it
through), images may only point at the site's own files, and nh3 then allows only a short
list of tags, attributes and the http(s)/mailto schemes.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from functools import lru_cache

import markdown
import nh3
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup

_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")

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


def is_safe_href(value: str) -> bool:
    """http(s), mailto, or a relative link within the site; never protocol-relative."""
    value = value.strip()
    if value.startswith("//") or value.startswith("\\"):
        return False
    scheme = _SCHEME.match(value)
    return scheme is None or scheme.group(0).lower() in ("http:", "https:", "mailto:")


def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:
    if attribute == "href":
        return value if is_safe_href(value) else None
    if attribute == "src":  # only the site's own images: no third-party requests
        return value if is_safe_href(value) and not _SCHEME.match(value) else None
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


class _SafeContent(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 - Markdown's API
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.treeprocessors.register(_SafeLinksAndImages(md), "safe_links_and_images", 1)


def _new_markdown() -> markdown.Markdown:
    return markdown.Markdown(
        extensions=["tables", "sane_lists", "toc", _SafeContent()],
        extension_configs={"toc": {"permalink": False, "baselevel": 2}},
        output_format="html",
    )


_MD = _new_markdown()


@lru_cache(maxsize=512)  # a task's hubs in every language, one after the other; a site's pages from one `serve` rebuild to the next
def render_markdown(text: str | None) -> Markup:
    """Render content Markdown to sanitised HTML, marked safe for Jinja in this one place: once
    per text, whatever the languages that show it (a pure function of the text)."""
    if not text:
        return Markup("")
    _MD.reset()
    html = _MD.convert(_COMMENT.sub("", text))
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
