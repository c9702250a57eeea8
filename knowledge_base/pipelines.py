"""spaCy pipelines built offline from installed packages, and the tokeniser for mixed zh/en text.

No pretrained zh or en pipeline installs here (see TECH-NOTES "spaCy, offline"), so both are blank:
Chinese is cut by jieba through spaCy's tokenizer, English by spaCy's rules with the lookup lemmatizer
of `spacy-lookups-data`. Each is built on first use and kept for the life of the process; nothing
heavy happens at import time.

Text given to `tokenize` is expected to be normalised already (`normalize.normalize_aligned`), so
token offsets are offsets into the caller's original text.
"""

from __future__ import annotations

import functools
import gc
import logging
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from knowledge_base.normalize import has_cjk

_LATIN = re.compile(r"[a-z0-9]+")
_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_registered: set[str] = set()
_register_lock = threading.Lock()

# spaCy's English list drops words that carry the meaning of a support question ("not", "off",
# "no", "empty"...); its Chinese list is Simplified and drops "不" and "不能". Ours keeps those and
# adds the particles of spoken Taiwanese Mandarin.
_ENGLISH_KEEP = {
    "no", "not", "off", "on", "up", "down", "out", "empty", "back", "never", "nothing", "without", "full",
    "top", "bottom", "front", "side", "call", "move", "amount", "name", "serious", "per", "cannot", "first", "last",
}  # fmt: skip
_CHINESE_STOP_WORDS = (
    "的 了 是 我 你 他 她 它 我們 你們 他們 嗎 呢 吧 啊 呀 啦 喔 哦 欸 耶 齁 嘛 唷 哈 喂 請問 請 問 想 想要 "
    "怎麼 怎樣 是怎樣 怎麼辦 為什麼 什麼 如何 要 會 有 在 和 跟 與 及 或 把 被 這 那 這個 那個 個 一下 一個 "
    "都 也 就 還 又 很 好 太 超 蠻 滿 已經 還是 但是 可是 然後 因為 所以 如果 就是 可以 能 能不能 可不可以 "
    "是不是 有沒有 一直 到底 現在 今天 昨天 剛剛 剛 最近 之前 以後 時候 的話 一樣 有點 一點 東西 家 我家 幫 幫忙 "
    "麻煩 謝謝 您好 你好 您 該 應該 需要 知道 所有 每次 這樣 那樣 怎 啥 咧 捏 喇 多久 多少 哪裡 哪邊 在哪 哪 幾"
)


def _english_stop_words() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(str(w) for w in STOP_WORDS if w not in _ENGLISH_KEEP)


@functools.cache
def stop_words() -> frozenset[str]:
    """Words too common in support questions to say which article is meant."""
    return _english_stop_words() | frozenset(_CHINESE_STOP_WORDS.split())


@dataclass(frozen=True, slots=True)
class Token:
    """A word of the normalised text: its surface form, its lemma (English) and where it stands."""

    text: str
    lemma: str
    start: int
    end: int


@functools.cache
def chinese() -> Any:
    """The blank zh pipeline cutting with jieba; jieba loads its dictionary here (~1 s, ~160 MB) once."""
    import jieba
    import spacy

    jieba.setLogLevel(logging.WARNING)  # its "Building prefix dict" chatter is not ours to print
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    nlp.make_doc("載入")  # jieba reads its dictionary on first use: now, not in a request
    _settle()
    return nlp


@functools.cache
def english() -> Any:
    """The blank en pipeline with the lookup lemmatizer from spacy-lookups-data."""
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()
    _settle()
    return nlp


def _settle() -> None:
    """The dictionaries just loaded (millions of objects) live as long as the process: moved out of the
    garbage collector's sight, so that its full collections stop walking them. In the app they made every
    full collection a ~100 ms pause of the event loop, and with it of the screen-pops."""
    gc.collect()
    gc.freeze()


@functools.cache
def _lemmas() -> Any:
    # The lemmatizer's own table, read directly: English words inside Chinese text get the same
    # lemma as in English text, and a dict lookup is cheaper than running the pipeline per word.
    return english().get_pipe("lemmatizer").lookups.get_table("lemma_lookup")


def register_words(words: Iterable[str]) -> None:
    """Teach jieba domain words (from the synonym list) so it keeps them whole; idempotent, process-wide."""
    import jieba

    chinese()
    with _register_lock:
        for word in words:
            if word not in _registered and has_cjk(word) and " " not in word:
                jieba.add_word(word)
                _registered.add(word)


def lemma(word: str) -> str:
    """The lookup lemma of a lower-case English word; anything else is its own lemma."""
    if not word.isascii() or not word.isalpha():
        return word
    return str(_lemmas().get(word, word))


def tokenize(text: str) -> list[Token]:
    """Cut normalised text into words: jieba when it holds any ideograph, spaCy's English rules otherwise."""
    nlp = chinese() if has_cjk(text) else english()
    doc = nlp.make_doc(text)
    return [Token(t.text, lemma(t.text), t.idx, t.idx + len(t.text)) for t in doc if not t.text.isspace()]


def char_ngrams(text: str, *, unigrams: bool = True) -> list[str]:
    """CJK bigrams (and single ideographs) and padded Latin trigrams of normalised text, with repeats.

    They match where words do not: a wrong or dropped character, a word jieba cut differently, an
    English misspelling ("recipt" still shares "rec", "ipt", "pt#" with "receipt").
    """
    grams: list[str] = []
    for run in _CJK_RUN.findall(text):
        if unigrams:
            grams.extend(run)
        grams.extend(run[i : i + 2] for i in range(len(run) - 1))
    for word in _LATIN.findall(text):
        padded = f"#{word}#"
        grams.extend(padded[i : i + 3] for i in range(len(padded) - 2))
    return grams
