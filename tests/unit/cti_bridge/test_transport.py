"""The bridge's link to the app loses nothing while the app restarts, and stays bounded when it is gone."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.http11 import Response

from cti_bridge import contract as c
from cti_bridge.spool import Spool
from cti_bridge.transport import AppLink, AppRefused


def _event(n: int) -> c.CallRinging:
    return c.CallRinging(id=f"ev-{n}", call_id=f"call-{n}", at=time.time(), extension="1001", caller="0912345678")


class FakeApp:
    """Acknowledges what it receives (or only the first `ack_limit` events, then hangs up)."""

    def __init__(self) -> None:
        self.received: list[str] = []
        self.hellos: list[c.Hello] = []
        self.ack_limit: int | None = None
        self.commands: list[c.Originate] = []
        self.frames: list[str] = []
        self.reject: set[str] = set()  # event ids to acknowledge as rejected
        self.silent_connections = 0  # connections on which nothing is acknowledged (a stuck writer)

    async def handler(self, socket: ServerConnection) -> None:
        for command in self.commands:
            await socket.send(c.encode(command).decode())
        silent = self.silent_connections > 0
        self.silent_connections -= 1
        async for raw in socket:
            self.frames.append(str(raw))
            message = c.decode_bridge_message(raw)
            if isinstance(message, c.Hello):
                self.hellos.append(message)
                continue
            self.received.append(message.id)
            if silent:
                continue
            if message.id in self.reject:
                await socket.send(c.encode(c.Ack(ids=[], rejected={message.id: "DataError: no"})).decode())
                continue
            if self.ack_limit is not None and len(self.received) >= self.ack_limit:
                self.ack_limit = None
                await socket.close()  # the app "restarts": the last events were never acknowledged
                return
            await socket.send(c.encode(c.Ack(ids=[message.id])).decode())


@contextlib.asynccontextmanager
async def running(app: FakeApp, port: int = 0) -> AsyncIterator[Server]:
    async with serve(app.handler, "127.0.0.1", port) as server:
        yield server


def _port(server: Server) -> int:
    return int(next(iter(server.sockets)).getsockname()[1])


async def test_events_are_delivered_in_order_and_acknowledged() -> None:
    app = FakeApp()
    async with running(app) as server:
        link = AppLink(f"ws://127.0.0.1:{_port(server)}/ws/cti", "token", "test-bridge")
        runner = asyncio.create_task(link.run())
        for n in range(100):
            link.send(_event(n))
        await asyncio.wait_for(link.drain(), 5)
        link.stop()
        await runner
    assert app.received == [f"ev-{n}" for n in range(100)]
    assert link.pending == 0 and link.acknowledged == 100 and app.hellos[0].bridge == "test-bridge"


async def test_nothing_is_lost_when_the_app_goes_away_and_comes_back() -> None:
    app = FakeApp()
    app.ack_limit = 30
    async with running(app) as server:
        port = _port(server)
        link = AppLink(f"ws://127.0.0.1:{port}/ws/cti", "token", "test-bridge")
        runner = asyncio.create_task(link.run())
        for n in range(50):
            link.send(_event(n))
        await asyncio.wait_for(link.connected.wait(), 5)
        await asyncio.sleep(0.2)
    # The app is down: events keep coming and wait in the buffer.
    for n in range(50, 80):
        link.send(_event(n))
    assert link.pending >= 30
    async with running(app, port):
        await asyncio.wait_for(link.drain(), 15)
    link.stop()
    await runner
    assert set(app.received) == {f"ev-{n}" for n in range(80)}  # repeats allowed (the app drops them), gaps not
    assert app.hellos[-1].pending > 0 and link.dropped == 0


async def test_a_full_buffer_drops_the_oldest_and_counts_them() -> None:
    link = AppLink("ws://127.0.0.1:9/ws/cti", "token", "test-bridge", buffer_size=10)
    for n in range(15):
        link.send(_event(n))
    assert (link.pending, link.dropped) == (10, 5)


async def test_commands_reach_the_handler() -> None:
    app = FakeApp()
    app.commands = [c.Originate(command_id="cmd-1", extension="1001", number="0912345678")]
    seen: list[c.Originate] = []
    done = asyncio.Event()

    async def on_command(command: c.Originate) -> None:
        seen.append(command)
        done.set()

    async with running(app) as server:
        link = AppLink(f"ws://127.0.0.1:{_port(server)}/ws/cti", "token", "b", on_command=on_command)
        runner = asyncio.create_task(link.run())
        await asyncio.wait_for(done.wait(), 5)
        link.stop()
        await runner
    assert seen == app.commands


async def test_a_refused_token_stops_the_link_instead_of_retrying() -> None:
    def refuse(connection: ServerConnection, request: object) -> Response:
        return connection.respond(403, "forbidden\n")

    async with serve(lambda socket: asyncio.sleep(0), "127.0.0.1", 0, process_request=refuse) as server:
        link = AppLink(f"ws://127.0.0.1:{_port(server)}/ws/cti", "bad", "b")
        with pytest.raises(AppRefused):
            await asyncio.wait_for(link.run(), 5)


async def test_a_field_too_long_is_cut_before_it_leaves_the_bridge() -> None:
    app = FakeApp()
    async with running(app) as server:
        link = AppLink(f"ws://127.0.0.1:{_port(server)}/ws/cti", "token", "b")
        runner = asyncio.create_task(link.run())
        link.send(c.CallOffered(id="long", call_id="x", at=time.time(), caller_name="名" * 300, queue="q\x00"))
        await asyncio.wait_for(link.drain(), 5)
        link.stop()
        await runner
    sent = next(frame for frame in app.frames if '"long"' in frame)
    event = c._event_decoder.decode(sent)  # as it travelled, before any receiver's own bounding
    assert isinstance(event, c.CallOffered)
    assert event.caller_name == "名" * 128 and event.queue == "q" and event.truncated == ["caller_name"]


async def test_an_event_the_app_rejects_is_forgotten_and_counted() -> None:
    app = FakeApp()
    app.reject = {"ev-1"}
    async with running(app) as server:
        link = AppLink(f"ws://127.0.0.1:{_port(server)}/ws/cti", "token", "b")
        runner = asyncio.create_task(link.run())
        for n in range(3):
            link.send(_event(n))
        await asyncio.wait_for(link.drain(), 5)
        link.stop()
        await runner
    assert (link.acknowledged, link.rejected, link.pending) == (2, 1, 0)


async def test_no_acknowledgement_for_too_long_makes_the_link_reconnect_and_resend() -> None:
    app = FakeApp()
    app.silent_connections = 1
    async with running(app) as server:
        link = AppLink(f"ws://127.0.0.1:{_port(server)}/ws/cti", "token", "b", ack_timeout=0.5)
        runner = asyncio.create_task(link.run())
        for n in range(5):
            link.send(_event(n))
        await asyncio.wait_for(link.drain(), 10)
        link.stop()
        await runner
    assert link.ack_timeouts == 1 and len(app.hellos) == 2
    assert app.received == [f"ev-{n}" for n in range(5)] * 2  # sent again on the new connection, in order


async def test_unacknowledged_events_survive_a_restart_of_the_bridge_in_its_spool(tmp_path: Path) -> None:
    path = tmp_path / "bridge.spool"
    before = AppLink("ws://127.0.0.1:9/ws/cti", "token", "b", spool=Spool(path))
    for n in range(5):
        before.send(_event(n))  # the app is unreachable: nothing is acknowledged, then the process dies
    del before
    app = FakeApp()
    async with running(app) as server:
        after = AppLink(f"ws://127.0.0.1:{_port(server)}/ws/cti", "token", "b", spool=Spool(path))
        assert after.pending == 5
        runner = asyncio.create_task(after.run())
        after.send(_event(5))
        await asyncio.wait_for(after.drain(), 5)
        after.stop()
        await runner
    assert app.received == [f"ev-{n}" for n in range(6)]  # in their order, the spooled ones first
    assert AppLink("ws://127.0.0.1:9/ws/cti", "token", "b", spool=Spool(path)).pending == 0  # acknowledged: gone
