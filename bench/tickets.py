"""Ticket creation over REST on PostgreSQL: `contact-center serve --workers 2` (Redis for the
channels), a client keeping N requests in flight for a fixed time.

    .venv/bin/python bench/tickets.py --seconds 20 --concurrency 32

Each request is a real `POST /api/tickets` with a bearer token: validation, the SLA policy and
deadlines, the audit event, routing when a queue is given; the requests a worker holds at once share
transactions (group commit, contact_center/tickets/writer.py). Target ≥ 1,000 tickets/s.
Writes bench/results/tickets.json.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import database_url, machine, percentiles, recreate_database, write_result
from contact_center.auth import service as auth_service
from contact_center.db.migrate import upgrade_async
from contact_center.db.session import create_engine, create_session_factory
from contact_center.settings import DatabaseSettings

ROOT = Path(__file__).resolve().parent.parent


async def _token(url: str) -> str:
    engine = create_engine(DatabaseSettings(url=url))
    async with create_session_factory(engine)() as session, session.begin():
        await auth_service.add_user(session, "bench-agent", "agent")
        token = await auth_service.create_token(session, "bench-agent")
    await engine.dispose()
    return token


async def _drive(base: str, token: str, seconds: float, concurrency: int) -> tuple[int, int, list[float]]:
    headers = {"Authorization": f"Bearer {token}"}
    latencies: list[float] = []
    errors = 0
    deadline = time.monotonic() + seconds
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)

    async with httpx.AsyncClient(base_url=base, headers=headers, limits=limits, timeout=30) as client:

        async def one(n: int) -> None:
            nonlocal errors
            while time.monotonic() < deadline:
                started = time.perf_counter()
                body = {
                    "kind": "repair",
                    "subject": f"冷氣不冷 #{n}",
                    "description": "開了一小時還是不冷",
                    "priority": "normal",
                }
                response = await client.post("/api/tickets", json=body)
                latencies.append((time.perf_counter() - started) * 1000)
                if response.status_code != 201:
                    errors += 1

        await asyncio.gather(*(one(n) for n in range(concurrency)))
    return len(latencies), errors, latencies


async def run(args: argparse.Namespace) -> dict[str, object]:
    name = "cc_bench_tickets"
    await recreate_database(name)
    url = database_url(name)
    await upgrade_async(url)
    token = await _token(url)
    env = {**os.environ, "DATABASE_URL": url, "REDIS_URL": "redis://127.0.0.1:6379/0", "CHANNELS_PREFIX": "bench-tickets",
           "CC_VAR_DIR": "var/bench-tickets"}  # fmt: skip
    port = 8810
    server = subprocess.Popen([sys.executable, "-m", "contact_center", "serve", "--port", str(port), "--workers", str(args.workers)],
                              env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        base = f"http://127.0.0.1:{port}"
        async with httpx.AsyncClient() as probe:
            for _ in range(200):
                try:
                    if (await probe.get(f"{base}/health")).status_code == 200:
                        break
                except httpx.HTTPError:
                    await asyncio.sleep(0.1)
        await _drive(base, token, 2, args.concurrency)  # warm-up
        if args.client == "wrk":
            return {
                **_wrk(base, token, args),
                "workers": args.workers,
                "concurrency": args.concurrency,
                "client": "wrk",
            }
        started = time.monotonic()
        count, errors, latencies = await _drive(base, token, args.seconds, args.concurrency)
        elapsed = time.monotonic() - started
    finally:
        server.terminate()
        server.wait(timeout=20)
    return {"tickets": count, "errors": errors, "seconds": round(elapsed, 1), "per_second": round(count / elapsed, 1),
            "latency": percentiles(latencies), "workers": args.workers, "concurrency": args.concurrency,
            "client": "httpx"}  # fmt: skip


WRK_SCRIPT = """
wrk.method = "POST"
wrk.body = '{"kind":"repair","subject":"冷氣不冷","description":"開了一小時還是不冷"}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer TOKEN"
done = function(summary, latency, requests)
  io.write(string.format("RESULT %d %d %.3f %.3f %.3f %.3f\\n", summary.requests, summary.errors.status,
    summary.duration / 1e6, latency:percentile(50) / 1e3, latency:percentile(99) / 1e3, latency.max / 1e3))
end
"""


def _wrk(base: str, token: str, args: argparse.Namespace) -> dict[str, object]:
    """wrk (C, one thread) as the client: it leaves the CPU to the server, unlike a Python client."""
    script = Path("var/bench-tickets.lua")
    script.parent.mkdir(exist_ok=True)
    script.write_text(WRK_SCRIPT.replace("TOKEN", token))
    command = [
        "wrk",
        "-t1",
        f"-c{args.concurrency}",
        f"-d{int(args.seconds)}s",
        "-s",
        str(script),
        f"{base}/api/tickets",
    ]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    requests, errors, seconds, p50, p99, most = output.split("RESULT ")[1].split()
    count = int(requests)
    return {"tickets": count, "errors": int(errors), "seconds": round(float(seconds), 1),
            "per_second": round(count / float(seconds), 1),
            "latency": {"n": count, "p50_ms": float(p50), "p99_ms": float(p99), "max_ms": float(most)}}  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--client", choices=["wrk", "httpx"], default="wrk" if shutil.which("wrk") else "httpx",
                        help="wrk (apt-get install wrk) keeps the client off the server's CPU")  # fmt: skip
    args = parser.parse_args()
    result = asyncio.run(run(args))
    lat = result["latency"]
    print(
        f"{result['tickets']} tickets in {result['seconds']} s: {result['per_second']} tickets/s, {result['errors']} errors; "
        f"latency p50 {lat['p50_ms']} ms p99 {lat['p99_ms']} ms"
    )  # type: ignore[index]
    write_result("tickets", {"date": dt.date.today().isoformat(), "machine": machine(), **result})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
