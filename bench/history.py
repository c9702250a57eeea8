"""Latency of the agent's two first questions, in-process through the real app on PostgreSQL:
`GET /api/customers/lookup?phone=` and `GET /api/customers/{id}/history`.

    .venv/bin/python bench/import.py --customers 100000   # fills cc_bench first
    .venv/bin/python bench/history.py

Phones are asked in the formats people write them; histories include the heaviest customers.
Targets: lookup p99 ≤ 5 ms, history p99 ≤ 20 ms. Writes bench/results/history.json.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import datetime as dt
import logging
import random
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx
from sqlalchemy import func, select, text

from bench._common import database_exists, database_url, machine, percentiles, write_result
from contact_center.app import create_app
from contact_center.auth import service as auth_service
from contact_center.db.session import create_engine, create_session_factory
from contact_center.models import CustomerPhone, Ticket
from contact_center.settings import DatabaseSettings, load_settings


def _written(e164: str, rng: random.Random) -> str:
    national = "0" + e164[4:]
    forms = [national, f"{national[:4]}-{national[4:7]}-{national[7:]}", e164, e164[1:], "+886 " + e164[4:]]
    return rng.choice(forms)


async def _sample(url: str, n: int, rng: random.Random) -> tuple[str, list[str], list[int]]:
    engine = create_engine(DatabaseSettings(url=url))
    sessions = create_session_factory(engine)
    async with sessions() as session, session.begin():
        await session.execute(text("DELETE FROM users WHERE username = 'bench-agent'"))
        await auth_service.add_user(session, "bench-agent", "agent")
        token = await auth_service.create_token(session, "bench-agent")
    async with sessions() as session:
        phones = (await session.execute(select(CustomerPhone.e164).order_by(func.random()).limit(n))).scalars().all()
        customers = (
            (
                await session.execute(
                    select(Ticket.customer_id).where(Ticket.customer_id.is_not(None)).order_by(func.random()).limit(n)
                )
            )
            .scalars()
            .all()
        )
        heaviest = (
            (
                await session.execute(
                    select(Ticket.customer_id).group_by(Ticket.customer_id).order_by(func.count().desc()).limit(20)
                )
            )
            .scalars()
            .all()
        )
    await engine.dispose()
    return token, [_written(p, rng) for p in phones], [int(c) for c in [*customers, *heaviest] if c is not None]


async def _measure(url: str, token: str, phones: list[str], customers: list[int]) -> dict[str, Any]:
    settings = dataclasses.replace(load_settings(), database=DatabaseSettings(url=url))
    headers = {"Authorization": f"Bearer {token}"}
    app = create_app(settings)
    # The app is called in this event loop through httpx's ASGI transport: no sockets, no test-client
    # thread hand-offs, so the figures are the app's own (auth, queries, serialisation).
    transport = httpx.ASGITransport(app=app)
    async with app.lifespan(), httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
        for phone in phones[:50]:  # warm the pool and the caches
            await client.get("/api/customers/lookup", params={"phone": phone}, headers=headers)
        lookup, history, sizes = [], [], []
        for phone in phones:
            started = time.perf_counter()
            response = await client.get("/api/customers/lookup", params={"phone": phone}, headers=headers)
            lookup.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200 and response.json()["customers"], phone
        for customer_id in customers:
            started = time.perf_counter()
            response = await client.get(f"/api/customers/{customer_id}/history", headers=headers)
            history.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
            sizes.append(response.json()["tickets"]["total"])
    return {"lookup": percentiles(lookup), "history": percentiles(history), "max_tickets_of_a_customer": max(sizes)}


def main() -> int:
    logging.getLogger("httpx").setLevel(logging.WARNING)  # one log line per request would be measured too
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", default="cc_bench")
    parser.add_argument("--requests", type=int, default=2000)
    args = parser.parse_args()
    if not database_exists(args.database):
        print(f"database {args.database} does not exist: run bench/import.py first", file=sys.stderr)
        return 2
    url = database_url(args.database)
    rng = random.Random(7)
    token, phones, customers = asyncio.run(_sample(url, args.requests, rng))
    result = asyncio.run(_measure(url, token, phones, customers))
    for name in ("lookup", "history"):
        r = result[name]
        print(
            f"{name:<8} n={r['n']:<5} p50 {r['p50_ms']:.2f} ms  p95 {r['p95_ms']:.2f} ms  "
            f"p99 {r['p99_ms']:.2f} ms  max {r['max_ms']:.2f} ms"
        )
    print(f"heaviest customer in the sample: {result['max_tickets_of_a_customer']} tickets")
    write_result(
        "history", {"date": dt.date.today().isoformat(), "machine": machine(), "database": args.database, **result}
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
