"""QR codes, the one module that imports segno: a URL as inline SVG, drawn at build time (no
script, no image request), scaled by CSS, with the quiet zone of four modules the standard asks."""

from __future__ import annotations

import segno
from markupsafe import Markup, escape


def qr_svg(url: str, label: str) -> Markup:
    """An SVG QR code of `url` (error correction M: a printed code survives a crease), an image
    whose name is `label` for screen readers."""
    svg = segno.make(url, error="m", micro=False).svg_inline(border=4, omitsize=True, svgclass="qr", lineclass=None)
    return Markup(svg.replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" ', 1))  # noqa: S704 - segno's markup; the label escaped
