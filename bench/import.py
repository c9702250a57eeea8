"""Import benchmark: generate N customers with their history, import them into a fresh PostgreSQL database.

    .venv/bin/python bench/import.py --customers 100000

Prints generation and import time per file (rows/s) and writes bench/results/import.json.
The database it fills (`cc_bench` by default) is what bench/history.py measures.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import database_url, machine, recreate_database, write_result
from contact_center.db.migrate import upgrade
from contact_center.db.session import create_engine, create_session_factory
from contact_center.imports import kinds
from contact_center.imports.service import Importer
from contact_center.seed.generator import write_jsonl
from contact_center.settings import DatabaseSettings

AS_OF = dt.date(2026, 11, 1)


async def _import(url: str, files: dict[str, Path]) -> list[dict[str, object]]:
    engine = create_engine(DatabaseSettings(url=url))
    importer = Importer(create_session_factory(engine), batch_size=5000)
    rows = []
    try:
        for kind in kinds.ORDER:
            started = time.perf_counter()
            report = await importer.import_file(files[kind], kind)
            seconds = time.perf_counter() - started
            print(
                f"  {kind:<13} {report.read:>9,} rows in {seconds:7.1f} s  ({report.read / seconds:,.0f} rows/s)"
                f"  skipped {report.skipped}",
                flush=True,
            )
            rows.append({"kind": kind, "rows": report.read, "seconds": round(seconds, 2), "skipped": report.skipped})
        started = time.perf_counter()
        await importer.analyze(set(kinds.ORDER))
        print(f"  ANALYZE       {time.perf_counter() - started:7.1f} s", flush=True)
    finally:
        await engine.dispose()
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database", default="cc_bench")
    parser.add_argument("--data", type=Path, default=Path("var/bench"))
    args = parser.parse_args()

    data = args.data / f"seed-{args.customers}-{args.seed}"
    started = time.perf_counter()
    files = write_jsonl(data, args.customers, args.seed, AS_OF)
    generated = time.perf_counter() - started
    print(f"generated {args.customers:,} customers' data in {generated:.1f} s into {data}", flush=True)

    url = database_url(args.database)
    asyncio.run(recreate_database(args.database))
    upgrade(url)
    started = time.perf_counter()
    per_kind = asyncio.run(_import(url, files))
    total = time.perf_counter() - started
    rows = sum(int(str(r["rows"])) for r in per_kind)
    print(
        f"imported {rows:,} rows in {total:.1f} s ({rows / total:,.0f} rows/s) into PostgreSQL database {args.database}"
    )
    write_result(
        "import",
        {
            "date": dt.date.today().isoformat(),
            "machine": machine(),
            "customers": args.customers,
            "generate_seconds": round(generated, 1),
            "import_seconds": round(total, 1),
            "rows": rows,
            "per_kind": per_kind,
        },
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
