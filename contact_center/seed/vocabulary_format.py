"""The text-block format the demo-data word lists are written in, and its parsers.

Everything is zh-Hant as written in Taiwan. The lists are text blocks — one entry or one group per
line — so that whoever reviews or translates them reads prose rather than Python, and so that code
formatters leave them alone. The parsers below turn them into tuples once, at import.
Weights are relative, not percentages. In the groups, "-" stands for an empty string.
"""

from __future__ import annotations


def lines(text: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in text.splitlines() if line.strip())


def rows(text: str) -> list[list[str]]:
    return [[cell.strip() for cell in line.split("|")] for line in lines(text)]


def words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


def pairs(text: str) -> dict[str, str]:
    return dict(item.split(":") for item in text.split())


def groups(text: str) -> dict[str, tuple[str, ...]]:
    """`key: word word ...` lines; a key may continue on further lines."""
    found: dict[str, tuple[str, ...]] = {}
    for line in lines(text):
        key, _, items = line.partition(":")
        found[key] = found.get(key, ()) + tuple("" if w == "-" else w for w in items.split())
    return found
