"""Markdown from content is rendered, then made safe."""

from __future__ import annotations

import lxml.html
import pytest

from hubsite.render.markup import render_markdown


def fragment(text: str):
    return lxml.html.fragment_fromstring(str(render_markdown(text)), create_parent="div")


@pytest.mark.parametrize(
    "source",
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        '<iframe src="https://evil.example"></iframe>',
        "<svg onload=alert(1)>",
        '<a href="javascript:alert(1)">x</a>',
        "<style>body{display:none}</style>",
    ],
)
def test_raw_html_is_shown_as_text_never_as_markup(source: str) -> None:
    root = fragment(source)
    assert root.text_content().strip() == source
    assert [el.tag for el in root.iter()] == ["div", "p"]


@pytest.mark.parametrize("target", ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,<b>x</b>", "vbscript:x", "//evil.example/x"])
def test_unsafe_link_targets_become_plain_text(target: str) -> None:
    root = fragment(f"[click]({target})")
    assert root.xpath("//a") == []
    assert "click" in root.text_content()


def test_safe_links_keep_their_target_and_get_rel() -> None:
    root = fragment("[a](https://a.example/) [b](mailto:x@example.org) [c](../partners/)")
    assert [(a.get("href"), a.get("rel")) for a in root.xpath("//a")] == [
        ("https://a.example/", "nofollow noopener ugc"),
        ("mailto:x@example.org", "nofollow noopener ugc"),
        ("../partners/", "nofollow noopener ugc"),
    ]


def test_third_party_images_become_links_and_own_images_stay() -> None:
    root = fragment("![Map](https://tracker.example/p.png) ![Logo](logo.svg)")
    assert [(img.get("src"), img.get("alt")) for img in root.xpath("//img")] == [("logo.svg", "Logo")]
    assert root.xpath("//a/@href") == ["https://tracker.example/p.png"]


def test_html_comments_are_dropped() -> None:
    assert "secret" not in str(render_markdown("Hello <!-- secret note --> world"))


def test_headings_lists_and_tables_survive_with_anchors() -> None:
    root = fragment("# Title\n\n- one\n- two\n\n| a | b |\n|---|---|\n| 1 | 2 |\n")
    assert root.xpath("//h2/@id") == ["title"]  # content headings start below the page's h1
    assert len(root.xpath("//li")) == 2
    assert root.xpath("//td/text()") == ["1", "2"]


def test_attribute_lists_are_not_enabled() -> None:
    root = fragment("Para {: onclick=alert(1) }")
    assert root.xpath("//@onclick") == []
