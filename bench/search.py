"""Ticket search over 1M tickets on PostgreSQL: what an agent waits for when they type a word in the
ticket views' search box.

    .venv/bin/python bench/search.py                 # 1,000,000 tickets (builds cc_bench_search once)
    .venv/bin/python bench/search.py --tickets 200000 --rebuild

Tickets take their subjects and descriptions from the demo generator (3,000 customers' worth, mixed),
their terms from the product's own `search_terms`, and are loaded with COPY. Each query runs through
`tickets.search.search` (the count and the first page of 25, newest first, as the API and page do), over
a mix of common words (冷氣, 漏水), rarer ones (遙控器, 電費), phrases, a Simplified query and Latin
words. The baseline, measured in the same run, is the same first page by `ILIKE '%…%'` on subject and
description (what the product did before: no index). Target: p95 ≤ 100 ms. Writes bench/results/search.json.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import io
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import asyncpg
from sqlalchemy import func, or_, select

from bench._common import (
    ADMIN_DSN,
    database_exists,
    database_url,
    machine,
    percentiles,
    recreate_database,
    write_result,
)
from contact_center.db.migrate import upgrade_async
from contact_center.db.session import create_engine, create_session_factory
from contact_center.models import Ticket
from contact_center.seed.generator import iter_bundles
from contact_center.settings import DatabaseSettings
from contact_center.tickets import search as ticket_search
from contact_center.tickets import search_terms

NAME = "cc_bench_search"
QUERIES = ["冷氣", "漏水", "不冷", "冷氣漏水", "錯誤代碼", "遙控器", "電費", "退款", "安裝", "保固", "濾網",
           "師傅遲到", "噪音", "发票", "空调", "wifi", "e1", "洗衣機 不脫水", "熱水器", "分期付款"]  # fmt: skip


def _pool(customers: int) -> tuple[list[tuple[str, list[str]]], list[tuple[str, list[str]]]]:
    subjects: dict[str, list[str]] = {}
    descriptions: dict[str, list[str]] = {}
    for bundle in iter_bundles(customers, 11, dt.date(2026, 12, 1)):
        for t in bundle.tickets:
            subject, description = str(t["subject"]), str(t.get("description") or "")
            if subject not in subjects:
                subjects[subject] = search_terms.terms(subject)
            if description not in descriptions:
                descriptions[description] = search_terms.terms(description)
    return list(subjects.items()), list(descriptions.items())


async def _load(tickets: int) -> None:
    await recreate_database(NAME)
    await upgrade_async(database_url(NAME))
    started = time.monotonic()
    subjects, descriptions = _pool(3000)
    print(
        f"  text pool: {len(subjects):,} subjects, {len(descriptions):,} descriptions ({time.monotonic() - started:.1f} s)"
    )
    rng = random.Random(5)
    conn = await asyncpg.connect(ADMIN_DSN.rsplit("/", 1)[0] + f"/{NAME}")
    kinds = ["repair", "complaint", "inquiry", "billing", "installation", "maintenance"]
    start = dt.datetime(2021, 1, 1, tzinfo=dt.UTC)
    span = (dt.datetime(2026, 12, 1, tzinfo=dt.UTC) - start).total_seconds()
    try:
        done = 0
        while done < tickets:
            n = min(50_000, tickets - done)
            buffer = io.StringIO()
            for _ in range(n):
                subject, s_terms = rng.choice(subjects)
                description, d_terms = rng.choice(descriptions)
                created = start + dt.timedelta(seconds=rng.random() * span)
                terms = " ".join(dict.fromkeys(s_terms + d_terms))  # the tsvector's text form: lexemes by spaces
                row = [rng.choice(kinds), "closed" if rng.random() < 0.9 else "open", "normal", subject, description,
                       created.isoformat(), created.isoformat(), "{}", "[]", "0", terms]  # fmt: skip
                buffer.write(
                    "\t".join(v.replace("\\", "\\\\").replace("\t", " ").replace("\n", "\\n") for v in row) + "\n"
                )
            await conn.copy_to_table(
                "tickets", source=io.BytesIO(buffer.getvalue().encode()), format="text",
                columns=["kind", "status", "priority", "subject", "description", "created_at", "updated_at", "extra",
                         "sla_pauses", "escalation_level", "search_terms"],
            )  # fmt: skip
            done += n
            print(f"  loaded {done:,} tickets ({time.monotonic() - started:.0f} s)", flush=True)
        await conn.execute("ANALYZE tickets")
    finally:
        await conn.close()


async def _measure(repeats: int) -> dict[str, object]:
    engine = create_engine(DatabaseSettings(url=database_url(NAME)))
    sessions = create_session_factory(engine)
    ours: list[float] = []
    per_query: dict[str, dict[str, float]] = {}
    baseline: list[float] = []
    try:
        async with sessions() as session:
            total = (await session.execute(select(func.count()).select_from(Ticket))).scalar_one()
            for q in QUERIES:  # warm the caches once, as a running system has them warm
                await ticket_search.search(session, q)
            for q in QUERIES:
                samples = []
                for _ in range(repeats):
                    began = time.perf_counter()
                    page = await ticket_search.search(session, q)
                    samples.append((time.perf_counter() - began) * 1000)
                ours += samples
                per_query[q] = {"matches": page.total, **percentiles(samples)}
                print(
                    f"  {q:8} {page.total:>8,} matches  p50 {per_query[q]['p50_ms']:7.1f} ms  p95 {per_query[q]['p95_ms']:7.1f} ms"
                )
            for q in QUERIES[:6]:  # without the index: the first page by substring, once each (seconds each)
                like = f"%{q}%"
                began = time.perf_counter()
                query = (select(Ticket.id).where(or_(Ticket.subject.ilike(like), Ticket.description.ilike(like)))
                         .order_by(Ticket.created_at.desc()).limit(25))  # fmt: skip
                await session.execute(query)
                count = select(func.count()).select_from(Ticket).where(or_(Ticket.subject.ilike(like),
                                                                           Ticket.description.ilike(like)))  # fmt: skip
                await session.execute(count)
                baseline.append((time.perf_counter() - began) * 1000)
    finally:
        await engine.dispose()
    return {"tickets": total, "ours": percentiles(ours), "per_query": per_query,
            "baseline_ilike_ms": [round(x, 1) for x in baseline]}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    if args.rebuild or not database_exists(NAME):
        print(f"building {NAME} with {args.tickets:,} tickets …")
        asyncio.run(_load(args.tickets))
    result = asyncio.run(_measure(args.repeats))
    ours = result["ours"]
    assert isinstance(ours, dict)
    print(f"search over {result['tickets']:,} tickets: p50 {ours['p50_ms']} ms, p95 {ours['p95_ms']} ms, "
          f"p99 {ours['p99_ms']} ms (target p95 ≤ 100 ms); without the index {result['baseline_ilike_ms']} ms")  # fmt: skip
    write_result("search", {"at": dt.datetime.now(dt.UTC).isoformat(), "machine": machine(), **result,
                            "target": {"p95_ms": 100}})  # fmt: skip


if __name__ == "__main__":
    main()
