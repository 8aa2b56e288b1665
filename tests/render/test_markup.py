"""Markdown from content is rendered, then made safe."""

from __future__ import annotations

import cProfile
import pstats
import re

import lxml.html
import markdown
import pytest
from pydantic_core import PydanticCustomError

from hubsite.content.fields import MAX_EMPHASIS_RUNS, MAX_LINK_PARENS, check_markdown_depth
from hubsite.render.markup import _SuffixSearch, render_markdown, without_comments


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


@pytest.mark.parametrize("target", ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,<b>x</b>", "vbscript:x", "//evil.example/x",
                                    "/\\evil.example/x", "\\\\\\\\evil.example/x", "\\/evil.example/x", "/&#92;evil.example/x", "</\n/evil.example/x>",
                                    "/&#x09;/evil.example/x", "java&#x09;script:alert(1)"])
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


@pytest.mark.parametrize("text", ["", "a", "<!---->", "<!-->x-->", "a<!--b-->c<!--d", "<!--a<!--b-->c-->", "x<!--", "<!--\n-->y<!--z-->", "<!--a--><!--b"])
def test_comments_are_taken_out_as_the_regex_took_them(text: str) -> None:
    assert without_comments(text) == re.sub(r"<!--.*?-->", "", text, flags=re.DOTALL)


class _CountedFinds(str):
    """A text that counts the characters its finds are handed."""

    searched = 0

    def find(self, sub: str, start: int = 0, *args: int) -> int:  # type: ignore[override]
        type(self).searched += len(self) - start
        return super().find(sub, start, *args)


def test_unclosed_comments_are_scanned_once() -> None:
    # `<!--.*?-->` rescanned to the end from each unclosed `<!--`: 50,000 of them took 21 s.
    def searched(count: int) -> int:
        _CountedFinds.searched = 0
        assert without_comments(_CountedFinds("<!-- a --> " + "<!--" * count)) == " " + "<!--" * count
        return _CountedFinds.searched

    assert searched(40_000) <= 4 * searched(10_000) + 100


def test_headings_lists_and_tables_survive_with_anchors() -> None:
    root = fragment("# Title\n\n- one\n- two\n\n| a | b |\n|---|---|\n| 1 | 2 |\n")
    assert root.xpath("//h2/@id") == ["title"]  # content headings start below the page's h1
    assert len(root.xpath("//li")) == 2
    assert root.xpath("//td/text()") == ["1", "2"]


def test_attribute_lists_are_not_enabled() -> None:
    root = fragment("Para {: onclick=alert(1) }")
    assert root.xpath("//@onclick") == []


@pytest.mark.parametrize("target", ["/\\evil.example/x.png", "\\\\\\\\evil.example/x.png", "\\/evil.example/x.png", "/&#92;evil.example/x.png", "</\n/evil.example/x.png>"])
def test_images_browsers_read_as_protocol_relative_are_not_loaded_or_linked(target: str) -> None:
    html = str(render_markdown(f"![Map]({target}) and [the map]({target})"))
    assert "evil.example" not in html
    assert fragment(f"![Map]({target}) and [the map]({target})").text_content() == "Map and the map"


def headings(count: int) -> str:
    return "# a\n" * count  # h2 (content starts below the h1); one block: the parser takes a heading off its top, then tests the rest


def calls_to_render(text: str) -> int:
    """Every function call (Python-Markdown's, nh3's, str's) made rendering `text`: a count that
    does not depend on the machine, and grows with the work."""
    render_markdown.cache_clear()
    profile = cProfile.Profile()
    profile.runcall(render_markdown, text)
    return pstats.Stats(profile).total_calls  # type: ignore[attr-defined]


def test_20000_duplicate_headings_get_unique_ids() -> None:
    root = fragment(headings(20_000))
    assert root.xpath("//h2/@id") == ["a"] + [f"a_{n}" for n in range(1, 20_000)]


def test_work_on_headings_written_one_under_the_other_grows_linearly() -> None:
    # Python-Markdown's table test stripped every line of the rest of the block for each heading.
    small, large = calls_to_render(headings(2_000)), calls_to_render(headings(8_000))
    assert large < 4.5 * small, (small, large)
    setext_small, setext_large = calls_to_render("a\n-\n" * 2_000), calls_to_render("a\n-\n" * 8_000)
    assert setext_large < 4.5 * setext_small, (setext_small, setext_large)


MIXED = """\
Text before
# A heading in a paragraph
text after it
Setext one
==========
Setext two
----------
* * *
| one column |
|---|
| row |
not a row
> a quote
lazy line
| a | b |
|---|---|
| 1 | 2 |

[ref]: /x
Some [ref] text
[other]: /y "Title"
more text
- - -
## closed ##
"""


def shape(html: str) -> list[tuple[str, str]]:
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    return [(element.tag, (element.text or "").strip()) for element in root.iter()]


def test_blocks_render_as_python_markdown_renders_them() -> None:
    """The processors that take headings, rules and definitions off a block in linear time say what
    Python-Markdown's own say (attributes aside: nh3 adds rel, toc ids)."""
    stock = markdown.Markdown(extensions=["tables", "sane_lists", "toc"], extension_configs={"toc": {"baselevel": 2}})
    for text in (MIXED, MIXED.replace("\n\n", "\n"), "\n".join(reversed(MIXED.splitlines()))):
        assert shape(str(render_markdown(text))) == shape(stock.reset().convert(text)), text


def test_a_search_of_a_blocks_rest_reuses_the_search_of_the_block() -> None:
    class Counted:
        """A compiled pattern that counts the characters it is handed to search."""

        def __init__(self, pattern: re.Pattern[str]) -> None:
            self.pattern, self.searched = pattern, 0

        def search(self, text: str, start: int = 0) -> re.Match[str] | None:
            self.searched += len(text) - start
            return self.pattern.search(text, start)

    pattern = re.compile(r"(^|\n)[ ]{0,3}>[ ]?(.*)")
    block = "".join(f"line {n}\n" for n in range(5_000)) + "> quote\nlast"
    counted = Counted(pattern)
    remembered = _SuffixSearch(counted)  # type: ignore[arg-type]
    rests = [block[match.start() :] for match in re.finditer(r"^", block, re.MULTILINE)]
    found = [remembered.search(rest) for rest in rests]
    assert [m and (m.start(), m.group()) for m in found] == [m and (m.start(), m.group()) for m in map(pattern.search, rests)]
    assert counted.searched < 4 * len(block)


def refusal(text: str) -> str:
    with pytest.raises(PydanticCustomError) as refused:
        check_markdown_depth(text)
    return refused.value.message()


@pytest.mark.parametrize("text", [
    "[a](" * (MAX_LINK_PARENS + 1),  # each scanned to the paragraph's end: 25,000 took 471 s
    "[a](\" )" * (MAX_LINK_PARENS + 1),  # a title quote never closed before ')': scanned to the end too
    "[a](x \"t\" z)" * (MAX_LINK_PARENS + 1),
    "[a](`)`" * (MAX_LINK_PARENS + 1),  # a ')' in a code span is not one the link scan sees
    "[a](x\\)" * (MAX_LINK_PARENS + 1),  # nor an escaped one
])
def test_link_targets_scanned_to_the_paragraphs_end_are_refused(text: str) -> None:
    assert "link targets '](' left open in one paragraph" in refusal(text)
    assert "too deeply nested '(' in a link target" in refusal("[a](" + "(" * (MAX_LINK_PARENS + 1) + ")" * (MAX_LINK_PARENS + 2))


@pytest.mark.parametrize("text", [
    "Sad :-( but 1) fine " * 1000,
    "[a](/x) [b](/y (z)) [c](/x \"Title\") [d](/x 'It''s') [e](<x y>) " * 500,
    ("[a](" * MAX_LINK_PARENS + "\n\n") * 3,  # a paragraph's limit, in each paragraph
    "`[a](` " * 1000,
    "**a** and _b_ " * (MAX_EMPHASIS_RUNS // 4) + "\n\n" + "*a*" * (MAX_EMPHASIS_RUNS // 2),
])
def test_ordinary_markdown_is_accepted(text: str) -> None:
    assert check_markdown_depth(text) == text


def test_links_render_as_python_markdown_renders_them() -> None:
    stock = markdown.Markdown(extensions=["tables", "sane_lists", "toc"], extension_configs={"toc": {"baselevel": 2}})
    text = "[a](/x) [b](/y (z)) [c](/x \"Title\") [d](/x 'It''s') [e](<x y>) [f](" + "[g](" * (MAX_LINK_PARENS - 2) + " :-( 1)"
    check_markdown_depth(text)
    assert shape(str(render_markdown(text))) == shape(stock.reset().convert(text))


def test_emphasis_marks_in_one_paragraph_are_capped() -> None:
    # Each emphasis rewrites the paragraph: `*a` 50,000 times took 6 s, 4 times the size 9 times as long.
    assert "too many '*' or '_' emphasis marks in one paragraph" in refusal("*a" * (MAX_EMPHASIS_RUNS + 1))
    assert check_markdown_depth("*a" * MAX_EMPHASIS_RUNS)


@pytest.mark.parametrize("link", ["mailto:a@b.org?bcc=spy@evil.example", "mailto:a@b.org?body=hi", "mailto:a@b.org?subject=x&cc=spy@evil.example",
                                  "mailto:a@b.org,spy@evil.example", "mailto:spy%40evil.example?x=@b.org"])
def test_a_mailto_link_in_markdown_holds_one_address_as_records_do(link: str) -> None:
    """A description's e-mail link may not copy what a visitor writes to someone else."""
    html = str(render_markdown(f"[write to us]({link}) and [us](mailto:a@b.org?subject=Hello)"))
    assert "evil" not in html and "body=" not in html
    assert html.count("<a ") == 1 and 'href="mailto:a@b.org?subject=Hello"' in html
