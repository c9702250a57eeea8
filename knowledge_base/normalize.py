"""One written form for queries and articles: half-width, Traditional (Taiwan), lower-case, no punctuation.

Agents and customers type in both scripts, with full-width letters from a Chinese IME and every kind of
punctuation; articles are written by other people again. Folding both sides to the same form is what
lets "我的空调坏了" find an article that says "冷氣壞了" and "ＷｉＦｉ" find "wifi".

`normalize_aligned` keeps the text exactly as long as its input, character for character, so that an
offset found in the normalised text is an offset in the original: the snippet highlighter relies on it.
"""

from __future__ import annotations

import functools
import re
from typing import Any

# Only the full-width ASCII block and the ideographic space are folded. Full NFKC would also rewrite
# CJK compatibility characters, circled numbers and "…" into several characters, and change lengths.
_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# Everything that is neither a letter, a digit nor an ideograph (including "_", which \w lets through)
# becomes one space: CJK and ASCII punctuation are unified by treating both as word boundaries.
_PUNCTUATION = re.compile(r"[^\w]|_")
_SPACES = re.compile(r"\s+")
_CHUNK = re.compile(r"\S+")


@functools.cache
def converter() -> Any:
    """The process's one Simplified → Taiwan Traditional converter (search, classifier and offers share
    it: each OpenCC instance holds ~40 MB of dictionaries)."""
    import opencc

    # s2twp, not s2t: Taiwan phrasing as well as characters (网络→網路, 软件→軟體, 鼠标→滑鼠).
    return opencc.OpenCC("s2twp")


def has_cjk(text: str) -> bool:
    """Whether the text contains at least one CJK ideograph."""
    return _CJK.search(text) is not None


def fold_width(text: str) -> str:
    """Full-width ASCII letters, digits and punctuation (and the ideographic space) to half-width."""
    return text.translate(_WIDTH)


def to_traditional(text: str) -> str:
    """Simplified to Traditional Chinese with Taiwan phrasing; other scripts pass through."""
    if not has_cjk(text):
        return text
    return str(converter().convert(text))


def _traditional_aligned(text: str) -> str:
    converted = to_traditional(text)
    if len(converted) == len(text):
        return converted
    # A phrase changed length (U盘→隨身碟): convert chunk by chunk and keep the original wherever a
    # chunk would move the offsets. Rare enough that the slower path does not matter.
    return _CHUNK.sub(lambda m: _same_length(m.group(0)), text)


def _same_length(chunk: str) -> str:
    converted = to_traditional(chunk)
    if len(converted) == len(chunk):
        return converted
    return "".join(c if len(t := to_traditional(c)) != 1 else t for c in chunk)


def _lower_aligned(text: str) -> str:
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def normalize_aligned(text: str) -> str:
    """Normalise without changing the length: each character of the result stands for the same one in `text`."""
    folded = _lower_aligned(_traditional_aligned(fold_width(text)))
    return _PUNCTUATION.sub(" ", folded)


def normalize(text: str) -> str:
    """The form used for matching: half-width, Traditional, lower-case, punctuation and runs of spaces as one space."""
    return _SPACES.sub(" ", normalize_aligned(text)).strip()
