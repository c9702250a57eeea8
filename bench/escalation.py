"""Escalation latency: how long after a ticket's escalation falls due the sweep escalates it, with the
production sweep period (5 s), on PostgreSQL. Target ≤ 10 s. Writes bench/results/escalation.json.

    .venv/bin/python bench/escalation.py --tickets 40
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import select

from bench._common import database_url, machine, percentiles, recreate_database, write_result
from contact_center import jobs
from contact_center.db.migrate import upgrade_async
from contact_center.db.session import create_engine, create_session_factory
from contact_center.models import Ticket, TicketEvent
from contact_center.settings import DatabaseSettings
from contact_center.sla import service as sla_service


async def run(count: int) -> dict[str, object]:
    name = "cc_bench_escalation"
    await recreate_database(name)
    url = database_url(name)
    await upgrade_async(url)
    engine = create_engine(DatabaseSettings(url=url))
    sessions = create_session_factory(engine)
    now = dt.datetime.now(dt.UTC)
    rng = random.Random(3)
    due: dict[int, dt.datetime] = {}
    async with sessions() as session, session.begin():
        for _ in range(count):
            ticket = Ticket(kind="repair", subject="x", priority="normal", created_at=now, extra={}, sla_pauses=[],
                            escalation_level=0)  # fmt: skip
            await sla_service.apply(session, ticket)
            ticket.next_escalation_at = now + dt.timedelta(seconds=rng.uniform(1, 20))  # due during the run
            session.add(ticket)
            await session.flush()
            due[ticket.id] = ticket.next_escalation_at

    async def publish(channel: str, data: bytes) -> None:
        return None

    async with jobs.in_process(sessions, publish):
        await asyncio.sleep(30)
    async with sessions() as session:
        rows = (
            await session.execute(select(TicketEvent.ticket_id, TicketEvent.at).where(TicketEvent.kind == "escalated"))
        ).all()
    await engine.dispose()
    first = {}
    for ticket_id, at in rows:
        first[ticket_id] = min(at, first.get(ticket_id, at))
    latencies = [(first[t] - due[t]).total_seconds() * 1000 for t in due if t in first]
    return {"tickets": count, "escalated": len(first), "missed": count - len(first), "sweep_seconds": jobs.SWEEP_SECONDS,
            "latency_ms": percentiles(latencies)}  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tickets", type=int, default=40)
    args = parser.parse_args()
    result = asyncio.run(run(args.tickets))
    lat = result["latency_ms"]
    print(
        f"{result['escalated']}/{result['tickets']} escalated; after falling due: p50 {lat['p50_ms'] / 1000:.1f} s, "  # type: ignore[index]
        f"p99 {lat['p99_ms'] / 1000:.1f} s, max {lat['max_ms'] / 1000:.1f} s (sweep every {result['sweep_seconds']} s)"
    )  # type: ignore[index]
    write_result("escalation", {"date": dt.date.today().isoformat(), "machine": machine(), **result})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
