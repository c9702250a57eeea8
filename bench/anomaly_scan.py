"""The full repair-anomaly scan on PostgreSQL: about 1M generated tickets (planted anomalies and
decoys, contact_center.analytics.synthetic), then `GET /api/analytics/repair-anomalies`'s service:
the query of three years of tickets plus the statistics; then the nightly job (the same scan with
every flag stored). Target ≤ 30 s. Writes
bench/results/anomaly_scan.json.

    .venv/bin/python bench/anomaly_scan.py --units 330000
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import random
import sys
import time
from pathlib import Path

import asyncpg
from sqlalchemy import select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import ADMIN_DSN, database_url, machine, percentiles, recreate_database, write_result
from contact_center import jobs
from contact_center.analytics import service as analytics
from contact_center.analytics.repairs import Baselines, RepairRecord, check_unit
from contact_center.analytics.synthetic import repair_tickets
from contact_center.db.migrate import upgrade_async
from contact_center.db.session import create_engine, create_session_factory
from contact_center.models import Asset, Ticket
from contact_center.settings import DatabaseSettings

TAIPEI = dt.timezone(dt.timedelta(hours=8))
AS_OF = dt.date(2026, 8, 15)


async def _load(name: str, units: int) -> tuple[int, dict[str, set[str]]]:
    started = time.monotonic()
    data = repair_tickets(7, AS_OF, units=units)
    print(f"generated {len(data.records):,} tickets in {time.monotonic() - started:.0f} s", flush=True)
    conn = await asyncpg.connect(ADMIN_DSN.rsplit("/", 1)[0] + f"/{name}")
    try:
        now = dt.datetime.now(dt.UTC)
        assets: dict[str, tuple[int, str, dt.date | None]] = {}
        for r in data.records:
            assets.setdefault(str(r.asset_id), (len(assets) + 1, r.product_model, r.installed_on))
        customers = [(i, f"C{i}", "standard", "[]", "[]", "{}", now, now) for i in range(1, len(assets) // 3 + 2)]
        await conn.copy_records_to_table("customers", records=customers, columns=[
            "id", "name", "value_tier", "emails", "important_dates", "extra", "created_at", "updated_at"])  # fmt: skip
        await conn.copy_records_to_table("assets", records=[
            (i, 1 + i // 3, external, model, installed, "{}", now) for external, (i, model, installed) in assets.items()
        ], columns=["id", "customer_id", "external_id", "product_model", "installed_on", "extra", "created_at"])  # fmt: skip
        tickets = [
            (n, 1 + assets[str(r.asset_id)][0] // 3, assets[str(r.asset_id)][0], r.kind, "closed", "normal", "x", "",
             dt.datetime.combine(r.created_at, dt.time(10), TAIPEI), now, r.technician, "{}", "[]", 0)
            for n, r in enumerate(data.records, start=1)
        ]  # fmt: skip
        await conn.copy_records_to_table("tickets", records=tickets, columns=[
            "id", "customer_id", "asset_id", "kind", "status", "priority", "subject", "description", "created_at",
            "updated_at", "technician", "extra", "sla_pauses", "escalation_level"])  # fmt: skip
        await conn.execute("ANALYZE customers, assets, tickets")
    finally:
        await conn.close()
    truth = {"assets": {str(a) for a in data.truth.lemons}, "models": set(data.truth.batch_models),
             "technicians": set(data.truth.sloppy_technicians)}  # fmt: skip
    return len(tickets), truth


async def run(args: argparse.Namespace) -> dict[str, object]:
    name = "cc_bench_anomalies"
    url = database_url(name)
    if args.reuse:  # the database of an earlier run, already loaded
        count, truth = -1, {"assets": set(), "models": set(), "technicians": set()}
    else:
        await recreate_database(name)
        await upgrade_async(url)
        count, truth = await _load(name, args.units)
    engine = create_engine(DatabaseSettings(url=url))
    timings = []
    try:
        for _ in range(args.runs):
            async with create_session_factory(engine)() as session:
                analytics._repairs.forget()  # a cold scan each time, not the 10-minute memory
                started = time.monotonic()
                result = await analytics.repair_anomalies(session, AS_OF)
                timings.append(time.monotonic() - started)
        # The nightly job: the same scan, then every flag stored in one transaction (the first run
        # inserts them, the second refreshes them), new ones announced.
        job_timings = []
        for _ in range(2):
            analytics._repairs.forget()
            started = time.monotonic()
            new = await jobs.run_anomaly_scan(create_session_factory(engine), _discard, as_of=AS_OF)
            job_timings.append((round(time.monotonic() - started, 2), new))
    finally:
        await engine.dispose()
    incremental = await _incremental(engine_url=url, checks=args.checks)
    found = {"assets": {a.external_id or "" for a in result.assets}, "models": {m.product_model for m in result.models},
             "technicians": {t.technician for t in result.technicians}}  # fmt: skip
    quality = {}
    for kind in found if not args.reuse else ():  # no ground truth for a reused database
        tp = len(found[kind] & truth[kind])
        quality[kind] = {"flagged": len(found[kind]), "planted": len(truth[kind]),
                         "precision": round(tp / len(found[kind]), 3) if found[kind] else None,
                         "recall": round(tp / len(truth[kind]), 3) if truth[kind] else None}  # fmt: skip
    return {"tickets": count, "scan_seconds": [round(t, 2) for t in timings], "quality": quality,
            "job_seconds_and_new_flags": job_timings, "incremental_check": incremental}  # fmt: skip


async def _discard(channel: str, data: bytes) -> None:
    """The job's announcements go nowhere here (no sockets to reach)."""


async def _incremental(engine_url: str, checks: int) -> dict[str, float]:
    """What a new repair ticket costs: that unit's tickets from the database (one indexed query) and
    `check_unit` against baselines the nightly scan built."""
    engine = create_engine(DatabaseSettings(url=engine_url))
    sessions = create_session_factory(engine)
    query = (
        select(Ticket.id, Ticket.asset_id, Asset.product_model, Ticket.kind, Ticket.created_at, Ticket.technician,
               Asset.installed_on)
        .join(Asset, Asset.id == Ticket.asset_id)
    )  # fmt: skip
    try:
        async with sessions() as session:
            rows = (await session.execute(query)).all()
            baselines = Baselines.build(
                (RepairRecord(i, a, m, k, at.astimezone(TAIPEI).date(), t, inst) for i, a, m, k, at, t, inst in rows),
                AS_OF,
            )
            asset_ids = random.Random(3).sample(sorted({r[1] for r in rows}), checks)
            del rows
            latencies = []
            for asset_id in asset_ids:
                started = time.perf_counter()
                unit = (await session.execute(query.where(Ticket.asset_id == asset_id))).all()
                check_unit(baselines, [RepairRecord(i, a, m, k, at.astimezone(TAIPEI).date(), t, inst)
                                       for i, a, m, k, at, t, inst in unit], AS_OF)  # fmt: skip
                latencies.append((time.perf_counter() - started) * 1000)
    finally:
        await engine.dispose()
    return percentiles(latencies)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--units", type=int, default=330_000, help="~3 tickets a unit over three years")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--reuse", action="store_true", help="measure the database an earlier run loaded")
    parser.add_argument("--checks", type=int, default=1000, help="incremental checks of random units")
    args = parser.parse_args()
    result = asyncio.run(run(args))
    print(f"{result['tickets']:,} tickets: full scan {result['scan_seconds']} s; {result['quality']}; "
          f"nightly job (scan + store flags) {result['job_seconds_and_new_flags']} (s, new flags); "
          f"incremental check {result['incremental_check']}")  # fmt: skip

    write_result("anomaly_scan", {"date": dt.date.today().isoformat(), "machine": machine(), **result})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
