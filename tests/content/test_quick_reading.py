"""The quick way of reading YAML (reader.quick_parse: libyaml in C, no positions) gives exactly what
the long way gives, for every text the long way reads without a problem, and gives nothing for a
text with a problem, so that the long way tells it with its position."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import CORPUS

from bench.generate import hub_record, to_yaml
from hubsite.content.reader import (
    QUICK_NESTING,
    WrittenFloat,
    WrittenInt,
    YamlProblem,
    decode_text,
    parse_yaml,
    quick_parse,
    split_front_matter,
)

SNIPPETS = [
    "a: 1\nb: '2'\nc: ! 3\nd: !!str 4\ne: ! '5'\nf: ! |\n  6\n",
    "a: NO\nb: on\nc: 18:00\nd: 01234\ne: 2026-01-12\nf: 1.5\ng: 7\nh: true\ni: ~\nj: '7'\nyes: off\n",
    "a: 1.10\nb: 1e3\nc: -0\nd: +5\ne: .5\nf: 5.\ng: 0x1F\nh: 1_000\ni: .inf\nj: .nan\nk: NULL\nl: False\nm: TRUE\n",
    "a: [1, {b: 1.10}]\nc:\nd: ''\ne: \"x\\ty\"\nf: >\n  folded\n  text\n",
    "a: !<hub> x\n", "a: !!map {b: 1}\n", "a: ! [1]\n", "a: ! {b: 1}\n", "a: !!seq [1]\n", "a: !!int 3\n", "a: !foo x\n",
    "a: &x 1\nb: *x\n", "a: &x [1]\nb: *x\n", "a: &x 1\n", "a: 1\na: 2\n", "a:\n  b: 1\n  b: 2\n",
    "? [a]\n: 1\n", "1: 2\n", "~: 1\n", "true: x\n", "1.5: x\n", "x\n", "", "# only a comment\n", "- 1\n", "~\n",
    "a: 1\n---\nb: 2\n", "--- \na: 1\n...\n", "a: 1\n...\n", "%YAML 1.1\n---\na: 1\n",
    "a:\n\t- 1\n", "a: 'x\ty'\n", "a: b: c\n", "summary: Weekly: groups\n", "a: [1, 2\n", "a: \"\\u00e9\\x41\"\n",
    "a: " + "[" * 40 + "]" * 40 + "\n", "a: " + "[" * 31 + "]" * 31 + "\n", "a: " + "[" * 30 + "]" * 30 + "\n",
    "a: " + "[" * 100_000 + "]" * 100_000 + "\n", "a: " + "x" * (QUICK_NESTING + 10) + "\n",
    "a:\n- 1\n- b:\n  - c\n", "a: |-\n  x\n\n", "a: \"multi\n  line\"\n", "a: plain\n  continued\n",
    "a: \x85\n", "a: \u2028\n", "a: \ufeffx\n", "a: \x07\n",
]


def same(quick: Any, slow: Any) -> bool:
    """Equal, of the same types, numbers written the same way."""
    if type(quick) is not type(slow):
        return False
    if isinstance(quick, dict):
        return list(quick) == list(slow) and all(same(quick[key], slow[key]) for key in quick)
    if isinstance(quick, list):
        return len(quick) == len(slow) and all(same(a, b) for a, b in zip(quick, slow, strict=True))
    if isinstance(quick, (WrittenInt, WrittenFloat)):
        return quick.written == slow.written
    return quick == slow


def read_both(text: str) -> tuple[Any, Any]:
    """(the quick way's data or None, the long way's data when it reads with no problem, else None)."""
    try:
        data, _, _, duplicates = parse_yaml(text)
    except YamlProblem:
        return quick_parse(text), None
    return quick_parse(text), data if not duplicates and isinstance(data, dict) else None


def corpus_texts() -> list[tuple[str, str]]:
    texts = []
    for path in sorted(CORPUS.rglob("*")):
        if path.suffix not in (".yaml", ".md") or not path.is_file():
            continue
        try:
            text = decode_text(path.read_bytes())
            if path.suffix == ".md":
                text = split_front_matter(text)[0]
        except YamlProblem:
            continue
        texts.append((path.relative_to(CORPUS).as_posix(), text))
    return texts


@pytest.mark.parametrize("text", SNIPPETS)
def test_the_quick_way_reads_what_the_long_way_reads_without_a_problem(text: str) -> None:
    quick, slow = read_both(text)
    assert quick is None or (slow is not None and same(quick, slow))
    if slow is not None and "\t" not in text and len(text) < QUICK_NESTING:
        assert quick is not None  # a text without a problem is read the long way only for a tab or its size


def test_every_corpus_file_reads_the_same_either_way() -> None:
    texts = corpus_texts()
    assert len(texts) > 50
    quick_ones = 0
    for name, text in texts:
        quick, slow = read_both(text)
        assert quick is None or (slow is not None and same(quick, slow)), name
        quick_ones += quick is not None
    assert quick_ones > 10


@pytest.mark.parametrize("number", [1, 7, 250, 999])
def test_generated_hubs_read_the_quick_way(number: int) -> None:
    text = to_yaml(hub_record(number))
    quick, slow = read_both(text)
    assert quick is not None and same(quick, slow)


def test_a_corpus_example_exists() -> None:
    assert isinstance(CORPUS, Path) and (CORPUS / "hubs").is_dir()
