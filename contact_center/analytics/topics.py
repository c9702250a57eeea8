"""Topics in zh-Hant complaint texts: jieba words, a keyword co-occurrence graph, Louvain communities.

Why this method: complaint texts are short (one or two sentences), so document clustering on
TF-IDF vectors is noisy and needs a number of clusters up front; keywords that complain about the
same thing, on the other hand, keep appearing *together* ("遙控器 … 沒反應 … 電池"). So:

1. **Words.** jieba's dictionary is Simplified-first and cuts Traditional text badly (遙/控器換), so
   each text is converted to Simplified with OpenCC (t2s keeps the length, character for character),
   cut by jieba, and the cuts are mapped back onto the original Traditional characters. Product
   model codes (RAC-36NK) are kept whole. Kept: words of >= 2 characters that are not stop words
   (greetings, fillers, time words: `STOP_WORDS`) and not numbers; each document is a *set* of words.
2. **Vocabulary.** Words in at least `MIN_DF` (4) documents and at most half of them.
3. **Graph.** Normalised pointwise mutual information between two words a, b over documents,

       npmi(a, b) = log(p(a, b) / (p(a) p(b))) / -log p(a, b)       (in [-1, 1])

   an edge when they co-occur in >= 3 documents and npmi >= 0.3. NPMI does not favour frequent
   words, so the words of a topic that appeared last week (APP, 登入, 驗證碼) link as strongly as
   those of a topic of three years.
4. **Communities.** Louvain modularity on that weighted graph (deterministic node order) at
   resolution 3: above the usual 1, so that two complaints sharing one word (天氣 in "天氣這麼熱冷氣卻
   不冷" and "天氣一冷熱水器就沒熱水") stay two topics with their own seasons; a topic may come out as
   several close sub-topics, which costs nothing downstream. A community of >= 2 words is a topic.
5. **Documents.** Each document goes to the topic whose words it shares most, weighted by idf
   (log N / df), when it shares at least two; otherwise it is left unassigned.

Keywords are the six words most over-represented in a topic's documents (in-topic count x log of
the lift over the corpus, over the whole vocabulary); the label is the first two joined by "/",
e.g. "遙控器/反應".
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Iterator, Sequence
from typing import Any

import msgspec
import numpy as np
import numpy.typing as npt

from contact_center.analytics.fleet import Floats, Ints

__all__ = ["STOP_WORDS", "Topics", "discover", "label", "words"]

MIN_DF = 4
MAX_DF_SHARE = 0.5
MIN_CO = 3
EDGE_NPMI = 0.3
MIN_SHARED_WORDS = 2
RESOLUTION = 3.0
_CHUNK = 4096
_MODEL_CODE = re.compile(r"[A-Za-z]{1,4}-[A-Za-z0-9]{2,8}")
_ASCII_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]+")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")

_STOP_TEXT = """
    你好 您好 不好意思 麻煩 請問 一下 謝謝 感謝 拜託 請你們 你們 我們 他們 我家 家裡 自己 這個 那個 這樣 那樣
    什麼 怎麼 為什麼 如何 還是 已經 一直 還有 而且 但是 可是 因為 所以 結果 然後 如果 就是 只是 也是 都是 不是
    可以 沒有 不會 不能 應該 需要 希望 覺得 知道 說明 表示 問題 情況 狀況 事情 東西 部分 地方 時候 時間 之後 之前
    以後 以前 現在 目前 今天 昨天 前天 明天 早上 上午 中午 下午 晚上 最近 這兩天 這幾天 上禮拜 禮拜 星期 週末
    上次 這次 每次 一次 兩次 好幾次 第二次 第三次 一個 兩個 幾個 一點 有點 一些 很多 非常 真的 實在 完全 到底
    盡快 趕快 馬上 立刻 處理 回電 回覆 聯絡 來電 反映 反應一下 請盡快 等你們 消息 麻煩回電
"""
STOP_WORDS = frozenset(_STOP_TEXT.split())


class Topics(msgspec.Struct, frozen=True):
    """Discovered topics and, for each document, its topic index (-1 when unassigned)."""

    keywords: list[list[str]]
    assignment: list[int]


@functools.cache
def _t2s() -> Any:
    import opencc

    # Loaded on first use, once per process: reading the conversion tables takes a moment.
    return opencc.OpenCC("t2s")


@functools.cache
def _jieba() -> Any:
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


@functools.lru_cache(maxsize=200_000)
def words(text: str) -> frozenset[str]:
    """The content words of one text (see the module docstring); cached, texts repeat."""
    found: set[str] = set()
    for code in _MODEL_CODE.findall(text):
        found.add(code.upper())
    text = _MODEL_CODE.sub(" ", text)
    simplified = str(_t2s().convert(text))
    # Cut the Simplified form but keep the Traditional characters; fall back when a phrase changed length.
    source = simplified if len(simplified) == len(text) else text
    position = 0
    for piece in _jieba().lcut(source):
        original = text[position : position + len(piece)]
        position += len(piece)
        if _CJK.search(original):
            if len(original) >= 2 and original not in STOP_WORDS:
                found.add(original)
        elif _ASCII_WORD.fullmatch(original) and not original.isdigit():
            found.add(original.upper())
    return frozenset(found)


def _vocabulary(docs: Sequence[frozenset[str]]) -> tuple[list[str], Floats]:
    """The kept words, most frequent first, and their document frequencies."""
    df: dict[str, int] = {}
    for doc in docs:
        for word in doc:
            df[word] = df.get(word, 0) + 1
    ceiling = max(MIN_DF, MAX_DF_SHARE * len(docs))
    kept = sorted((w for w, n in df.items() if MIN_DF <= n <= ceiling), key=lambda w: (-df[w], w))
    return kept, np.array([df[w] for w in kept], dtype=np.float64)


class _Occurrences:
    """The documents as (row, column) pairs over the vocabulary, cut into dense 0/1 blocks on demand."""

    def __init__(self, docs: Sequence[frozenset[str]], index: dict[str, int]) -> None:
        rows: list[int] = []
        columns: list[int] = []
        for row, doc in enumerate(docs):
            for word in doc:
                column = index.get(word)
                if column is not None:
                    rows.append(row)
                    columns.append(column)
        self.rows = np.array(rows, dtype=np.int64)
        self.columns = np.array(columns, dtype=np.int64)
        self.n_docs = len(docs)
        self.n_words = len(index)

    def blocks(self) -> Iterator[tuple[int, npt.NDArray[np.float32]]]:
        """(first row, rows x words 0/1 block); float32 is exact for counts below 2^24."""
        bounds = np.searchsorted(self.rows, np.arange(0, self.n_docs + _CHUNK, _CHUNK))
        for k, lo in enumerate(range(0, self.n_docs, _CHUNK)):
            block = np.zeros((min(_CHUNK, self.n_docs - lo), self.n_words), dtype=np.float32)
            a, b = bounds[k], bounds[k + 1]
            block[self.rows[a:b] - lo, self.columns[a:b]] = 1.0
            yield lo, block


def _npmi_graph(occurrences: _Occurrences) -> dict[int, dict[int, float]]:
    size = occurrences.n_words
    co = np.zeros((size, size))
    for _, block in occurrences.blocks():
        co += (block.T @ block).astype(np.float64)
    n = float(occurrences.n_docs)
    df = np.diag(co).copy()
    with np.errstate(divide="ignore", invalid="ignore"):
        joint = co / n
        npmi = np.log(joint / np.outer(df / n, df / n)) / -np.log(joint)
    np.fill_diagonal(npmi, -1.0)
    keep = (co >= MIN_CO) & (npmi >= EDGE_NPMI)
    graph: dict[int, dict[int, float]] = {i: {} for i in range(size)}
    for i, j, w in zip(*np.nonzero(keep), npmi[keep].tolist(), strict=True):
        graph[int(i)][int(j)] = w
    return graph


def _louvain_pass(graph: dict[int, dict[int, float]]) -> list[int]:
    """One level of Louvain: nodes move to the neighbouring community with the best modularity gain."""
    nodes = sorted(graph)
    degree = {v: sum(graph[v].values()) for v in nodes}
    total = sum(degree.values())
    community = {v: v for v in nodes}
    tot = dict(degree)
    if total <= 0:
        return [community[v] for v in nodes]
    moved = True
    while moved:
        moved = False
        for v in nodes:
            links: dict[int, float] = {}
            for u, w in graph[v].items():
                if u != v:
                    links[community[u]] = links.get(community[u], 0.0) + w
            own = community[v]
            tot[own] -= degree[v]
            best, best_gain = own, links.get(own, 0.0) - RESOLUTION * tot[own] * degree[v] / total
            for c, w in sorted(links.items()):
                gain = w - RESOLUTION * tot[c] * degree[v] / total
                if gain > best_gain + 1e-12:
                    best, best_gain = c, gain
            tot[best] += degree[v]
            if best != own:
                community[v] = best
                moved = True
    return [community[v] for v in nodes]


def _louvain(graph: dict[int, dict[int, float]]) -> list[int]:
    """Community of each node after Louvain levels until nothing moves."""
    members = {v: [v] for v in graph}
    level = graph
    while True:
        labels = _louvain_pass(level)
        nodes = sorted(level)
        renumber = {c: i for i, c in enumerate(sorted(set(labels)))}
        if len(renumber) == len(nodes):
            break
        of = {v: renumber[c] for v, c in zip(nodes, labels, strict=True)}
        merged: dict[int, list[int]] = {}
        for v in nodes:
            merged.setdefault(of[v], []).extend(members[v])
        coarse: dict[int, dict[int, float]] = {c: {} for c in merged}
        for v in nodes:
            for u, w in level[v].items():
                a, b = of[v], of[u]
                coarse[a][b] = coarse[a].get(b, 0.0) + w
        members, level = merged, coarse
    result = [0] * len(graph)
    for c, vs in members.items():
        for v in vs:
            result[v] = c
    return result


def discover(docs: Sequence[frozenset[str]]) -> Topics:
    """Topics among the documents' word sets, and each document's topic."""
    vocabulary, df = _vocabulary(docs)
    unassigned = Topics(keywords=[], assignment=[-1] * len(docs))
    if len(vocabulary) < 2:
        return unassigned
    occurrences = _Occurrences(docs, {w: i for i, w in enumerate(vocabulary)})
    labels = _louvain(_npmi_graph(occurrences))
    groups: dict[int, list[int]] = {}
    for term, c in enumerate(labels):
        groups.setdefault(c, []).append(term)
    communities = [terms for _, terms in sorted(groups.items()) if len(terms) >= 2]
    if not communities:
        return unassigned
    membership = np.zeros((len(vocabulary), len(communities)))
    for k, terms in enumerate(communities):
        membership[terms, k] = 1.0
    # idf weights: a rare shared word says more about the topic than a common one.
    idf = np.log(len(docs) / df)
    assignment = np.full(len(docs), -1, dtype=np.int64)
    inside = np.zeros((len(vocabulary), len(communities)))
    for lo, block in occurrences.blocks():
        chosen = _assign(block, membership, idf)
        assignment[lo : lo + block.shape[0]] = chosen
        onehot = (chosen[:, None] == np.arange(len(communities))[None, :]).astype(np.float32)
        inside += (block.T @ onehot).astype(np.float64)
    sizes = np.bincount(assignment[assignment >= 0], minlength=len(communities))
    keywords = [_keywords(inside[:, k], int(sizes[k]), df / len(docs), vocabulary) for k in range(len(communities))]
    return Topics(keywords=keywords, assignment=[int(a) for a in assignment])


def _keywords(inside: Floats, members: int, share_all: Floats, vocabulary: list[str]) -> list[str]:
    """The words that set the topic's documents apart: in-topic frequency x log lift over the corpus.

    Ranked over the whole vocabulary, not only the community's words, so a topic that grew out of an
    older one ("遙控器" was already a word of the steady remote-control topic) is still named by it.
    """
    if members == 0:
        return []
    share = inside / members
    lift = share / share_all
    weight = np.where((lift > 1.5) & (share >= 0.05), inside * np.log(np.maximum(lift, 1e-12)), 0.0)
    ranked = [int(t) for t in np.argsort(-weight, kind="stable") if weight[t] > 0]
    return [vocabulary[t] for t in ranked[:6]]


def _assign(block: npt.NDArray[np.float32], membership: Floats, idf: Floats) -> Ints:
    shared = block @ membership
    weighted = block @ (membership * idf[:, None])
    best = np.argmax(weighted + 1e-9 * shared, axis=1)
    enough = shared[np.arange(block.shape[0]), best] >= MIN_SHARED_WORDS
    return np.where(enough, best, -1).astype(np.int64)


def label(keywords: Sequence[str]) -> str:
    """The topic's name as a supervisor reads it: its two top keywords."""
    return "/".join(keywords[:2])
