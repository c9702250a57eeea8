"""The article index: BM25F over words plus BM25 over character n-grams, re-ranked by a bounded feedback prior.

Two channels are scored for a query q and an article d, each with BM25 (k1 = 1.2, b = 0.5: articles are
short, a long one is rarely padding) on field-weighted term frequencies (title ×3, tags ×2, body ×1):

- words: spaCy/jieba tokens, English lemmas, every synonym replaced by its group's canonical term,
  stop words and lone particles (來, 拿) dropped;
- grams: CJK bigrams and single ideographs (the latter at query weight 0.3) and padded Latin trigrams,
  which still match across typos, homophone slips and words jieba cut differently.

Each channel's sum is divided by the most the query could score in it, Σ weight·idf·(k1+1) over its
terms, so both lie in [0, 1] whatever the query length. Query words found in no article stay in that
sum (at the idf of an unseen term): a query of mostly unknown words cannot reach full marks on the one
common word it shares with an article. Then

    score(d) = (words(d) + 0.6 · grams(d) + 0.3 · title(d)) · lang(d) · prior(d) · prior(q, d)

    title(d)    = idf-weighted share of the query's words that d's title contains
    lang(d)     = 1.5 for a Chinese article and a query with any Chinese in it (zh-Hant/zh-Hans are
                  one family), 1.25 for an English article and an all-Latin query, 1 otherwise
    prior(d)    = 1 + 0.25 · (2r − 1),  r = (helpful + 3) / (helpful + not_helpful + 6)
    prior(q, d) = the same with the votes that (query word, d) pairs received, summed over q's words

so feedback moves an article by at most ±25 % per factor (about ×0.56 to ×1.56 together), a handful
of votes moves it a little, and an article nobody voted on keeps 1. Hits scoring under 0.05 or under
a fifth of the best hit are noise n-grams and are not returned.

A query is cut to its first 500 characters, then to its 32 rarest words and 96 rarest n-grams (idf in
this index): a pasted 10 kB e-mail costs about what a long sentence costs.

Drafts are never indexed: adding a draft removes the published version of that article, if any.
`add` replaces the article with the same external_id and `remove` takes it out, without rebuilding.
A changed synonym list changes how articles are cut and mapped: build a new index with it.
"""

from __future__ import annotations

import html
import math
import re
import sys
import threading
from array import array
from collections.abc import Iterable
from typing import Literal, NamedTuple, TypeVar

import msgspec
import numpy as np
import numpy.typing as npt

from knowledge_base import pipelines
from knowledge_base.normalize import has_cjk, normalize_aligned
from knowledge_base.synonyms import Synonyms

Lang = Literal["zh-Hant", "zh-Hans", "en"]
Status = Literal["draft", "published"]
Floats = npt.NDArray[np.float64]
_Array = TypeVar("_Array", bound=npt.NDArray[np.generic])

K1, B = 1.2, 0.5
TITLE_WEIGHT, TAG_WEIGHT, BODY_WEIGHT = 3.0, 2.0, 1.0
GRAM_WEIGHT = 0.6
TITLE_COVERAGE_WEIGHT = 0.3
UNIGRAM_QUERY_WEIGHT = 0.3
# A question with any Chinese in it is from someone who reads Chinese best, even if it names the part
# in English ("冷氣 filter 要怎麼洗"); an English question may well be answered by a Chinese article
# when no English one exists, so its preference is milder.
LANG_BONUS_ZH = 0.5
LANG_BONUS_EN = 0.25
FEEDBACK_SMOOTHING = 3.0
FEEDBACK_STRENGTH = 0.25
MIN_SCORE = 0.05
MIN_SHARE_OF_BEST = 0.2
MAX_QUERY_CHARS = 500
MAX_QUERY_WORDS = 32
MAX_QUERY_GRAMS = 96
# Characters that are as likely noise as meaning: not searched alone, and a bigram with one of them
# is not worth a highlight.
_STOP_CHARS = frozenset("的了是我你他嗎呢吧啊呀啦喔哦都也就還又很在有要會這那個一怎麼樣什為家")


class Article(msgspec.Struct, frozen=True, kw_only=True):
    """A knowledge-base article as the index sees it."""

    external_id: str
    title: str
    body: str
    lang: Lang = "zh-Hant"
    tags: list[str] = msgspec.field(default_factory=list)
    product: str | None = None
    public: bool = True
    status: Status = "published"


class SearchHit(msgspec.Struct, frozen=True, kw_only=True):
    """One ranked result; `snippet` is HTML: escaped body text with the matched words in <mark>."""

    external_id: str
    title: str
    score: float
    snippet: str
    lang: Lang
    product: str | None
    public: bool


def feedback_factor(helpful: int, not_helpful: int) -> float:
    """The bounded prior of the module docstring: 1 without votes, within [0.75, 1.25] always."""
    rate = (helpful + FEEDBACK_SMOOTHING) / (helpful + not_helpful + 2 * FEEDBACK_SMOOTHING)
    return 1.0 + FEEDBACK_STRENGTH * (2.0 * rate - 1.0)


class _Body(NamedTuple):
    """What highlighting needs of a body, kept from indexing: its normalised text and its words' spans."""

    normalised: str
    lemmas: tuple[str, ...]
    spans: npt.NDArray[np.int32]  # (n, 2): start and end of each word in `lemmas`


class _Analysis(NamedTuple):
    words: dict[str, float]
    grams: dict[str, float]
    title: dict[str, float]
    body: _Body


class _Analyzer:
    """Turns normalised text into word terms (with offsets) and character n-grams."""

    def __init__(self, synonyms: Synonyms) -> None:
        self.synonyms = synonyms
        self.stop = pipelines.stop_words()

    def words(self, normalised: str) -> list[pipelines.Token]:
        tokens = self.synonyms.tokenize(normalised)
        canonical = self.synonyms.canonical_terms
        # A lone ideograph jieba could not attach to a word is mostly a particle or a verb (來, 拿, 看);
        # the n-gram channel still counts it. Single-character synonyms (慢, 壞) are words proper.
        return [
            t
            for t in tokens
            if t.lemma not in self.stop
            and t.text not in self.stop
            and (len(t.lemma) > 1 or not has_cjk(t.lemma) or t.lemma in canonical)
        ]

    def document(self, article: Article) -> _Analysis:
        words: dict[str, float] = {}
        grams: dict[str, float] = {}
        tokens: dict[str, list[pipelines.Token]] = {}
        fields = (("title", article.title, TITLE_WEIGHT), ("tags", " , ".join(article.tags), TAG_WEIGHT))
        for name, text, weight in (*fields, ("body", article.body, BODY_WEIGHT)):
            normalised = normalize_aligned(text)
            tokens[name] = self.words(normalised)
            for token in tokens[name]:
                words[token.lemma] = words.get(token.lemma, 0.0) + weight
            for gram in pipelines.char_ngrams(normalised):
                grams[gram] = grams.get(gram, 0.0) + weight
        body = _Body(
            normalised,
            tuple(sys.intern(t.lemma) for t in tokens["body"]),
            np.array([(t.start, t.end) for t in tokens["body"]], dtype=np.int32).reshape(-1, 2),
        )
        return _Analysis(words, grams, dict.fromkeys((t.lemma for t in tokens["title"]), 1.0), body)

    def query(self, normalised: str) -> tuple[dict[str, float], dict[str, float]]:
        words = {t.lemma: 1.0 for t in self.words(normalised)}
        grams = {
            g: (UNIGRAM_QUERY_WEIGHT if len(g) == 1 else 1.0)
            for g in pipelines.char_ngrams(normalised)
            if g not in _STOP_CHARS  # a lone 的 or 嗎 says nothing; bigrams with them still count
        }
        return words, grams


class _Channel:
    """Postings of one channel: term → (article slots, weighted term frequencies), plus article lengths.

    New postings go to compact stdlib arrays and are merged into the numpy arrays on the next search, so
    a bulk load costs one concatenation per term and adding one article costs a few appends.
    """

    def __init__(self) -> None:
        self.postings: dict[str, tuple[npt.NDArray[np.int32], npt.NDArray[np.float32]]] = {}
        self.pending: dict[str, tuple[array[int], array[float]]] = {}
        self.lengths: Floats = np.zeros(0)
        self.total_length = 0.0
        self.terms_of: dict[int, tuple[str, ...]] = {}
        self._norm: Floats | None = None

    def grow(self, capacity: int) -> None:
        self.lengths = np.concatenate([self.lengths, np.zeros(capacity - len(self.lengths))])

    def add(self, slot: int, tf: dict[str, float]) -> None:
        for term, freq in tf.items():
            pending = self.pending.get(term)
            if pending is None:
                pending = self.pending[term] = (array("i"), array("f"))
            pending[0].append(slot)
            pending[1].append(freq)
        self.terms_of[slot] = tuple(sys.intern(t) for t in tf)
        self.lengths[slot] = sum(tf.values())
        self.total_length += self.lengths[slot]
        self._norm = None

    def remove(self, slot: int) -> None:
        self.flush()
        for term in self.terms_of.pop(slot, ()):
            ids, freqs = self.postings[term]
            keep = ids != slot
            if keep.all():
                continue
            if keep.any():
                self.postings[term] = (ids[keep], freqs[keep])
            else:
                del self.postings[term]
        self.total_length -= self.lengths[slot]
        self.lengths[slot] = 0.0
        self._norm = None

    def flush(self) -> None:
        for term, (new_ids, new_freqs) in self.pending.items():
            ids = np.frombuffer(new_ids, dtype=np.int32)
            freqs = np.frombuffer(new_freqs, dtype=np.float32)
            if term in self.postings:
                old_ids, old_freqs = self.postings[term]
                ids, freqs = np.concatenate([old_ids, ids]), np.concatenate([old_freqs, freqs])
            self.postings[term] = (ids, freqs)
        self.pending.clear()

    def idf(self, term: str, n_docs: int) -> float:
        posting = self.postings.get(term)
        if posting is None:
            return 0.0
        df = len(posting[0])
        return math.log(1.0 + (n_docs - df + 0.5) / (df + 0.5))

    def score(
        self, query: dict[str, float], n_docs: int, limit: int, size: int, *, count_unseen: bool
    ) -> tuple[Floats, dict[str, float]]:
        """Normalised BM25 of every slot, and the query terms found here with weight·idf (rarest `limit` ones)."""
        scores = np.zeros(size)
        unseen = math.log(1.0 + (n_docs + 0.5) / 0.5)
        weighted = sorted(
            (
                (w * (self.idf(t, n_docs) if t in self.postings else unseen), t)
                for t, w in query.items()
                if count_unseen or t in self.postings
            ),
            key=lambda pair: -pair[0],
        )[:limit]
        # Query terms no article contains stay in the denominator: a query made mostly of unknown
        # words should not reach full marks on the one common word it shares with an article.
        total = sum(w for w, _ in weighted) * (K1 + 1.0)
        weighted = [(w, t) for w, t in weighted if t in self.postings]
        if not weighted:
            return scores, {}
        if self._norm is None:
            average = self.total_length / max(n_docs, 1)
            self._norm = K1 * (1.0 - B + B * self.lengths / max(average, 1e-9))
        for weight, term in weighted:
            ids, freqs = self.postings[term]
            scores[ids] += weight * freqs * (K1 + 1.0) / (freqs + self._norm[ids])
        scores /= total
        return scores, {t: w for w, t in weighted}

    def coverage(self, weights: dict[str, float], size: int) -> Floats:
        """Share of the query's weight whose terms each slot contains at all (for titles: tf is ignored)."""
        scores = np.zeros(size)
        for term, weight in weights.items():
            posting = self.postings.get(term)
            if posting is not None:
                scores[posting[0]] += weight
        return scores / max(sum(weights.values()), 1e-9)


class ArticleIndex:
    """Searchable published articles; add, replace and remove one at a time, search from any thread."""

    def __init__(self, synonyms: Synonyms | None = None) -> None:
        self._analyzer = _Analyzer(synonyms or Synonyms.default())
        self._words = _Channel()
        self._grams = _Channel()
        self._titles = _Channel()
        self._slot_of: dict[str, int] = {}
        self._articles: list[Article | None] = []
        self._bodies: list[_Body | None] = []
        self._alive = np.zeros(0, dtype=bool)
        self._public = np.zeros(0, dtype=bool)
        self._chinese = np.zeros(0, dtype=bool)
        self._product = np.zeros(0, dtype=np.int32)
        self._prior: Floats = np.zeros(0)
        self._product_codes: dict[str, int] = {}
        self._votes: dict[str, tuple[int, int]] = {}
        self._term_votes: dict[str, dict[str, list[int]]] = {}
        # Writers are rare and short; searches flush pending postings, so they take the lock too.
        self._lock = threading.RLock()

    @classmethod
    def build(cls, articles: Iterable[Article], synonyms: Synonyms | None = None) -> ArticleIndex:
        """An index holding the published ones of `articles`."""
        index = cls(synonyms)
        for article in articles:
            index.add(article)
        return index

    def __len__(self) -> int:
        return len(self._slot_of)

    def __contains__(self, external_id: object) -> bool:
        return external_id in self._slot_of

    def add(self, article: Article) -> None:
        """Index an article, replacing any earlier version; a draft only removes the earlier version."""
        analysis = self._analyzer.document(article)  # outside the lock: the slow part
        with self._lock:
            self.remove(article.external_id)
            if article.status != "published":
                return
            slot = len(self._articles)
            if slot >= len(self._alive):
                self._grow(max(64, 2 * len(self._alive)))
            self._articles.append(article)
            self._bodies.append(analysis.body)
            self._slot_of[article.external_id] = slot
            self._words.add(slot, analysis.words)
            self._grams.add(slot, analysis.grams)
            self._titles.add(slot, analysis.title)
            self._alive[slot] = True
            self._public[slot] = article.public
            self._chinese[slot] = article.lang != "en"
            self._product[slot] = self._product_code(article.product) if article.product else 0
            self._prior[slot] = feedback_factor(*self._votes.get(article.external_id, (0, 0)))

    def remove(self, external_id: str) -> bool:
        """Take an article out; False when it was not indexed."""
        with self._lock:
            slot = self._slot_of.pop(external_id, None)
            if slot is None:
                return False
            self._words.remove(slot)
            self._grams.remove(slot)
            self._titles.remove(slot)
            self._articles[slot] = None
            self._bodies[slot] = None
            self._alive[slot] = False
            return True

    def set_feedback(self, external_id: str, helpful: int, not_helpful: int) -> None:
        """Replace an article's vote counts (as the app has stored them)."""
        with self._lock:
            self._votes[external_id] = (helpful, not_helpful)
            slot = self._slot_of.get(external_id)
            if slot is not None:
                self._prior[slot] = feedback_factor(helpful, not_helpful)

    def record_feedback(self, external_id: str, query: str, helpful: bool) -> None:
        """Count one vote for the article and for each (word of `query`, article) pair."""
        votes = self._votes.get(external_id, (0, 0))
        self.set_feedback(external_id, votes[0] + helpful, votes[1] + (not helpful))
        words, _ = self._analyzer.query(normalize_aligned(query[:MAX_QUERY_CHARS]))
        with self._lock:
            for term in list(words)[:MAX_QUERY_WORDS]:
                counts = self._term_votes.setdefault(term, {}).setdefault(external_id, [0, 0])
                counts[0 if helpful else 1] += 1

    def search(
        self,
        text: str,
        limit: int = 5,
        *,
        product: str | None = None,
        include_internal: bool = True,
        lang: Lang | None = None,
    ) -> list[SearchHit]:
        """The best published articles for a free-text question; [] for an empty or unmatched one."""
        if limit <= 0 or not text or text.isspace():
            return []
        normalised = normalize_aligned(text[:MAX_QUERY_CHARS])
        words, grams = self._analyzer.query(normalised)
        chinese_query = has_cjk(normalised) if lang is None else lang != "en"
        with self._lock:
            if not self._slot_of:
                return []
            self._words.flush()
            self._grams.flush()
            self._titles.flush()
            size, n_docs = len(self._articles), len(self._slot_of)
            word_scores, word_terms = self._words.score(words, n_docs, MAX_QUERY_WORDS, size, count_unseen=True)
            gram_scores, gram_terms = self._grams.score(grams, n_docs, MAX_QUERY_GRAMS, size, count_unseen=False)
            title_scores = self._titles.coverage(word_terms, size)
            scores = word_scores + GRAM_WEIGHT * gram_scores + TITLE_COVERAGE_WEIGHT * title_scores
            scores *= self._prior[:size]
            bonus = 1.0 + (LANG_BONUS_ZH if chinese_query else LANG_BONUS_EN)
            scores *= np.where(self._chinese[:size] == chinese_query, bonus, 1.0)
            scores[~self._allowed(size, product, include_internal)] = 0.0
            self._apply_term_votes(scores, list(word_terms))
            ranked = _top(scores, limit)
            picked = [(self._articles[slot], self._bodies[slot], float(scores[slot])) for slot in ranked]
        matched = set(word_terms)
        marks = {g for g in gram_terms if len(g) == 2 and has_cjk(g)}
        return [
            SearchHit(
                external_id=article.external_id,
                title=article.title,
                score=round(score, 4),
                snippet=_render_snippet(article.body, body, matched, marks),
                lang=article.lang,
                product=article.product,
                public=article.public,
            )
            for article, body, score in picked
            if article is not None and body is not None
        ]

    def _allowed(self, size: int, product: str | None, include_internal: bool) -> npt.NDArray[np.bool_]:
        allowed = self._alive[:size].copy()
        if not include_internal:
            allowed &= self._public[:size]
        if product is not None:
            code = self._product_codes.get(product.strip().lower(), -1)
            allowed &= (self._product[:size] == 0) | (self._product[:size] == code)
        return allowed

    def _apply_term_votes(self, scores: Floats, terms: list[str]) -> None:
        totals: dict[str, list[int]] = {}
        for term in terms:
            for external_id, (helpful, not_helpful) in self._term_votes.get(term, {}).items():
                total = totals.setdefault(external_id, [0, 0])
                total[0] += helpful
                total[1] += not_helpful
        for external_id, (helpful, not_helpful) in totals.items():
            slot = self._slot_of.get(external_id)
            if slot is not None:
                scores[slot] *= feedback_factor(helpful, not_helpful)

    def _product_code(self, product: str) -> int:
        return self._product_codes.setdefault(product.strip().lower(), len(self._product_codes) + 1)

    def _grow(self, capacity: int) -> None:
        self._alive, self._public = _grown(self._alive, capacity), _grown(self._public, capacity)
        self._chinese, self._product = _grown(self._chinese, capacity), _grown(self._product, capacity)
        self._prior = _grown(self._prior, capacity)
        self._words.grow(capacity)
        self._grams.grow(capacity)
        self._titles.grow(capacity)


def _top(scores: Floats, limit: int) -> list[int]:
    best = float(scores.max(initial=0.0))
    candidates = np.flatnonzero(scores >= max(MIN_SCORE, MIN_SHARE_OF_BEST * best))
    if len(candidates) > limit:
        candidates = candidates[np.argpartition(-scores[candidates], limit - 1)[:limit]]
    return [int(i) for i in candidates[np.argsort(-scores[candidates], kind="stable")]]


def _grown(array: _Array, capacity: int) -> _Array:
    extra = np.zeros(capacity - len(array), dtype=array.dtype)
    return np.concatenate([array, extra])  # type: ignore[return-value]


# -- snippets -------------------------------------------------------------------------------------

# An ideograph says about what a short English word does: a Chinese snippet needs fewer characters.
SNIPPET_CHARS_CJK, SNIPPET_CHARS_LATIN = 80, 160
_SENTENCE_END = re.compile(r"[。！？!?；;\n]+|\.(?=\s|$)")


def _render_snippet(body: str, analysed: _Body, terms: set[str], grams: set[str]) -> str:
    """A short excerpt of `body` around its best sentence, HTML-escaped, matches wrapped in <mark>."""
    marks = _marks(analysed, terms, {g for g in grams if not _STOP_CHARS.intersection(g)})
    width = SNIPPET_CHARS_CJK if has_cjk(body) else SNIPPET_CHARS_LATIN
    start, end = _window(body, analysed.normalised, marks, width)
    while start < end and body[start].isspace():
        start += 1
    pieces = ["…" if start > 0 else ""]
    position = start
    for first, last in marks:
        if last <= start or first >= end:
            continue
        first, last = max(first, start), min(last, end)
        pieces += [html.escape(body[position:first]), "<mark>", html.escape(body[first:last]), "</mark>"]
        position = last
    pieces.append(html.escape(body[position:end]).rstrip())
    if body[end:].strip():
        pieces.append("…")
    return "".join(pieces).replace("\n", " ")


def _marks(analysed: _Body, terms: set[str], grams: set[str]) -> list[tuple[int, int]]:
    spans = [(int(a), int(b)) for lemma, (a, b) in zip(analysed.lemmas, analysed.spans, strict=True) if lemma in terms]
    # Matching bigrams are shown only when no word matched (a typo query): next to matched words,
    # fragments such as "子發" of 電子發票 are noise.
    for gram in () if spans else grams:
        position = analysed.normalised.find(gram)
        while position >= 0:
            spans.append((position, position + len(gram)))
            position = analysed.normalised.find(gram, position + 1)
    merged: list[tuple[int, int]] = []
    for first, last in sorted(spans):
        if merged and first < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(last, merged[-1][1]))
        else:
            merged.append((first, last))
    return merged


def _sentences(body: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for match in _SENTENCE_END.finditer(body):
        if match.end() > start:
            spans.append((start, match.end()))
            start = match.end()
    if start < len(body):
        spans.append((start, len(body)))
    return spans or [(0, 0)]


def _window(body: str, normalised: str, marks: list[tuple[int, int]], width: int) -> tuple[int, int]:
    """The sentence with most distinct matches plus the next ones that fit, or a cut around its first match."""
    sentences = _sentences(body)
    best = max(
        range(len(sentences)),
        key=lambda i: (len({normalised[a:b] for a, b in marks if sentences[i][0] <= a < sentences[i][1]}), -i),
    )
    start, end = sentences[best]
    if end - start > width:
        first = next((a for a, _ in marks if start <= a < end), start)
        start = max(start, first - width // 4)
        return start, min(end, start + width)
    for _following_start, following_end in sentences[best + 1 :]:
        if following_end - start > width:
            break
        end = following_end
    return start, end
