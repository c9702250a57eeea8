"""The whole CTI path: AMI simulator ⇄ pyst2 bridge ⇄ websocket ⇄ app ⇄ channels ⇄ the ringing agent's
websocket. Also with the app restarted mid-call (nothing lost, nothing doubled) and with Asterisk
dropping the AMI connection (the bridge reconnects and resyncs)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import pytest
import uvicorn
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from websockets.asyncio.client import ClientConnection, connect

from contact_center.app import create_app
from contact_center.customers import history as customer_history
from contact_center.customers import schemas
from contact_center.customers import service as customer_service
from contact_center.models import Call, CallEvent
from contact_center.settings import Settings
from cti_bridge.service import Bridge, BridgeConfig
from cti_bridge.simulator import AmiSimulator
from tests.builders import make_user


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class AppServer:
    """The app in this event loop behind a real uvicorn on loopback; can be stopped and started again."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.port = _free_port()
        self._server: uvicorn.Server | None = None
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        config = uvicorn.Config(
            create_app(self.settings), host="127.0.0.1", port=self.port, log_level="warning", lifespan="on"
        )
        self._server = uvicorn.Server(config)
        self._task = asyncio.create_task(self._server.serve())
        while not self._server.started:
            await asyncio.sleep(0.02)

    async def stop(self) -> None:
        assert self._server is not None and self._task is not None
        self._server.should_exit = True
        await self._task


@dataclass
class Stack:
    simulator: AmiSimulator
    app: AppServer
    bridge: Bridge
    alice_token: str
    sessions: async_sessionmaker[AsyncSession]
    customer_id: int

    async def agent_socket(self) -> ClientConnection:
        socket = await connect(
            f"ws://127.0.0.1:{self.app.port}/ws/agent",
            additional_headers={"Authorization": f"Bearer {self.alice_token}"},
        )
        assert json.loads(await socket.recv()) == {"type": "ready"}
        return socket


async def _next(socket: ClientConnection, kind: str, timeout: float = 15) -> dict[str, Any]:
    """The next message of this type; for `screen_pop`, the complete one (the first names the caller only)."""
    async with asyncio.timeout(timeout):
        while True:
            message = json.loads(await socket.recv())
            if message["type"] == kind and message.get("complete", True):
                return message


@pytest.fixture
async def stack(settings: Settings, sessions: async_sessionmaker[AsyncSession]) -> AsyncIterator[Stack]:
    _, alice = await make_user(sessions, "agent", "alice", extension="1001")
    await make_user(sessions, "agent", "bob", extension="1002")
    _, pbx = await make_user(sessions, "pbx", "bridge")
    async with sessions() as session, session.begin():
        customer = await customer_service.create(
            session, schemas.CustomerCreate(name="林美華", phones=["0912-345-678"])
        )
    simulator = AmiSimulator()
    ami_port = await simulator.start()
    app = AppServer(settings)
    await app.start()
    bridge = Bridge(
        BridgeConfig(
            ami_port=ami_port,
            app_url=f"http://127.0.0.1:{app.port}",
            token=pbx,
            bridge_id="test",
            ping_interval=1.0,
            ping_timeout=2.0,
        )
    )
    runner = asyncio.create_task(bridge.run())
    # Both links: the app's (events reach the app) and Asterisk's (click-to-dial reaches the PBX).
    await asyncio.wait_for(bridge.link.connected.wait(), 10)
    await asyncio.wait_for(bridge.ami_ready.wait(), 10)
    yield Stack(simulator, app, bridge, alice, sessions, customer.id)
    bridge.stop()
    await asyncio.wait_for(runner, 15)
    with contextlib.suppress(Exception):
        await app.stop()
    await simulator.stop()


async def _timeline(sessions: async_sessionmaker[AsyncSession], call_id: str) -> list[str]:
    async with sessions() as session:
        call = (await session.execute(select(Call).where(Call.call_id == call_id))).scalar_one()
        rows = await session.execute(
            select(CallEvent.type).where(CallEvent.call_row_id == call.id).order_by(CallEvent.at, CallEvent.id)
        )
        return list(rows.scalars())


async def test_a_queue_call_pops_the_customer_at_the_ringing_agent(stack: Stack) -> None:
    agent = await stack.agent_socket()
    call_id = await stack.simulator.place_call("answered", "0912345678", agents=("1001", "1002"), speed=0.2)
    first = json.loads(await asyncio.wait_for(agent.recv(), 15))
    assert first["type"] == "screen_pop" and first["complete"] is False and first["history"] is None
    assert first["match"] == "single" and first["customers"][0]["name"] == "林美華"
    pop = await _next(agent, "screen_pop")
    assert pop["match"] == "single" and pop["history"]["customer"]["name"] == "林美華" and pop["call"]["id"] > 0
    assert pop["call"]["call_id"] == call_id and pop["call"]["queue"] == "support"
    assert (await _next(agent, "call_update"))["change"] == "answered"
    assert (await _next(agent, "call_update"))["change"] == "ended"
    await asyncio.wait_for(stack.bridge.link.drain(), 10)
    assert await _timeline(stack.sessions, call_id) == ["call.offered", "call.ringing", "call.answered", "call.ended"]
    await agent.close()


async def test_an_app_restart_mid_call_loses_nothing_and_doubles_nothing(stack: Stack) -> None:
    agent = await stack.agent_socket()
    stack.simulator.hold_before("AgentConnect")
    call_id = await stack.simulator.place_call("answered", "0912345678", agents=("1001", "1002"), speed=0.2)
    await _next(agent, "screen_pop")
    await stack.simulator.wait_held()
    await agent.close()
    await stack.app.stop()  # the app goes away mid-call ...
    stack.simulator.release()  # ... while Asterisk goes on: answered, talk, hang-up
    await stack.simulator.wait_calls_done()
    assert stack.bridge.link.pending >= 2
    await stack.app.start()  # back: the bridge re-sends what was not acknowledged
    await asyncio.wait_for(stack.bridge.link.drain(), 20)
    assert await _timeline(stack.sessions, call_id) == ["call.offered", "call.ringing", "call.answered", "call.ended"]
    async with stack.sessions() as session:
        call = (await session.execute(select(Call).where(Call.call_id == call_id))).scalar_one()
        assert (call.state, call.hangup_by) == ("ended", "caller")
        assert (await session.execute(select(func.count()).select_from(CallEvent))).scalar_one() >= 4


async def test_a_dropped_ami_connection_is_resynced_and_the_call_closed(stack: Stack) -> None:
    agent = await stack.agent_socket()
    stack.simulator.hold_before("Hangup")
    call_id = await stack.simulator.place_call("answered", "0912345678", agents=("1001", "1002"), speed=0.2)
    await _next(agent, "screen_pop")
    await stack.simulator.wait_held()
    sessions_before = stack.bridge.ami_sessions
    stack.simulator.mute()  # Asterisk goes silent: the hang-up happens while the bridge cannot hear it
    await stack.simulator.drop_connections()
    stack.simulator.release()
    await stack.simulator.wait_calls_done()
    stack.simulator.unmute()
    ended = await _next(agent, "call_update", timeout=30)
    while ended["change"] != "ended":
        ended = await _next(agent, "call_update", timeout=30)
    assert stack.bridge.ami_sessions > sessions_before
    async with stack.sessions() as session:
        call = (await session.execute(select(Call).where(Call.call_id == call_id))).scalar_one()
        assert call.state == "ended" and call.ended_at is not None
    await agent.close()


async def test_click_to_dial_reaches_asterisk_as_an_originate(stack: Stack) -> None:
    agent = await stack.agent_socket()
    await agent.send(json.dumps({"type": "dial", "number": "0912-345-678"}))
    result = await _next(agent, "dial_result", timeout=20)
    assert result["ok"] is True
    originate = [a for a in stack.simulator.actions if a.get("Action") == "Originate"]
    assert originate and originate[0]["Channel"] == "PJSIP/1001" and originate[0]["Exten"] == "0912345678"
    # The call is logged as the agent's outbound call to that customer, and is in the customer's history.
    ended = await _next(agent, "call_update", timeout=30)
    while ended["change"] != "ended":
        ended = await _next(agent, "call_update", timeout=30)
    call = ended["call"]
    assert (call["direction"], call["dialled"], call["customer_id"]) == ("out", "0912345678", stack.customer_id)
    async with stack.sessions() as session:
        history = await customer_history.history(session, stack.customer_id)
    assert [(i.channel, i.direction, i.summary[:2]) for i in history.interactions] == [("call", "out", "去電")]
    await agent.close()


async def test_a_dial_while_the_bridge_is_not_logged_in_to_asterisk_tells_the_agent_why(stack: Stack) -> None:
    await stack.simulator.stop()  # Asterisk goes away; the bridge keeps its link to the app and retries AMI
    async with asyncio.timeout(10):
        while stack.bridge.ami_ready.is_set():
            await asyncio.sleep(0.02)
    assert stack.bridge.link.connected.is_set()
    agent = await stack.agent_socket()
    await agent.send(json.dumps({"type": "dial", "number": "0912-345-678"}))
    result = await _next(agent, "dial_result", timeout=10)
    assert result["ok"] is False
    assert result["code"] == "not_connected" and result["reason"] == "telephony not connected"
    assert result["number"] == "0912345678"
    await agent.close()


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
async def test_two_app_instances_on_redis_the_agent_on_the_other_one_gets_the_pop(
    settings: Settings, sessions: async_sessionmaker[AsyncSession]
) -> None:
    """Bridge connected to instance A, agent to instance B: the pop crosses Redis; so does click-to-dial."""
    import dataclasses
    import uuid

    shared = dataclasses.replace(
        settings, redis_url="redis://127.0.0.1:6379/0", channels_prefix=f"test-{uuid.uuid4().hex[:8]}"
    )
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
        await simulator.place_call("answered", "0912345678", agents=("1001", "1002"), speed=0.2)
        pop = await _next(agent, "screen_pop")
        assert pop["history"]["customer"]["name"] == "林美華"
        await agent.send(json.dumps({"type": "dial", "number": "0912345678"}))
        assert (await _next(agent, "dial_result", timeout=20))["ok"] is True
        assert any(a.get("Action") == "Originate" for a in simulator.actions)
        await agent.close()
    finally:
        bridge.stop()
        await asyncio.wait_for(runner, 15)
        await first.stop()
        await second.stop()
        await simulator.stop()


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
async def test_wrong_ami_credentials_stop_the_bridge_with_a_clear_exit_code(settings: Settings) -> None:
    from cti_bridge.service import EXIT_AMI_AUTH

    simulator = AmiSimulator()
    ami_port = await simulator.start()
    try:
        bridge = Bridge(
            BridgeConfig(ami_port=ami_port, ami_secret="wrong-secret", app_url="http://127.0.0.1:9", token="x")
        )
        assert await asyncio.wait_for(bridge.run(), 15) == EXIT_AMI_AUTH
        logins = [a for a in simulator.actions if a.get("Action") == "Login"]
        assert len(logins) == 1  # refused once, not retried in a loop
    finally:
        await simulator.stop()


async def test_a_refused_bridge_token_stops_the_bridge(settings: Settings) -> None:
    from cti_bridge.service import EXIT_APP_REFUSED

    simulator = AmiSimulator()
    ami_port = await simulator.start()
    app = AppServer(settings)
    await app.start()
    try:
        bridge = Bridge(BridgeConfig(ami_port=ami_port, app_url=f"http://127.0.0.1:{app.port}", token="cc_not-a-token"))
        assert await asyncio.wait_for(bridge.run(), 20) == EXIT_APP_REFUSED
    finally:
        await app.stop()
        await simulator.stop()
