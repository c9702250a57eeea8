"""Supervisor fan-out: 1,000 agent sockets and 100 supervisor sockets open on an app using Redis
channels; a phone-state change posted by the PBX → every supervisor socket. p50/p99/max over all
deliveries. Target p99 ≤ 50 ms. Writes bench/results/fanout.json.

    .venv/bin/python bench/fanout.py --changes 200
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
from websockets.asyncio.client import ClientConnection, connect

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import database_url, machine, percentiles, recreate_database, write_result
from contact_center.auth import service as auth_service
from contact_center.db.migrate import upgrade_async
from contact_center.db.session import create_engine, create_session_factory
from contact_center.settings import DatabaseSettings
from cti_bridge import contract as c

ROOT = Path(__file__).resolve().parent.parent


async def _users(url: str, agents: int, supervisors: int) -> tuple[list[str], list[str], str]:
    engine = create_engine(DatabaseSettings(url=url))
    async with create_session_factory(engine)() as session, session.begin():
        agent_tokens, supervisor_tokens = [], []
        for i in range(agents):
            await auth_service.add_user(session, f"a{i}", "agent", extension=str(5000 + i))
            agent_tokens.append(await auth_service.create_token(session, f"a{i}"))
        for i in range(supervisors):
            await auth_service.add_user(session, f"s{i}", "supervisor")
            supervisor_tokens.append(await auth_service.create_token(session, f"s{i}"))
        await auth_service.add_user(session, "pbx", "pbx")
        pbx = await auth_service.create_token(session, "pbx")
    await engine.dispose()
    return agent_tokens, supervisor_tokens, pbx


async def _open(port: int, path: str, token: str) -> ClientConnection:
    return await connect(f"ws://127.0.0.1:{port}{path}", additional_headers={"Authorization": f"Bearer {token}"},
                         max_queue=None)  # fmt: skip


async def run(args: argparse.Namespace) -> dict[str, object]:
    name = "cc_bench_fanout"
    await recreate_database(name)
    url = database_url(name)
    await upgrade_async(url)
    agent_tokens, supervisor_tokens, pbx = await _users(url, args.agents, args.supervisors)
    env = {**os.environ, "DATABASE_URL": url, "REDIS_URL": "redis://127.0.0.1:6379/0", "CHANNELS_PREFIX": "bench-fanout",
           "CC_VAR_DIR": "var/bench-fanout"}  # fmt: skip
    port = 8820
    server = subprocess.Popen([sys.executable, "-m", "contact_center", "serve", "--port", str(port)], env=env, cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    sent: dict[str, float] = {}
    samples: list[float] = []
    try:
        async with httpx.AsyncClient(
            base_url=f"http://127.0.0.1:{port}", headers={"Authorization": f"Bearer {pbx}"}
        ) as http:
            for _ in range(200):
                try:
                    if (await http.get("/health")).status_code == 200:
                        break
                except httpx.HTTPError:
                    await asyncio.sleep(0.1)
            agents = [await _open(port, "/ws/agent", t) for t in agent_tokens]
            supervisors = [await _open(port, "/ws/supervisor", t) for t in supervisor_tokens]

            async def listen(socket: ClientConnection) -> None:
                async for raw in socket:
                    now = time.time()
                    if '"agent.state"' in raw[:40]:
                        event_id = json.loads(raw)["id"]
                        if event_id in sent:
                            samples.append((now - sent[event_id]) * 1000)

            listeners = [asyncio.create_task(listen(s)) for s in supervisors]
            await asyncio.sleep(1)
            for n in range(args.changes):
                event = c.AgentState(id=f"fan:{n}", call_id="", at=time.time(), extension=str(5000 + n % args.agents),
                                     paused=bool(n % 2), queue="support")  # fmt: skip
                sent[event.id] = time.time()
                await http.post(
                    "/api/cti/events", content=c.encode(event), headers={"content-type": "application/json"}
                )
                await asyncio.sleep(1 / args.rate)
            await asyncio.sleep(2)
            for task in listeners:
                task.cancel()
            for socket in agents + supervisors:
                await socket.close()
    finally:
        server.terminate()
        server.wait(timeout=20)
    expected = args.changes * args.supervisors
    return {"agents": args.agents, "supervisors": args.supervisors, "changes": args.changes, "deliveries": len(samples),
            "lost": expected - len(samples), "latency": percentiles(samples) if len(samples) > 1 else {}}  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--agents", type=int, default=1000)
    parser.add_argument("--supervisors", type=int, default=100)
    parser.add_argument("--changes", type=int, default=200)
    parser.add_argument("--rate", type=float, default=20.0, help="state changes per second")
    args = parser.parse_args()
    result = asyncio.run(run(args))
    lat = result["latency"]
    print(
        f"{result['deliveries']} deliveries to {args.supervisors} supervisors, {result['lost']} lost; "
        f"p50 {lat.get('p50_ms')} ms p99 {lat.get('p99_ms')} ms max {lat.get('max_ms')} ms"
    )  # type: ignore[union-attr]
    write_result("fanout", {"date": dt.date.today().isoformat(), "machine": machine(), **result})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
