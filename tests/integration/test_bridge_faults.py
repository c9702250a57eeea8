"""The bridge under faults: its process killed and started again in the middle of a stream of calls
(nothing lost, nothing stranded, nothing doubled), a restarted bridge closing the calls that ended while
it was away, and an Asterisk that refuses QueueStatus (the bridge stays connected and asks again with
back-off, instead of logging in again and again)."""

from __future__ import annotations

import asyncio
import collections
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from contact_center.models import Call, CallEvent
from contact_center.settings import Settings
from cti_bridge.service import Bridge, BridgeConfig
from cti_bridge.simulator import AmiSimulator
from tests.builders import make_user
from tests.integration.test_cti_end_to_end import AppServer

SCENARIOS = ("answered", "abandoned", "ring_no_answer_then_next", "blind_transfer")


class BridgeProcess:
    """`contact-center bridge` as operators run it, with its spool on disk; killed with SIGKILL."""

    def __init__(self, ami_port: int, app_port: int, token: str, spool: Path) -> None:
        self.env = {**os.environ, "AMI_PORT": str(ami_port), "APP_URL": f"http://127.0.0.1:{app_port}",
                    "BRIDGE_TOKEN": token, "BRIDGE_SPOOL": str(spool), "BRIDGE_ID": "faults",
                    "LOG_LEVEL": "WARNING"}  # fmt: skip
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen([sys.executable, "-m", "contact_center", "bridge"], env=self.env)

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=15)


@pytest.fixture
async def floor(settings: Settings, sessions: async_sessionmaker[AsyncSession]) -> AsyncIterator[dict[str, object]]:
    await make_user(sessions, "agent", "alice", extension="1001")
    await make_user(sessions, "agent", "bob", extension="1002")
    _, pbx = await make_user(sessions, "pbx", "bridge")
    simulator = AmiSimulator()
    ami_port = await simulator.start()
    app = AppServer(settings)
    await app.start()
    yield {"simulator": simulator, "ami_port": ami_port, "app": app, "pbx": pbx}
    await app.stop()
    await simulator.stop()


async def _timelines(sessions: async_sessionmaker[AsyncSession]) -> dict[str, collections.Counter[str]]:
    """Each call's timeline as counts of event types, by caller number."""
    async with sessions() as session:
        rows = await session.execute(
            select(Call.caller, CallEvent.type).join(CallEvent, CallEvent.call_row_id == Call.id)
        )
        timelines: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
        for caller, kind in rows.all():
            timelines[caller][kind] += 1
        return timelines


async def _settled(sessions: async_sessionmaker[AsyncSession], expected: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while True:
        async with sessions() as session:
            total = (await session.execute(select(func.count()).select_from(Call))).scalar_one()
            open_ = (await session.execute(select(func.count()).where(Call.ended_at.is_(None)))).scalar_one()
        if total >= expected and open_ == 0:
            return
        if time.monotonic() > deadline:
            return  # the assertions say what is missing
        await asyncio.sleep(0.2)


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
async def test_killing_the_bridge_mid_stream_loses_strands_and_doubles_nothing(
    floor: dict[str, object], sessions: async_sessionmaker[AsyncSession], tmp_path: Path
) -> None:
    simulator = floor["simulator"]
    app = floor["app"]
    assert isinstance(simulator, AmiSimulator) and isinstance(app, AppServer)
    bridge = BridgeProcess(int(str(floor["ami_port"])), app.port, str(floor["pbx"]), tmp_path / "bridge.spool")
    bridge.start()
    try:
        # A calm call of each kind first: what each timeline holds when nothing goes wrong.
        deadline = time.monotonic() + 20
        while simulator.connections == 0:
            assert time.monotonic() < deadline, "the bridge never logged in to the simulator"
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.5)  # its resync done
        for n, scenario in enumerate(SCENARIOS):
            await simulator.place_call(scenario, f"09110000{n:02d}", agents=("1001", "1002"), speed=0.3)
        await simulator.wait_calls_done()
        await _settled(sessions, len(SCENARIOS))
        calm = await _timelines(sessions)
        normal = {scenario: calm[f"09110000{n:02d}"] for n, scenario in enumerate(SCENARIOS)}
        assert all(normal.values()), calm

        rng = random.Random(7)
        placed: dict[str, str] = {}
        # 10 calls a second. The bridge is killed after 1 s and started again after 2.5 s (it logs in ~1.5 s
        # later). The calls before the kill are quick: some end while no bridge watches (they would be
        # stranded open). The calls after it are slow: they are still up when the new bridge resyncs.
        for n in range(40):
            if n == 10:
                bridge.kill()
            if n == 25:
                bridge.start()
            caller = f"09120000{n:02d}"
            placed[caller] = rng.choice(SCENARIOS)
            # Slow enough to outlast a bridge start on a busy 2-core machine (importing it takes 3-5 s there).
            await simulator.place_call(placed[caller], caller, agents=("1001", "1002"), speed=0.5 if n < 10 else 3.0)
            await asyncio.sleep(0.1)
        await simulator.wait_calls_done()
        await _settled(sessions, len(SCENARIOS) + len(placed))
    finally:
        bridge.stop()

    timelines = await _timelines(sessions)
    lost = [caller for caller in placed if caller not in timelines]
    async with sessions() as session:
        stranded = (await session.execute(select(Call.caller).where(Call.ended_at.is_(None)))).scalars().all()
    doubled = {
        caller: dict(timelines[caller])
        for caller, scenario in placed.items()
        if caller in timelines and any(timelines[caller][kind] > normal[scenario][kind] for kind in timelines[caller])
        and timelines[caller]["call.offered"] > 1
    }  # fmt: skip
    assert (lost, list(stranded), doubled) == ([], [], {})


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
async def test_a_restarted_bridge_closes_the_calls_that_ended_while_it_was_away(
    floor: dict[str, object], sessions: async_sessionmaker[AsyncSession]
) -> None:
    simulator = floor["simulator"]
    app = floor["app"]
    assert isinstance(simulator, AmiSimulator) and isinstance(app, AppServer)
    config = BridgeConfig(ami_port=int(str(floor["ami_port"])), app_url=f"http://127.0.0.1:{app.port}",
                          token=str(floor["pbx"]), bridge_id="r")  # fmt: skip
    first = Bridge(config)
    runner = asyncio.create_task(first.run())
    await asyncio.wait_for(first.resync_complete.wait(), 10)
    simulator.hold_before("BridgeLeave")  # the calls stay up until released
    await simulator.place_call("answered", "0912345601", agents=("1001", "1002"), speed=0.1)
    await simulator.place_call("answered", "0912345602", agents=("1001", "1002"), speed=0.1)
    await simulator.wait_held()
    await asyncio.sleep(0.5)
    await asyncio.wait_for(first.link.drain(), 10)
    first.stop()
    await asyncio.wait_for(runner, 15)

    simulator.release()  # both calls end while no bridge watches
    await simulator.wait_calls_done()
    simulator.hold_before("BridgeLeave")
    await simulator.place_call("answered", "0912345603", agents=("1001", "1002"), speed=0.1)  # live at restart
    await simulator.wait_held()

    second = Bridge(config)  # a new process remembers nothing
    runner = asyncio.create_task(second.run())
    try:
        await asyncio.wait_for(second.resync_complete.wait(), 10)
        await asyncio.wait_for(second.link.drain(), 10)
        async with sessions() as session:
            calls = {c.caller: c for c in (await session.execute(select(Call))).scalars()}
        for number in ("0912345601", "0912345602"):
            assert calls[number].ended_at is not None and calls[number].hangup_by == "system", number
        assert calls["0912345603"].ended_at is None
        timelines = await _timelines(sessions)
        assert timelines["0912345601"]["call.offered"] == 1 and timelines["0912345601"]["call.ended"] == 1
    finally:
        simulator.release()
        second.stop()
        await asyncio.wait_for(runner, 15)


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
@pytest.mark.parametrize(
    "refusal",
    ["Permission denied", "Invalid/unknown command: QueueStatus. Use Action: ListCommands to show available commands."],
)
async def test_a_refused_queuestatus_degrades_the_bridge_instead_of_reconnecting(
    floor: dict[str, object], refusal: str
) -> None:
    simulator = floor["simulator"]
    app = floor["app"]
    assert isinstance(simulator, AmiSimulator) and isinstance(app, AppServer)
    simulator.refuse["queuestatus"] = refusal
    bridge = Bridge(BridgeConfig(ami_port=int(str(floor["ami_port"])), app_url=f"http://127.0.0.1:{app.port}",
                                 token=str(floor["pbx"]), bridge_id="q"))  # fmt: skip
    runner = asyncio.create_task(bridge.run())
    try:
        await asyncio.wait_for(bridge.ami_ready.wait(), 10)
        await asyncio.sleep(4)
        actions = [a.get("Action", "").lower() for a in simulator.actions]
        assert actions.count("login") == 1  # one login, no storm
        assert 2 <= actions.count("queuestatus") <= 5  # asked again with back-off (1 s, 2 s, ...)
        assert bridge.ami_ready.is_set() and not bridge.resync_complete.is_set()
        del simulator.refuse["queuestatus"]  # app_queue finished loading
        await asyncio.wait_for(bridge.resync_complete.wait(), 15)
        assert [a.get("Action", "").lower() for a in simulator.actions].count("login") == 1
    finally:
        bridge.stop()
        await asyncio.wait_for(runner, 15)
