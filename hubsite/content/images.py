"""What an image named by content (a partner's logo) may be: a file of a type the site serves,
recognised by its bytes, small, and, for SVG, unable to run script or load anything.

A browser never runs script in an SVG shown through `<img>`, which is how pages show logos; but
the file is also published at its own URL (`assets/content/...`), where a visitor who opens it
gets a document of the site's own origin. So an SVG with active content is refused, not
cleaned: the maintainer sees why, and the published bytes are the ones in the pull request.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

MAX_IMAGE_BYTES = 1024 * 1024

SVG_NS = "{http://www.w3.org/2000/svg}"
# Elements that run script, embed other documents or are links a visitor could follow.
ACTIVE_ELEMENTS = frozenset({"script", "foreignObject", "iframe", "embed", "object", "handler", "listener", "audio", "video", "a"})
ANIMATIONS = frozenset({"set", "animate", "animateMotion", "animateTransform"})
# Namespaces an element of an SVG logo may be in: SVG itself, and the editors' inert metadata
# (Inkscape, Sodipodi, RDF, Creative Commons, Dublin Core). Anything else, XHTML above all (a
# <meta http-equiv="refresh"> sends the visitor elsewhere), is refused.
INERT_NAMESPACES = frozenset({
    "http://www.w3.org/2000/svg", "http://www.inkscape.org/namespaces/inkscape", "http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "http://creativecommons.org/ns#", "http://web.resource.org/cc/", "http://purl.org/dc/elements/1.1/",
})
# Inside an SVG, only references to its own parts (#id) or embedded raster images.
_OWN_REFERENCE = re.compile(r"\s*(#|data:image/(png|jpeg|gif|webp);base64,)", re.IGNORECASE)
_STYLE_LOADS = re.compile(r"@import|url\(\s*['\"]?\s*(?!#)|expression\(|javascript:", re.IGNORECASE)

MAGIC = {
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
}


def image_problem(name: str, data: bytes) -> str | None:
    """Why `data` cannot be published as the image `name` (by its extension), or None."""
    if len(data) > MAX_IMAGE_BYTES:
        return f"is {len(data) / 1024 / 1024:.1f} MiB; an image may be at most {MAX_IMAGE_BYTES // 1024 // 1024} MiB"
    kind = name.rpartition(".")[2].lower()
    if kind == "svg":
        return svg_problem(data)
    if kind == "webp":
        return None if data[:4] == b"RIFF" and data[8:12] == b"WEBP" else "is not a WebP image (its bytes say otherwise)"
    if kind in MAGIC:
        return None if data.startswith(MAGIC[kind]) else f"is not a {kind.upper()} image (its bytes say otherwise)"
    return f"is not an image type the site serves ({kind})"


def svg_problem(data: bytes) -> str | None:
    """Why an SVG is unsafe or not SVG at all, or None."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return "is not an SVG image (not UTF-8 text)"
    if re.search(r"<!ENTITY", text, re.IGNORECASE):
        return "declares XML entities; save the SVG without a DOCTYPE internal subset"
    parser = ET.XMLPullParser(events=("start", "pi"))
    try:
        parser.feed(text)
        parser.close()
        starts = 0
        for event, element in parser.read_events():
            starts += event == "start"
            reason = pi_problem(element) if event == "pi" else element_problem(element, starts == 1)
            if reason:
                return reason
    except ET.ParseError as error:
        return f"is not well-formed SVG ({error})"
    return None


def pi_problem(element: ET.Element) -> str | None:
    target = (element.text or "").split(None, 1)[0] if element.text else ""
    return "has an xml-stylesheet instruction, which loads another file" if target.lower() == "xml-stylesheet" else None


def element_problem(element: ET.Element, root: bool) -> str | None:
    """Why one SVG element is unsafe, or None (`root`: it is the document's first element)."""
    local = element.tag.rpartition("}")[2]
    if root and element.tag != SVG_NS + "svg":
        return "is not an SVG image (its root element is not <svg> in the SVG namespace)"
    namespace = element.tag[1:].partition("}")[0] if element.tag.startswith("{") else ""
    if namespace not in INERT_NAMESPACES:
        return f"contains a <{local}> element from outside SVG ({namespace or 'no namespace'}); logos may hold only SVG drawing"
    if local in ACTIVE_ELEMENTS:
        return f"contains a <{local}> element; logos may hold only drawing, no script, links or embedded documents"
    if local in ANIMATIONS and (element.get("attributeName") or "").lower().endswith("href"):
        return f"has an <{local}> that changes a link; remove it"
    for attribute, value in element.attrib.items():
        name = attribute.rpartition("}")[2].lower()
        if name.startswith("on"):
            return f"has an event-handler attribute ({name}) on <{local}>; remove it"
        if name in ("href", "src") and not _OWN_REFERENCE.match(value):
            return f"refers to another file ({value[:60]!r}) on <{local}>; an SVG logo must be self-contained"
        if name == "style" and _STYLE_LOADS.search(value):
            return f"has a style on <{local}> that loads another file or runs script; remove it"
    if local == "style" and _STYLE_LOADS.search(element.text or ""):
        return "has a <style> that loads another file or runs script; remove it"
    return None
