"""The pyst2 adapter (`cti_bridge.ami`) against the AMI simulator: one test per pyst2 bug it guards against.

Bug numbers are those of shared/design/TECH-NOTES.md (reproduced in tests/fixtures/asterisk-ami/pyst2-findings.md).
"""

from __future__ import annotations

import asyncio
import sys
import threading
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
from asterisk.manager import ManagerMsg

from cti_bridge.ami import (
    AmiActionError,
    AmiAuthError,
    AmiConnection,
    AmiConnectionError,
    AmiError,
    AmiTimeoutError,
)
from cti_bridge.frames import Frame
from cti_bridge.simulator import AmiSimulator

Connect = Callable[..., Awaitable[AmiConnection]]


@pytest.fixture
async def sim() -> AsyncIterator[AmiSimulator]:
    simulator = AmiSimulator(originate_speed=0)
    await simulator.start()
    yield simulator
    await simulator.stop()


@pytest.fixture
async def connect(sim: AmiSimulator) -> AsyncIterator[Connect]:
    opened: list[AmiConnection] = []

    async def open_connection(secret: str = "cc-secret", within: float = 5) -> AmiConnection:
        conn = AmiConnection()
        opened.append(conn)
        await conn.connect("127.0.0.1", sim.port, "cc", secret, timeout=within)
        return conn

    yield open_connection
    for conn in opened:
        await conn.close()


async def collect(conn: AmiConnection, done: Callable[[list[Frame]], bool], within: float = 5) -> list[Frame]:
    frames: list[Frame] = []

    async def run() -> None:
        async for frame in conn.events():
            frames.append(frame)
            if done(frames):
                return

    await asyncio.wait_for(run(), within)
    return frames


def hung_up(linkedid: str, legs: int = 2) -> Callable[[list[Frame]], bool]:
    return lambda fs: sum(f["Event"] == "Hangup" and f.get("Linkedid") == linkedid for f in fs) >= legs


async def test_events_arrive_in_order_on_the_event_loop_thread(sim: AmiSimulator, connect: Connect) -> None:
    conn = await connect()
    threads: set[int] = set()
    conn.on_event(lambda frame: threads.add(threading.get_ident()))
    linkedid = await sim.place_call("answered", "0911222333", speed=0)
    frames = await collect(conn, hung_up(linkedid))
    assert threads == {threading.get_ident()}  # pyst2 dispatches on its own thread; the adapter hops over
    names = [f["Event"] for f in frames if f.get("Linkedid") == linkedid]
    assert names[0] == "Newchannel" and names.index("AgentCalled") < names.index("AgentConnect") < names.index(
        "AgentComplete"
    )
    assert frames[0]["Event"] == "FullyBooted"  # nothing is lost between login and the first events() call


async def test_chan_variable_events_flow_and_actions_still_answer(connect: Connect) -> None:
    """Bug 2: in stock pyst2 a `ChanVariable` header kills the reader thread silently (Python 2 `has_key`).
    Bug 8: repeated headers are kept (joined with newlines), not collapsed to the last one."""
    with pytest.raises(AttributeError, match="has_key"):
        ManagerMsg(["Event: Newchannel\r\n", "ChanVariable: DID=0227208888\r\n"])  # the stock parser
    simulator = AmiSimulator(channel_variables=True)
    port = await simulator.start()
    try:
        conn = AmiConnection()
        await conn.connect("127.0.0.1", port, "cc", "cc-secret")
        linkedid = await simulator.place_call("answered", "0911000111", speed=0)
        frames = await collect(conn, hung_up(linkedid))
        join = next(f for f in frames if f["Event"] == "QueueCallerJoin")
        assert join["ChanVariable"] == "DID=0227208888\nCC_TICKET="
        assert (await conn.send_action({"Action": "Ping"}))["Ping"] == "Pong"
        assert len(await conn.list_action({"Action": "CoreShowChannels"})) == 0
        await conn.close()
    finally:
        await simulator.stop()


async def test_concurrent_actions_each_get_their_own_response(sim: AmiSimulator, connect: Connect) -> None:
    """Bug 3: pyst2 matches responses first-in-first-out; here by ActionID (and one action at a time)."""
    conn = await connect()
    pong, error, paused = await asyncio.gather(
        conn.send_action({"Action": "Ping"}),
        conn.send_action({"Action": "NoSuchAction"}),
        conn.send_action({"Action": "QueuePause", "Interface": "PJSIP/1003", "Paused": "true"}),
    )
    assert pong["Ping"] == "Pong"
    assert error["Response"] == "Error" and error["Message"].startswith("Invalid/unknown command")
    assert paused["Message"] == "Interface paused successfully"
    assert len({pong["ActionID"], error["ActionID"], paused["ActionID"]}) == 3


async def test_a_late_answer_never_reaches_the_next_action(sim: AmiSimulator, connect: Connect) -> None:
    """Bug 3 after a timeout: the stale Pong comes first on the wire and must not answer the next action."""
    conn = await connect()
    sim.response_delay = 0.3
    with pytest.raises(AmiTimeoutError):
        await conn.send_action({"Action": "Ping"}, timeout=0.1)
    sim.response_delay = 0
    answer = await conn.send_action({"Action": "NoSuchAction"})
    assert answer["Response"] == "Error"


async def test_every_action_gets_a_fresh_action_id(sim: AmiSimulator, connect: Connect) -> None:
    """Bug 1: pyst2's `send_action(cdict={})` reuses a mutated default dict, and with it the ActionID."""
    conn = await connect()
    ping = {"Action": "Ping"}
    await conn.send_action(ping)
    await conn.send_action(ping)
    await conn.ping()
    ids = [a["ActionID"] for a in sim.actions if a["Action"] == "Ping"]
    assert len(ids) == 3 and len(set(ids)) == 3 and ping == {"Action": "Ping"}
    assert (await conn.send_action({"Action": "Ping", "ActionID": "mine-1"}))["ActionID"] == "mine-1"


async def test_list_action_returns_items_while_call_events_keep_flowing(sim: AmiSimulator, connect: Connect) -> None:
    """Bug 7: pyst2 swallows a "Queue status will follow" list, and every event in between, as raw text."""
    conn = await connect()
    arrivals: list[tuple[float, str]] = []
    conn.on_event(lambda frame: arrivals.append((time.monotonic(), frame["Event"])))
    sim.hold_before("HangupRequest")
    bridged = await sim.place_call("answered", "0911000001", speed=0)
    await asyncio.wait_for(sim.wait_held(), 5)
    sim.list_item_delay = 0.05  # items trickle out while a second call is replayed
    await sim.place_call("answered", "0911000002", agents=("1002",), speed=0.05)
    started = time.monotonic()
    items = await conn.list_action({"Action": "QueueStatus", "Queue": "support"})
    finished = time.monotonic()
    assert [i["Event"] for i in items[:4]] == ["QueueParams", "QueueMember", "QueueMember", "QueueMember"]
    alice = next(i for i in items if i.get("Location") == "PJSIP/1001")
    assert alice["Status"] == "2"  # in the call that is held bridged
    assert any(started < at < finished for at, _ in arrivals), "no call event arrived during the list"
    channels = await conn.list_action({"Action": "CoreShowChannels"})
    assert sum(c["Linkedid"] == bridged for c in channels) == 2
    assert not any(name in ("QueueParams", "QueueMember", "CoreShowChannel") for _, name in arrivals)
    sim.release()


async def test_list_items_of_a_plain_send_action_reach_events(sim: AmiSimulator, connect: Connect) -> None:
    """Bug 7 again: a QueueStatus sent with send_action is no longer swallowed; its items are events."""
    conn = await connect()
    response = await conn.send_action({"Action": "QueueStatus"})
    assert response["EventList"] == "start"
    frames = await collect(conn, lambda fs: fs[-1]["Event"] == "QueueStatusComplete")
    assert [f["Event"] for f in frames if f.get("ActionID") == response["ActionID"]][:2] == [
        "QueueParams",
        "QueueMember",
    ]


async def test_list_action_refused(sim: AmiSimulator, connect: Connect) -> None:
    conn = await connect()
    with pytest.raises(AmiActionError):
        await conn.list_action({"Action": "NoSuchList"})


async def test_reconnect_after_the_pbx_drops_us_needs_a_new_connection(sim: AmiSimulator, connect: Connect) -> None:
    """Bug 5: a pyst2 Manager cannot connect twice; the adapter makes a new one per AmiConnection."""
    old = await connect()
    ended = asyncio.create_task(collect(old, lambda fs: False, within=5))
    await asyncio.sleep(0.05)
    await sim.drop_connections()
    await asyncio.wait_for(ended, 5)  # events() ends when the connection is lost
    assert not old.connected
    with pytest.raises(AmiConnectionError):
        await old.send_action({"Action": "Ping"})
    with pytest.raises(AmiError, match="connects once"):
        await old.connect("127.0.0.1", sim.port, "cc", "cc-secret")
    new = await connect()
    assert len(await new.list_action({"Action": "QueueStatus"})) == 4  # resync works on the new session
    linkedid = await sim.place_call("abandoned", "0933000111", speed=0)
    frames = await collect(new, hung_up(linkedid, legs=3))
    assert any(f["Event"] == "QueueCallerAbandon" for f in frames)


async def test_close_while_events_flow_raises_nothing(
    sim: AmiSimulator, connect: Connect, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Bug 4: pyst2's close() races its reader thread (`ValueError: I/O operation on closed file`)."""
    failures: list[Any] = []
    monkeypatch.setattr(threading, "excepthook", failures.append)
    monkeypatch.setattr(sys, "unraisablehook", failures.append)
    conn = await connect()
    for n in range(5):
        await sim.place_call("blind_transfer", f"091100020{n}", speed=0)
    await collect(conn, lambda fs: len(fs) > 50)
    await conn.close()
    await conn.close()  # twice is fine
    await collect(conn, lambda fs: False)  # the stream has ended: returns at once
    assert failures == [] and not conn.connected
    assert not conn.manager.message_thread.is_alive() and not conn.manager.event_dispatch_thread.is_alive()


async def test_bad_credentials_raise_auth_error_quickly(sim: AmiSimulator, connect: Connect) -> None:
    started = time.monotonic()
    with pytest.raises(AmiAuthError, match="refused AMI user 'cc': Authentication failed"):
        await connect(secret="wrong-secret")
    assert time.monotonic() - started < 1


async def test_unreachable_pbx_is_a_connection_error(sim: AmiSimulator) -> None:
    port = sim.port
    await sim.stop()
    with pytest.raises(AmiConnectionError, match="cannot reach"):
        await AmiConnection().connect("127.0.0.1", port, "cc", "cc-secret", timeout=1)


async def test_send_action_times_out_when_asterisk_goes_silent(sim: AmiSimulator, connect: Connect) -> None:
    """Bugs 2 and 10: pyst2 waits forever for an answer and never notices a silent peer; ping() does."""
    conn = await connect()
    assert await conn.ping(timeout=1) < 1
    sim.mute()
    started = time.monotonic()
    with pytest.raises(AmiTimeoutError):
        await conn.ping(timeout=0.3)
    with pytest.raises(TimeoutError):  # AmiTimeoutError is a TimeoutError too
        await conn.send_action({"Action": "CoreShowChannels"}, timeout=0.2)
    assert time.monotonic() - started < 1.5
    sim.unmute()
    assert (await conn.send_action({"Action": "Ping"}))["Ping"] == "Pong"


async def test_the_socket_is_read_in_blocks_not_bytes(sim: AmiSimulator, connect: Connect) -> None:
    """Bug 9: pyst2 does one recv per byte (66,291 recvfrom calls for one call's events)."""
    conn = await connect()
    linkedid = await sim.place_call("answered", "0911000333", speed=0)
    await collect(conn, hung_up(linkedid))
    assert conn.manager.bytes_read > 50_000
    assert conn.manager.recv_calls * 100 < conn.manager.bytes_read
