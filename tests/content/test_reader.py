"""The YAML loader: what a person writes is what they meant, and every failure has a position."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from conftest import HUB_YAML, check_content

from hubsite.content.reader import YamlProblem, parse_yaml, split_front_matter


def test_scalars_are_typed_as_people_read_them() -> None:
    data, *_ = parse_yaml("a: NO\nb: on\nc: 18:00\nd: 01234\ne: 2026-01-12\nf: 1.5\ng: 7\nh: true\ni: ~\nj: '7'\nyes: off\n")
    assert data == {"a": "NO", "b": "on", "c": "18:00", "d": "01234", "e": "2026-01-12", "f": 1.5, "g": 7, "h": True, "i": None, "j": "7", "yes": "off"}


def test_positions_of_values_and_keys() -> None:
    _, values, keys, _ = parse_yaml("name: x\nsessions:\n  - time: 18:00-20:00\n")
    assert values[("sessions", 0, "time")] == (3, 11)
    assert keys[("sessions", 0, "time")] == (3, 5)


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("a: 1\n\tb: 2\n", 2, "tab character in indentation"),
        ("a: [1\nb: 2\n", 2, "YAML syntax error"),
        ("a: &x [1]\nb: *x\n", 2, "aliases ('*x') are not supported"),
        ("a: 1\n---\na: 2\n", 2, "a second YAML document"),
        ("# only a comment\n", 1, "the file is empty"),
        ("a: !!python/object x\n", 1, "the YAML tag '!!python/object' is not supported"),
        ("[1, 2]: x\n", 1, "a key must be plain text"),
    ],
)
def test_stopping_problems_are_positioned(text: str, line: int, words: str) -> None:
    with pytest.raises(YamlProblem) as caught:
        parse_yaml(text)
    assert caught.value.line == line
    assert words in caught.value.message


def test_duplicate_keys_are_reported_with_both_lines() -> None:
    data, _, _, duplicates = parse_yaml("name: a\nx: 1\nname: b\n")
    assert data["name"] == "a"
    assert [(d.line, d.field, d.message) for d in duplicates] == [(3, "name", "duplicate key 'name' (first given on line 1)")]


def test_deep_nesting_is_an_error_not_a_crash() -> None:
    started = time.perf_counter()
    with pytest.raises(YamlProblem, match="nested more than 32 levels"):
        parse_yaml("a: " + "[" * 100_000 + "]" * 100_000)
    assert time.perf_counter() - started < 30  # libyaml's own composer segfaults here


def test_alias_bomb_is_refused_at_the_first_alias() -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8))
    with pytest.raises(YamlProblem, match="aliases"):
        parse_yaml(bomb)


def test_front_matter_may_follow_comments() -> None:
    front, offset, body, body_line = split_front_matter("<!-- note -->\n---\ntitle: T\n---\nHello\n")
    assert (front, offset, body, body_line) == ("title: T", 2, "Hello\n", 5)


def test_bom_and_crlf_are_accepted(tmp_path: Path) -> None:
    raw = ("\ufeff" + HUB_YAML).replace("\n", "\r\n").encode("utf-8")
    result = check_content(tmp_path / "content", {"hubs/example-hub.yaml": raw})
    assert result.code == 0, result.err


def test_non_utf8_bytes_are_positioned(tmp_path: Path) -> None:
    raw = HUB_YAML.replace("Weekly study groups.", "Caf\xe9").encode("latin-1")
    result = check_content(tmp_path / "content", {"hubs/example-hub.yaml": raw})
    assert result.code == 1
    assert "hubs/example-hub.yaml:9:13: not valid UTF-8 (byte 0xe9); save the file as UTF-8" in result.err


def test_yml_files_are_not_silently_read(tmp_path: Path) -> None:
    result = check_content(tmp_path / "content", {"hubs/other.yml": HUB_YAML})
    assert result.code == 0
    assert "hubs/other.yml:1:1: warning: not a .yaml file, so it is not read; rename it to other.yaml" in result.err
