"""Retrieval quality of the knowledge-base index on the hand-written evaluation set.

    .venv/bin/python bench/kb_quality.py [--show-misses]

bench/data/kb_eval/articles.jsonl holds the articles (zh-Hant and English, some internal), and
queries.jsonl the questions with the one article that answers each, tagged by kind: colloquial
Taiwanese Mandarin, Simplified Chinese, English, mixed zh/en and typos. Queries paraphrase; none
copies a title. Every query is searched as an agent would (internal articles included, no product).

Reports recall@1, recall@3 and MRR (over the top 10) overall and per kind. Target: recall@3 ≥ 0.9
overall. Writes bench/results/kb_quality.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import msgspec

from bench._common import machine, write_result
from knowledge_base.index import Article, ArticleIndex

DATA = Path(__file__).parent / "data" / "kb_eval"
DEPTH = 10


class Query(msgspec.Struct, frozen=True):
    query: str
    expected: str
    kind: str


def load_articles(path: Path = DATA / "articles.jsonl") -> list[Article]:
    return [msgspec.json.decode(line, type=Article) for line in path.read_text().splitlines() if line.strip()]


def load_queries(path: Path = DATA / "queries.jsonl") -> list[Query]:
    return [msgspec.json.decode(line, type=Query) for line in path.read_text().splitlines() if line.strip()]


def _figures(ranks: list[int | None]) -> dict[str, Any]:
    n = len(ranks)
    return {
        "n": n,
        "recall_at_1": round(sum(1 for r in ranks if r == 1) / n, 3),
        "recall_at_3": round(sum(1 for r in ranks if r is not None and r <= 3) / n, 3),
        "mrr": round(sum(1 / r for r in ranks if r is not None) / n, 3),
    }


def evaluate(index: ArticleIndex, queries: list[Query]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Figures overall and per kind, and the queries whose article was not first."""
    by_kind: dict[str, list[int | None]] = defaultdict(list)
    everything: list[int | None] = []
    misses = []
    for query in queries:
        hits = index.search(query.query, limit=DEPTH)
        ids = [hit.external_id for hit in hits]
        rank = ids.index(query.expected) + 1 if query.expected in ids else None
        by_kind[query.kind].append(rank)
        everything.append(rank)
        if rank != 1:
            misses.append(
                {"query": query.query, "kind": query.kind, "expected": query.expected, "rank": rank, "got": ids[:3]}
            )
    figures = {"overall": _figures(everything), "per_kind": {k: _figures(v) for k, v in sorted(by_kind.items())}}
    return figures, misses


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--show-misses", action="store_true", help="print every query whose article was not first")
    args = parser.parse_args()
    articles, queries = load_articles(), load_queries()
    started = time.perf_counter()
    index = ArticleIndex.build(articles)
    index.search("暖身")  # the first search loads jieba and spaCy: not part of the figures
    build_s = time.perf_counter() - started
    figures, misses = evaluate(index, queries)
    print(f"{len(articles)} articles ({len(index)} published), {len(queries)} queries, built in {build_s:.2f} s")
    for name, f in [("overall", figures["overall"]), *figures["per_kind"].items()]:
        print(
            f"{name:<11} n={f['n']:<4} recall@1 {f['recall_at_1']:.3f}  recall@3 {f['recall_at_3']:.3f}  MRR {f['mrr']:.3f}"
        )
    if args.show_misses:
        for miss in misses:
            print(f"  [{miss['kind']}] {miss['query']!r}: {miss['expected']} at {miss['rank']}, got {miss['got']}")
    write_result(
        "kb_quality",
        {
            "date": dt.date.today().isoformat(),
            "machine": machine(),
            "articles": len(articles),
            "queries": len(queries),
            "build_s": round(build_s, 3),
            **figures,
            "misses": misses,
        },
    )
    return 0 if figures["overall"]["recall_at_3"] >= 0.9 else 1


if __name__ == "__main__":
    raise SystemExit(main())
