"""A catalogue's Plural-Forms rule (`nplurals=3; plural=(n == 1 ? 0 : 2);`), read by a parser of
its own and never handed to Python: a translator's pull request may carry any text there.

The expression is C's grammar over `n`, reduced to what plural rules use: integers, `n`, `!`,
`%`, the comparisons, `&&`, `||`, `? :` and parentheses. Anything else (a name, a call, a string,
`+`, `/`) is refused. The rule is checked as the pages will use it: every n of `SAMPLES` must pick
one of the catalogue's forms, `0 .. nplurals-1`; gettext would otherwise fall back to English
without a word. Pages then pick forms with the same evaluator (catalogues.compiled_po), with C's
values (`2 && 3` is 1), not with gettext's translation into Python (where it is 3).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

MAX_FORMS = 6  # CLDR's most (Arabic: zero, one, two, few, many, other)
MAX_LENGTH = 1000  # gettext's own limit
MAX_DEPTH = 40  # nested parentheses, '!' and '?:', far beyond any language's rule
# Every n up to 1,000 and the round numbers where rules change (French 'many' is a million).
SAMPLES = (*range(0, 1001), 10_000, 100_000, 1_000_000, 10_000_000, 1_000_000_000)
_TOKEN = re.compile(r"\s*(?:([0-9]+)|(n)|(==|!=|<=|>=|&&|\|\||[<>!%?:()]))")
_BINARY: tuple[tuple[str, ...], ...] = (("||",), ("&&",), ("==", "!="), ("<", "<=", ">", ">="), ("%",))

Rule = Callable[[int], int]


class PluralFormsError(ValueError):
    """Why a Plural-Forms rule cannot be used, in plain words."""


@dataclass(frozen=True)
class PluralRule:
    """A checked rule: `forms` (nplurals) and `pick(n)`, the index of n's form."""

    forms: int
    expression: str
    pick: Rule

    def __call__(self, n: int) -> int:
        return self.pick(n)


def plural_rule(forms: int, expression: str) -> PluralRule:
    """The rule of a catalogue's header, or PluralFormsError saying what is wrong with it."""
    if not 1 <= forms <= MAX_FORMS:
        raise PluralFormsError(f"nplurals={forms}: a language has 1 to {MAX_FORMS} plural forms")
    if len(expression) > MAX_LENGTH:
        raise PluralFormsError(f"the plural expression is longer than {MAX_LENGTH} characters")
    pick = Parser(expression).parse()
    for n in SAMPLES:
        index = pick(n)
        if not 0 <= index < forms:
            raise PluralFormsError(f"the plural expression picks form {index} when n is {n}, but nplurals={forms} gives forms 0 to {forms - 1}")
    return PluralRule(forms, expression, pick)


def tokens(expression: str) -> Iterator[str]:
    position = 0
    while expression[position:].strip():
        match = _TOKEN.match(expression, position)
        if not match:
            found = expression[position:].lstrip()[:12]
            raise PluralFormsError(f"the plural expression may only use n, integers, ! % == != < <= > >= && || ? : and parentheses; it has: {found}")
        position = match.end()
        yield match.group(match.lastindex or 0)


class Parser:
    """Recursive descent, by C's precedence: `?:` < `||` < `&&` < equality < relational < `%` < `!`."""

    def __init__(self, expression: str) -> None:
        self.tokens = list(tokens(expression))
        self.at = 0
        self.depth = 0

    def parse(self) -> Rule:
        if not self.tokens:
            raise PluralFormsError("the plural expression is empty")
        rule = self.conditional()
        if self.at < len(self.tokens):
            raise PluralFormsError(f"the plural expression has '{self.tokens[self.at]}' where it should end")
        return rule

    def peek(self) -> str | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def take(self, wanted: str | None = None) -> str:
        symbol = self.peek()
        if symbol is None or (wanted is not None and symbol != wanted):
            raise PluralFormsError(f"the plural expression lacks '{wanted}'" if wanted else "the plural expression ends too soon")
        self.at += 1
        return symbol

    def nested(self) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise PluralFormsError(f"the plural expression nests more than {MAX_DEPTH} deep")

    def conditional(self) -> Rule:
        self.nested()
        condition = self.binary(0)
        if self.peek() == "?":
            self.take("?")
            chosen = self.conditional()
            self.take(":")
            other = self.conditional()
            self.depth -= 1
            return lambda n: chosen(n) if condition(n) else other(n)
        self.depth -= 1
        return condition

    def binary(self, level: int) -> Rule:
        if level == len(_BINARY):
            return self.unary()
        left = self.binary(level + 1)
        while self.peek() in _BINARY[level]:
            left = combined(self.take(), left, self.binary(level + 1))
        return left

    def unary(self) -> Rule:
        symbol = self.take()
        if symbol == "!":
            self.nested()
            operand = self.unary()
            self.depth -= 1
            return lambda n: int(not operand(n))
        if symbol == "(":
            inner = self.conditional()
            self.take(")")
            return inner
        if symbol == "n":
            return lambda n: n
        if symbol.isdigit():
            return Constant(int(symbol))
        raise PluralFormsError(f"the plural expression has '{symbol}' where a number, n or '(' should be")


@dataclass(frozen=True)
class Constant:
    """A number written in the expression: the only divisor `%` may have."""

    value: int

    def __call__(self, n: int) -> int:
        return self.value


def combined(operator: str, left: Rule, right: Rule) -> Rule:
    """C's value of `left OPERATOR right`: comparisons and logic give 0 or 1, && and || look at
    their right side only when they must. `%` divides only by a number written in the expression,
    never 0: a rule that divides by a value of n would fail at some count no sample shows."""
    if operator == "%" and not (isinstance(right, Constant) and right.value > 0):
        raise PluralFormsError("the plural expression may divide only by a number written in it, other than 0, like n % 10")
    operations: dict[str, Rule] = {
        "||": lambda n: int(bool(left(n)) or bool(right(n))),
        "&&": lambda n: int(bool(left(n)) and bool(right(n))),
        "==": lambda n: int(left(n) == right(n)),
        "!=": lambda n: int(left(n) != right(n)),
        "<": lambda n: int(left(n) < right(n)),
        "<=": lambda n: int(left(n) <= right(n)),
        ">": lambda n: int(left(n) > right(n)),
        ">=": lambda n: int(left(n) >= right(n)),
        "%": lambda n: left(n) % right(n),
    }
    return operations[operator]
