"""The app process with its NLP loaded: RSS after the search index over 10,000 articles is built and
the classifier (100 categories, 12,000 tickets) is loaded, and the suggestion latency through the API.

    .venv/bin/python bench/memory.py

`serve` on PostgreSQL; articles generated as in bench/kb_latency.py, tickets by
knowledge_base.training_data. Target: ≤ 400 MB RSS. Writes bench/results/memory.json.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import database_url, machine, percentiles, recreate_database, write_result
from bench.kb_latency import generate_articles, generate_queries
from contact_center.auth import service as auth_service
from contact_center.db.migrate import upgrade_async
from contact_center.db.session import create_engine, create_session_factory
from contact_center.models import KbArticle, Ticket
from contact_center.nlp import service as nlp_service
from contact_center.settings import DatabaseSettings
from knowledge_base.training_data import generate

ROOT = Path(__file__).resolve().parent.parent


async def _prepare(url: str, var_dir: Path, articles: int, tickets: int) -> tuple[str, float]:
    engine = create_engine(DatabaseSettings(url=url))
    sessions = create_session_factory(engine)
    async with sessions() as session, session.begin():
        await auth_service.add_user(session, "bench-agent", "agent")
        token = await auth_service.create_token(session, "bench-agent")
        for a in generate_articles(articles):
            session.add(KbArticle(external_id=a.external_id, title=a.title, body=a.body, lang=a.lang, tags=a.tags,
                                  product=a.product, public=a.public, status="published", helpful=0,
                                  not_helpful=0))  # fmt: skip
        for e in generate(n=tickets, classes=100, seed=0):
            session.add(Ticket(kind="repair", subject=e.text[:300], description="", category=e.category,
                               priority=e.urgency or "normal", status="closed", extra={}, sla_pauses=[],
                               escalation_level=0))  # fmt: skip
    started = time.monotonic()
    async with sessions() as session, session.begin():
        await nlp_service.train_and_activate(session, var_dir / "models" / "classifier")
    trained = time.monotonic() - started
    await engine.dispose()
    return token, trained


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


async def run(args: argparse.Namespace) -> dict[str, object]:
    name = "cc_bench_memory"
    await recreate_database(name)
    url = database_url(name)
    await upgrade_async(url)
    var_dir = ROOT / "var" / "bench-memory"
    print(f"preparing {args.articles} articles and {args.tickets} categorised tickets, training ...", flush=True)
    token, trained = await _prepare(url, var_dir, args.articles, args.tickets)
    env = {**os.environ, "DATABASE_URL": url, "CC_VAR_DIR": str(var_dir)}
    env.pop("REDIS_URL", None)
    port = 8812
    server = subprocess.Popen([sys.executable, "-m", "contact_center", "serve", "--port", str(port)], env=env, cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        base = f"http://127.0.0.1:{port}"
        headers = {"Authorization": f"Bearer {token}"}
        async with httpx.AsyncClient(base_url=base, headers=headers, timeout=120) as client:
            for _ in range(300):
                try:
                    if (await client.get("/health")).status_code == 200:
                        break
                except httpx.HTTPError:
                    await asyncio.sleep(0.1)
            idle = _rss_mb(server.pid)
            started = time.monotonic()
            first = await client.post("/api/kb/suggest", json={"text": "冷氣不冷"})
            build_s = time.monotonic() - started
            assert first.status_code == 200, first.text
            classified = await client.post("/api/nlp/classify", json={"text": "冷氣開了都不冷，吹出來是熱風"})
            assert classified.status_code == 200, classified.text
            latencies = []
            for query in generate_queries(args.queries):
                t0 = time.perf_counter()
                response = await client.post("/api/kb/suggest", json={"text": query, "limit": 5})
                latencies.append((time.perf_counter() - t0) * 1000)
                assert response.status_code == 200
            loaded = _rss_mb(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=20)
    return {"articles": args.articles, "tickets": args.tickets, "training_s": round(trained, 1),
            "index_build_s": round(build_s, 1), "rss_idle_mb": idle, "rss_loaded_mb": loaded,
            "api_suggest": percentiles(latencies)}  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--tickets", type=int, default=12_000)
    parser.add_argument("--queries", type=int, default=1000)
    args = parser.parse_args()
    result = asyncio.run(run(args))
    api = result["api_suggest"]
    print(f"RSS {result['rss_loaded_mb']} MB with the index over {args.articles} articles and the classifier loaded "
          f"(idle {result['rss_idle_mb']} MB); training {result['training_s']} s, index build {result['index_build_s']} s; "
          f"POST /api/kb/suggest p50 {api['p50_ms']} ms p95 {api['p95_ms']} ms")  # type: ignore[index]  # fmt: skip
    write_result("memory", {"date": dt.date.today().isoformat(), "machine": machine(), **result})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
