"""Redis restarted under two app instances: the realtime path comes back by itself. A Redis server of the
test's own on its own port is killed and started again (the shared one is never touched); /health says
the channels are down meanwhile; every frame of a call placed afterwards reaches the agent whose socket
is on the other instance than the bridge's."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import shutil
import subprocess
import time
import urllib.request
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from websockets.asyncio.client import ClientConnection, connect

from contact_center.customers import schemas
from contact_center.customers import service as customer_service
from contact_center.settings import Settings
from cti_bridge.service import Bridge, BridgeConfig
from cti_bridge.simulator import AmiSimulator
from tests.builders import make_user
from tests.integration.test_cti_end_to_end import AppServer, _free_port

pytestmark = pytest.mark.parametrize("backend", ["postgresql"], indirect=True)


class RedisServer:
    """A redis-server of this test's own, on its own port, that can be killed and started again."""

    def __init__(self) -> None:
        binary = shutil.which("redis-server")
        assert binary, "redis-server is not installed (scripts/services installs what the tests need)"
        self.binary = binary
        self.port = _free_port()
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [self.binary, "--bind", "127.0.0.1", "--port", str(self.port), "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 10
        while subprocess.run(["redis-cli", "-p", str(self.port), "ping"], capture_output=True).stdout != b"PONG\n":
            assert time.monotonic() < deadline, "redis-server did not start"
            time.sleep(0.05)

    def kill(self) -> None:
        assert self.process is not None
        self.process.kill()  # no goodbye, as a crash or an OOM kill
        self.process.wait()

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"


@pytest.fixture
def redis_server() -> Iterator[RedisServer]:
    server = RedisServer()
    server.start()
    yield server
    if server.process is not None and server.process.poll() is None:
        server.kill()


def _health(port: int) -> dict[str, Any]:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=5) as response:
        return dict(json.load(response))


async def _wait_health(ports: list[int], channels_ok: bool, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while True:
        states = [await asyncio.to_thread(_health, port) for port in ports]
        if all(state["channels_ok"] is channels_ok for state in states):
            return
        assert time.monotonic() < deadline, states
        await asyncio.sleep(0.1)


async def _frames_of_one_call(agent: ClientConnection, timeout: float = 20) -> list[str]:
    """What the agent's desktop received for the next call, until it ended: 'screen_pop:first', ..."""
    frames: list[str] = []
    async with asyncio.timeout(timeout):
        while True:
            message = json.loads(await agent.recv())
            if message["type"] == "screen_pop":
                frames.append("screen_pop:" + ("complete" if message["complete"] else "first"))
            elif message["type"] == "call_update":
                frames.append("call_update:" + message["change"])
                if message["change"] == "ended":
                    return frames


async def test_realtime_comes_back_after_redis_restarts(
    settings: Settings, sessions: async_sessionmaker[AsyncSession], redis_server: RedisServer
) -> None:
    shared = dataclasses.replace(settings, redis_url=redis_server.url, channels_prefix=f"t-{uuid.uuid4().hex[:8]}")
    _, alice = await make_user(sessions, "agent", "alice", extension="1001")
    _, pbx = await make_user(sessions, "pbx", "bridge")
    async with sessions() as session, session.begin():
        await customer_service.create(session, schemas.CustomerCreate(name="林美華", phones=["0912-345-678"]))
    simulator = AmiSimulator()
    ami_port = await simulator.start()
    first, second = AppServer(shared), AppServer(shared)
    await first.start()
    await second.start()
    bridge = Bridge(BridgeConfig(ami_port=ami_port, app_url=f"http://127.0.0.1:{first.port}", token=pbx, bridge_id="a"))
    runner = asyncio.create_task(bridge.run())
    try:
        await asyncio.wait_for(bridge.link.connected.wait(), 10)
        await asyncio.wait_for(bridge.ami_ready.wait(), 10)
        agent = await connect(
            f"ws://127.0.0.1:{second.port}/ws/agent", additional_headers={"Authorization": f"Bearer {alice}"}
        )
        assert json.loads(await agent.recv()) == {"type": "ready"}
        await simulator.place_call("answered", "0912345678", agents=("1001", "1002"), speed=0.1)
        before = await _frames_of_one_call(agent)
        assert before[:2] == ["screen_pop:first", "screen_pop:complete"] and before[-1] == "call_update:ended"

        redis_server.kill()
        await _wait_health([first.port, second.port], channels_ok=False)
        assert (await asyncio.to_thread(_health, second.port))["status"] == "degraded"
        redis_server.start()
        await _wait_health([first.port, second.port], channels_ok=True)

        await simulator.place_call("answered", "0912345678", agents=("1001", "1002"), speed=0.1)
        after = await _frames_of_one_call(agent)
        assert after == before  # every frame of the call, on the other instance
        assert (await asyncio.to_thread(_health, second.port))["status"] == "ok"
        await agent.close()
    finally:
        bridge.stop()
        await asyncio.wait_for(runner, 15)
        await first.stop()
        await second.stop()
        await simulator.stop()
