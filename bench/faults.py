"""Calls keep coming while the parts fail: N calls at RATE/s through the AMI simulator → `contact-center
bridge` (with its spool) → `contact-center serve` on PostgreSQL with Redis channels, while the app, then
the bridge, then Redis are killed (SIGKILL) and started again, one phase each. Prints per phase the calls
placed / logged / lost / stranded (never ended) / doubled (a timeline offered twice), and how long after
the restart an agent's socket received a complete screen-pop again (it crosses Redis). Baseline: a phase
with no fault, same run. A call that starts and ends while no bridge is connected to Asterisk leaves no
trace in AMI: with short calls (speed 0.4: 1.8-4.6 s) the "bridge killed" phase counts them as lost.

    python bench/faults.py [--rate 20] [--seconds 10]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

import asyncpg
from websockets.asyncio.client import connect

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench._common import ADMIN_DSN, database_url, machine, recreate_database, write_result
from cti_bridge.simulator import AmiSimulator
from tests.e2e.conftest import _free_port

DB = "cc_faults"
SCENARIOS = ("answered", "abandoned", "ring_no_answer_then_next", "blind_transfer")
CLI = [sys.executable, "-m", "contact_center"]


class Part:
    """A process of the deployment that the bench kills and starts again."""

    def __init__(self, name: str, command: list[str], env: dict[str, str], log: Path) -> None:
        self.name, self.command, self.env, self.log = name, command, env, log
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(self.command, env=self.env, stdout=out, stderr=out)

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()


def _wait_http(url: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


class Agent:
    """alice's desktop: reconnects whenever the socket drops; remembers when each pop arrived."""

    def __init__(self, url: str, token: str) -> None:
        self.url, self.token = url, token
        self.pops: list[float] = []
        self.task: asyncio.Task[None] | None = None

    async def run(self) -> None:
        while True:
            try:
                async with connect(self.url, additional_headers={"Authorization": f"Bearer {self.token}"}) as ws:
                    async for raw in ws:
                        frame = json.loads(raw)
                        # The complete pop crosses Redis even when this process holds the socket (the
                        # first frame may go straight to it): it is what says realtime is back.
                        if frame.get("type") == "screen_pop" and frame.get("complete"):
                            self.pops.append(time.monotonic())
            except (OSError, Exception):  # noqa: BLE001 - the app is down: try again soon
                await asyncio.sleep(0.1)

    def first_pop_after(self, moment: float) -> float | None:
        return next((t - moment for t in self.pops if t >= moment), None)


async def _counts(placed: set[str]) -> dict[str, int]:
    conn = await asyncpg.connect(ADMIN_DSN.rsplit("/", 1)[0] + f"/{DB}")
    try:
        rows = await conn.fetch("SELECT caller, ended_at IS NULL AS open, (SELECT count(*) FROM call_events e "
                                "WHERE e.call_row_id = c.id AND e.type = 'call.offered') AS offers FROM calls c")  # fmt: skip
    finally:
        await conn.close()
    logged = {r["caller"] for r in rows if r["caller"] in placed}
    return {
        "placed": len(placed), "logged": len(logged), "lost": len(placed - logged),
        "stranded": sum(1 for r in rows if r["caller"] in placed and r["open"]),
        "doubled": sum(1 for r in rows if r["caller"] in placed and r["offers"] > 1),
    }  # fmt: skip


async def phase(
    name: str, fault: Part | None, sim: AmiSimulator, agent: Agent, rate: float, seconds: float, number: int
) -> dict[str, Any]:
    placed: set[str] = set()
    total = int(rate * seconds)
    restarted_at = None
    for n in range(total):
        if fault is not None and n == total // 3:
            fault.kill()
        if fault is not None and n == total // 3 + int(rate):  # down for a second of calls
            fault.start()
            restarted_at = time.monotonic()
        caller = f"09{number:02d}{n:06d}"
        placed.add(caller)
        await sim.place_call(SCENARIOS[n % len(SCENARIOS)], caller, agents=("1001", "1002"), speed=0.4)
        await asyncio.sleep(1 / rate)
    await sim.wait_calls_done()
    await asyncio.sleep(8)  # the bridge drains its spool, the app settles
    result: dict[str, Any] = {"phase": name, **await _counts(placed)}
    if restarted_at is not None:
        recovery = agent.first_pop_after(restarted_at)
        result["realtime_back_after_s"] = round(recovery, 2) if recovery is not None else None
    print(f"{name:>12}: " + ", ".join(f"{k} {v}" for k, v in result.items() if k != "phase"), flush=True)
    return result


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rate", type=float, default=20.0)
    parser.add_argument("--seconds", type=float, default=10.0)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="faults-"))
    await recreate_database(DB)
    redis_port, app_port = _free_port(), _free_port()
    redis_bin = shutil.which("redis-server") or "redis-server"
    redis = Part("redis", [redis_bin, "--bind", "127.0.0.1", "--port", str(redis_port), "--save", "",
                           "--appendonly", "no"], dict(os.environ), work / "redis.log")  # fmt: skip
    env = {**os.environ, "DATABASE_URL": database_url(DB), "REDIS_URL": f"redis://127.0.0.1:{redis_port}/0",
           "CC_VAR_DIR": str(work / "var"), "LOG_LEVEL": "WARNING", "APP_URL": f"http://127.0.0.1:{app_port}"}  # fmt: skip
    subprocess.run([*CLI, "db", "upgrade"], env=env, check=True, capture_output=True)
    tokens = {}
    for user, role, ext in (("alice", "agent", "1001"), ("bob", "agent", "1002"), ("pbx", "pbx", None)):
        subprocess.run([*CLI, "users", "add", user, "--role", role, *(["--extension", ext] if ext else [])],
                       env=env, check=True, capture_output=True)  # fmt: skip
        tokens[user] = subprocess.run([*CLI, "token", "create", "--user", user], env=env, check=True,
                                      capture_output=True, text=True).stdout.strip()  # fmt: skip
    sim = AmiSimulator()
    ami_port = await sim.start()
    redis.start()
    time.sleep(0.3)
    app = Part("app", [*CLI, "serve", "--port", str(app_port)], env, work / "app.log")
    app.start()
    _wait_http(f"http://127.0.0.1:{app_port}/health")
    bridge_env = {**env, "AMI_PORT": str(ami_port), "BRIDGE_TOKEN": tokens["pbx"], "BRIDGE_SPOOL": str(work / "spool")}
    bridge = Part("bridge", [*CLI, "bridge"], bridge_env, work / "bridge.log")
    bridge.start()
    agent = Agent(f"ws://127.0.0.1:{app_port}/ws/agent", tokens["alice"])
    agent.task = asyncio.create_task(agent.run())
    await asyncio.sleep(3)

    results = []
    try:
        results.append(await phase("no fault", None, sim, agent, args.rate, args.seconds, 10))
        results.append(await phase("app killed", app, sim, agent, args.rate, args.seconds, 11))
        results.append(await phase("bridge killed", bridge, sim, agent, args.rate, args.seconds, 12))
        results.append(await phase("redis killed", redis, sim, agent, args.rate, args.seconds, 13))
    finally:
        agent.task.cancel()
        for part in (bridge, app, redis):
            part.stop()
        await sim.stop()
    write_result("faults", {"machine": machine(), "date": time.strftime("%Y-%m-%d"), "rate": args.rate,
                            "seconds_per_phase": args.seconds, "phases": results})  # fmt: skip


if __name__ == "__main__":
    asyncio.run(main())
