"""What ticket search indexes and asks for: the text normalised the way the knowledge base does it (half-
width, Traditional Chinese with Taiwan phrasing, lower-case), then Chinese as single characters and
character pairs (a two-character word such as 漏水 is one pair: no word segmenter has to agree with the
customer about where words end), and Latin letters and digits as whole words.

A query matches a ticket that holds all of its pairs (or its single character, or its words): 冷氣漏水
asks for 冷氣, 氣漏 and 漏水 together."""

from __future__ import annotations

import functools
import re

from knowledge_base.normalize import normalize

_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_WORD = re.compile(r"[a-z0-9]+")
MAX_TERMS = 4_000  # a very long conversation still indexes its first few thousand distinct terms
MAX_QUERY_TERMS = 32


def _pieces(text: str) -> tuple[list[str], list[str]]:
    normal = normalize(text)
    return _CJK_RUN.findall(normal), _WORD.findall(_CJK_RUN.sub(" ", normal))


def terms_of(pieces: list[str]) -> list[str]:
    """A ticket's terms: those of its subject, description and messages, each on its own (no pair spans
    two of them), in first-seen order. Subjects repeat a lot ("冷氣不冷"): their terms are remembered."""
    found: dict[str, None] = {}
    for i, piece in enumerate(pieces):
        found.update(dict.fromkeys(_remembered(piece) if i == 0 else terms(piece)))
    return list(found)[:MAX_TERMS]


@functools.lru_cache(maxsize=20_000)
def _remembered(text: str) -> tuple[str, ...]:
    return tuple(terms(text))


def terms(text: str) -> list[str]:
    """The distinct terms of one text, in first-seen order."""
    runs, words = _pieces(text)
    found: dict[str, None] = {}
    for run in runs:
        for i, char in enumerate(run):
            found[char] = None
            if i + 1 < len(run):
                found[run[i : i + 2]] = None
    for word in words:
        found[word[:60]] = None
    return list(found)[:MAX_TERMS]


def query_terms(query: str) -> list[str]:
    """What a ticket must hold to match `query`: pairs of each Chinese run (a lone character alone), words."""
    runs, words = _pieces(query)
    wanted: dict[str, None] = {}
    for run in runs:
        if len(run) == 1:
            wanted[run] = None
        for i in range(len(run) - 1):
            wanted[run[i : i + 2]] = None
    for word in words:
        wanted[word[:60]] = None
    return list(wanted)[:MAX_QUERY_TERMS]
