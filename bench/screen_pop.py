"""Screen-pop latency through the real path, on PostgreSQL + Redis:
AMI event written by the simulator → bridge (pyst2, separate process) → app (`contact-center serve`,
separate process) → Redis channels → the ringing agent's websocket, here.

    .venv/bin/python bench/import.py --customers 100000     # fills cc_bench first
    .venv/bin/python bench/screen_pop.py --rate 20 --seconds 60 --agents 500

Measures from the moment the simulator writes `AgentCalled` for a call to the moment that agent's socket
receives the `screen_pop` frame. Targets: p50 ≤ 5 ms, p99 ≤ 25 ms, none lost. Writes bench/results/screen_pop.json.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import random
import re
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import delete, func, select
from websockets.asyncio.client import ClientConnection, connect

from bench._common import database_exists, database_url, machine, percentiles, write_result
from contact_center.auth import service as auth_service
from contact_center.db.migrate import upgrade_async
from contact_center.db.session import create_engine, create_session_factory
from contact_center.models import ApiToken, Call, CallEvent, CustomerPhone, Interaction, User
from contact_center.settings import DatabaseSettings
from cti_bridge.frames import Frame
from cti_bridge.simulator import AmiSimulator

REDIS = "redis://127.0.0.1:6379/0"
ROOT = Path(__file__).resolve().parent.parent


async def _prepare(url: str, agents: int) -> tuple[dict[str, str], str, list[str]]:
    """Bench agents (extensions 3000+) with tokens, a PBX token, and caller numbers of real customers."""
    engine = create_engine(DatabaseSettings(url=url))
    sessions = create_session_factory(engine)
    async with sessions() as session, session.begin():
        await session.execute(delete(CallEvent))
        await session.execute(delete(Interaction).where(Interaction.call_id.is_not(None)))
        await session.execute(delete(Call))
        bench_users = select(User.id).where(User.username.like("bench-%"))
        await session.execute(delete(ApiToken).where(ApiToken.user_id.in_(bench_users)))
        existing = set((await session.execute(select(User.username).where(User.username.like("bench-%")))).scalars())
        tokens = {}
        for i in range(agents):
            name = f"bench-a{i:04d}"
            if name not in existing:  # kept between runs: deleting users is not what is measured
                await auth_service.add_user(session, name, "agent", extension=str(3000 + i))
            tokens[str(3000 + i)] = await auth_service.create_token(session, name)
        if "bench-pbx" not in existing:
            await auth_service.add_user(session, "bench-pbx", "pbx")
        pbx = await auth_service.create_token(session, "bench-pbx")
    async with sessions() as session:
        numbers = (
            (await session.execute(select(CustomerPhone.e164).order_by(func.random()).limit(5000))).scalars().all()
        )
    await engine.dispose()
    return tokens, pbx, ["0" + n[4:] if n.startswith("+886") else n for n in numbers]


def _spawn(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "contact_center", *args], env=env, cwd=ROOT,
                            stdout=log.open("wb"), stderr=subprocess.STDOUT)  # fmt: skip


async def _wait_http(port: int) -> None:
    for _ in range(200):
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.close()
            return
        except OSError:
            await asyncio.sleep(0.1)
    raise RuntimeError(f"nothing listens on {port}")


CALL_ID = re.compile(r'"call_id":"([^"]+)"')  # the first one is the call's: msgspec writes fields in order


class Measure:
    def __init__(self) -> None:
        self.rang: dict[str, float] = {}  # Linkedid → when AgentCalled was written
        self.popped: dict[str, float] = {}  # first pop frame: who is calling
        self.completed: dict[str, float] = {}  # the complete pop: with the history and the call's record

    def wrap(self, simulator: AmiSimulator) -> None:
        emit = simulator.emit

        def timed(frame: Frame) -> None:
            emit(frame)
            if frame.get("Event") == "AgentCalled":
                self.rang.setdefault(frame.get("Linkedid", ""), time.time())

        simulator.emit = timed  # type: ignore[method-assign]

    async def listen(self, socket: ClientConnection) -> None:
        # 500 sockets in the process that also plays the PBX: parsing every complete pop's history here
        # delayed the next frames' timestamps, so only the call id and `complete` are read.
        async for raw in socket:
            received = time.time()
            if isinstance(raw, str) and '"screen_pop"' in raw[:80] and (found := CALL_ID.search(raw)):
                call_id = found.group(1)
                self.popped.setdefault(call_id, received)
                if '"complete":true' in raw[-40:]:
                    self.completed.setdefault(call_id, received)


async def _agents(port: int, tokens: dict[str, str], measure: Measure) -> list[asyncio.Task[None]]:
    tasks = []
    for token in tokens.values():
        socket = await connect(f"ws://127.0.0.1:{port}/ws/agent", additional_headers={"Authorization": f"Bearer {token}"},
                               max_queue=None)  # fmt: skip
        await socket.recv()
        tasks.append(asyncio.create_task(measure.listen(socket)))
    return tasks


async def run(args: argparse.Namespace) -> dict[str, object]:
    url = database_url(args.database)
    await upgrade_async(url)
    tokens, pbx, callers = await _prepare(url, args.agents)
    simulator = AmiSimulator()
    measure = Measure()
    measure.wrap(simulator)
    ami_port = await simulator.start()
    app_port = 8800
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "REDIS_URL": REDIS,
        "CHANNELS_PREFIX": "bench",
        "CC_VAR_DIR": "var/bench-app",
    }
    app = _spawn(["serve", "--port", str(app_port)], env, Path("var/bench-app.log"))
    bridge_env = {**env, "AMI_PORT": str(ami_port), "APP_URL": f"http://127.0.0.1:{app_port}", "BRIDGE_TOKEN": pbx,
                  "LOG_LEVEL": "WARNING"}  # fmt: skip
    bridge = None
    try:
        await _wait_http(app_port)
        listeners = await _agents(app_port, tokens, measure)
        print(f"{len(listeners)} agent sockets connected", flush=True)
        bridge = _spawn(["bridge"], bridge_env, Path("var/bench-bridge.log"))
        while simulator.connections < 1:
            await asyncio.sleep(0.1)
        await asyncio.sleep(1.0)
        rng = random.Random(11)
        extensions = list(tokens)
        placed = 0
        started = time.monotonic()
        while time.monotonic() - started < args.seconds:
            caller = rng.choice(callers) if rng.random() > 0.1 else f"09{rng.randrange(10**8):08d}"
            await simulator.place_call("answered", caller, agents=rng.sample(extensions, 2), speed=1.0)
            placed += 1
            await asyncio.sleep(max(0.0, started + placed / args.rate - time.monotonic()))
        await simulator.wait_calls_done()
        await asyncio.sleep(3)
        for task in listeners:
            task.cancel()
    finally:
        for process in (bridge, app):
            if process is not None:
                process.terminate()
                process.wait(timeout=15)
        await simulator.stop()
    latencies = [(measure.popped[c] - t) * 1000 for c, t in measure.rang.items() if c in measure.popped]
    complete = [(measure.completed[c] - t) * 1000 for c, t in measure.rang.items() if c in measure.completed]
    lost = [c for c in measure.rang if c not in measure.completed]
    return {"calls": placed, "rang": len(measure.rang), "popped": len(latencies), "lost": len(lost),
            "latency": percentiles(latencies) if len(latencies) > 1 else {},
            "complete_latency": percentiles(complete) if len(complete) > 1 else {}}  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", default="cc_bench")
    parser.add_argument("--rate", type=float, default=20.0, help="calls per second")
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--agents", type=int, default=500)
    args = parser.parse_args()
    if not database_exists(args.database):
        print(f"database {args.database} does not exist: run bench/import.py first", file=sys.stderr)
        return 2
    Path("var").mkdir(exist_ok=True)
    result = asyncio.run(run(args))
    latency = result["latency"]
    print(f"calls {result['calls']}, rang {result['rang']}, popped {result['popped']}, lost {result['lost']}")
    for label, figures in (("first pop (caller)", latency), ("complete pop", result["complete_latency"])):
        if figures:
            print(f"AgentCalled → {label}: p50 {figures['p50_ms']:.2f} ms  p95 {figures['p95_ms']:.2f} ms  "  # type: ignore[index]
                  f"p99 {figures['p99_ms']:.2f} ms  max {figures['max_ms']:.2f} ms")  # type: ignore[index]  # fmt: skip
    write_result("screen_pop", {"date": dt.date.today().isoformat(), "machine": machine(), "rate": args.rate,
                                "seconds": args.seconds, "agents": args.agents, **result})  # fmt: skip
    return 0 if result["lost"] == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
