"""Events the app cannot take as they are must not stop the call path: a field too long is cut to the
contract's bound and the fact recorded; an event that can never be stored is acknowledged as rejected
with its reason; a malformed frame is counted and skipped; a crashed writer restarts. Every time, the
next call still pops. Over the bridge socket and over HTTP, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import msgspec
import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy import event, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from contact_center.calls import sockets
from contact_center.customers import schemas
from contact_center.customers import service as customer_service
from contact_center.models import Call, CallEvent
from cti_bridge import contract as c
from tests.builders import bearer, make_user

LONG_NAME = "很長的來電者名稱" * 25  # 200 characters; the bound is 128
LONG_NUMBER = "9" * 80


@pytest.fixture
async def floor(sessions: async_sessionmaker[AsyncSession]) -> dict[str, str]:
    _, alice = await make_user(sessions, "agent", "alice", extension="1001")
    _, pbx = await make_user(sessions, "pbx", "bridge")
    async with sessions() as session, session.begin():
        await customer_service.create(session, schemas.CustomerCreate(name="林美華", phones=["0912-345-678"]))
    return {"alice": alice, "pbx": pbx}


def _call(call_id: str, caller: str = "0912345678", caller_name: str | None = None) -> list[c.CallEvent]:
    now = time.time()
    return [
        c.CallOffered(id=f"t:{call_id}:o", call_id=call_id, at=now, caller=caller, caller_name=caller_name,
                      queue="support"),
        c.CallRinging(id=f"t:{call_id}:r", call_id=call_id, at=now + 0.1, extension="1001", caller=caller,
                      caller_name=caller_name, queue="support"),
    ]  # fmt: skip


def _raw(event: c.CallEvent) -> str:
    """The frame as a careless PBX would send it: not held to the bounds (our bridge's `send` would be)."""
    return c._encoder.encode(event).decode()


def _complete_pop(agent: Any) -> dict[str, Any]:
    while True:
        message = agent.receive_json(timeout=10)
        if message["type"] == "screen_pop" and message["complete"]:
            return dict(message)


def _acks(bridge: Any, wanted: int) -> tuple[list[str], dict[str, str]]:
    ids: list[str] = []
    rejected: dict[str, str] = {}
    while len(ids) + len(rejected) < wanted:
        ack = c.decode_app_message(bridge.receive_text(timeout=10))
        assert isinstance(ack, c.Ack)
        ids += ack.ids
        rejected |= ack.rejected
    return ids, rejected


async def test_over_long_fields_are_cut_and_recorded_and_the_next_call_pops(
    client: AsyncTestClient[Any], floor: dict[str, str], sessions: async_sessionmaker[AsyncSession]
) -> None:
    long_call = _call("bad.1", caller=LONG_NUMBER, caller_name=LONG_NAME)
    with (
        await client.websocket_connect(f"/ws/cti?token={floor['pbx']}") as bridge,
        await client.websocket_connect(f"/ws/agent?token={floor['alice']}") as agent,
    ):
        assert agent.receive_json() == {"type": "ready"}
        bridge.send_text(c.encode(c.Hello(bridge="raw")).decode())
        for event in long_call:
            bridge.send_text(_raw(event))
        bridge.send_text('{"type": "call.offered", "id": 5}')  # malformed: skipped, counted
        bridge.send_text("not json at all")
        for event in _call("good.1"):
            bridge.send_text(_raw(event))
        ids, rejected = _acks(bridge, 4)
        assert ids == ["t:bad.1:o", "t:bad.1:r", "t:good.1:o", "t:good.1:r"] and rejected == {}
        pops = [_complete_pop(agent), _complete_pop(agent)]
        assert [p["call"]["call_id"] for p in pops] == ["bad.1", "good.1"]
        assert pops[1]["history"]["customer"]["name"] == "林美華"

    async with sessions() as session:
        call = (await session.execute(select(Call).where(Call.call_id == "bad.1"))).scalar_one()
        assert call.caller_name == LONG_NAME[:128] and call.caller == LONG_NUMBER[:64]
        event = (await session.execute(select(CallEvent).where(CallEvent.event_id == "t:bad.1:o"))).scalar_one()
        assert event.data["truncated"] == ["caller", "caller_name"]
    health = (await client.get("/health")).json()
    assert health["status"] == "ok"
    assert health["cti"] | {"truncated": 2, "malformed": 2, "rejected": 0} == health["cti"]


async def test_an_event_that_cannot_be_stored_is_rejected_with_its_reason_and_the_stream_goes_on(
    client: AsyncTestClient[Any], floor: dict[str, str]
) -> None:
    now = time.time()
    impossible = c.CallOffered(id="t:never:o", call_id="never", at=1e20, caller="0912345678")  # year 3e12
    with (
        await client.websocket_connect(f"/ws/cti?token={floor['pbx']}") as bridge,
        await client.websocket_connect(f"/ws/agent?token={floor['alice']}") as agent,
    ):
        agent.receive_json()
        bridge.send_text(_raw(impossible))
        for event in _call("after.1"):
            bridge.send_text(_raw(event))
        ids, rejected = _acks(bridge, 3)
        assert ids == ["t:after.1:o", "t:after.1:r"]
        assert list(rejected) == ["t:never:o"] and rejected["t:never:o"]  # a reason, not an empty string
        assert _complete_pop(agent)["call"]["call_id"] == "after.1"
    health = (await client.get("/health")).json()
    assert health["cti"]["rejected"] == 1 and health["cti"]["last_error"] and health["status"] == "ok"
    assert now  # the clock of the good call


async def test_over_http_a_long_event_is_stored_and_an_impossible_one_is_a_422(
    client: AsyncTestClient[Any], floor: dict[str, str]
) -> None:
    headers = {**bearer(floor["pbx"]), "content-type": "application/json"}
    long_call = _call("http.1", caller=LONG_NUMBER, caller_name=LONG_NAME)
    response = await client.post("/api/cti/events", content="[" + ",".join(map(_raw, long_call)) + "]", headers=headers)
    assert response.status_code == 200, response.text
    assert response.json() == {"accepted": 2, "duplicates": 0}

    impossible = c.CallOffered(id="t:never:o", call_id="never", at=1e20)
    response = await client.post("/api/cti/events", content=_raw(impossible), headers=headers)
    assert response.status_code == 422, response.text
    assert "cannot be stored" in response.json()["message"]

    mixed = [impossible, *_call("http.2")]
    response = await client.post("/api/cti/events", content="[" + ",".join(map(_raw, mixed)) + "]", headers=headers)
    assert response.status_code == 200
    assert response.json()["accepted"] == 2 and list(response.json()["rejected"]) == ["t:never:o"]
    calls = (await client.get("/api/calls/", headers=bearer(floor["alice"]))).json()["items"]
    assert {"http.1", "http.2"} <= {call["call_id"] for call in calls}


async def test_a_crashed_writer_is_logged_restarted_and_health_says_so_meanwhile(
    client: AsyncTestClient[Any], floor: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    real = sockets._ack_frame
    crashes = [RuntimeError("a bug in the writer")]

    def failing_once(ack: c.Ack) -> str:
        if crashes:
            raise crashes.pop()
        return real(ack)

    monkeypatch.setattr(sockets, "_ack_frame", failing_once)
    monkeypatch.setattr(sockets, "WRITER_RESTART_SECONDS", 1.0)
    with (
        await client.websocket_connect(f"/ws/cti?token={floor['pbx']}") as bridge,
        await client.websocket_connect(f"/ws/agent?token={floor['alice']}") as agent,
    ):
        agent.receive_json()
        first, ringing = _call("crash.1")
        bridge.send_text(_raw(first))  # stored; its acknowledgement is what crashes the writer
        deadline = time.monotonic() + 5
        while (health := (await client.get("/health")).json())["cti"]["writers_down"] == 0:
            assert time.monotonic() < deadline, health
        assert health["status"] == "degraded" and health["cti"]["ok"] is False
        bridge.send_text(_raw(first))  # what a bridge does for an event it never saw acknowledged
        bridge.send_text(_raw(ringing))
        ids, _ = _acks(bridge, 2)
        assert ids == ["t:crash.1:o", "t:crash.1:r"]  # the repeat is acknowledged, not stored twice
        assert _complete_pop(agent)["call"]["call_id"] == "crash.1"
    health = (await client.get("/health")).json()
    assert health["status"] == "ok" and health["cti"]["writer_restarts"] == 1 and health["cti"]["writers_down"] == 0


def test_the_contract_bounds_every_string() -> None:
    event = c.CallRinging(id="x" * 500, call_id="y" * 100, at=1.0, extension="1" * 40, caller="0912\x00345678",
                          caller_name=LONG_NAME)  # fmt: skip
    held = c.bounded(event)
    assert held.truncated == ["call_id", "caller_name", "extension", "id"]
    assert held.caller == "0912345678"  # NUL removed, not counted as a cut
    assert (len(held.id), len(held.call_id), len(held.extension), len(held.caller_name or "")) == (200, 64, 32, 128)
    assert c.bounded(c.bounded(event)) == held  # idempotent: a re-sent event keeps its (shortened) id
    other = c.bounded(msgspec.structs.replace(event, id="x" * 499 + "z"))
    assert other.id != held.id  # two long ids sharing a prefix stay two ids
    assert c.bounded(c.CallEnded(id="a", call_id="b", at=1.0)) == c.CallEnded(id="a", call_id="b", at=1.0)


async def test_events_that_queued_up_share_a_transaction_and_a_bad_one_is_refused_alone(
    client: AsyncTestClient[Any], floor: dict[str, str], sessions: async_sessionmaker[AsyncSession]
) -> None:
    desk = client.app.state.call_desk
    portal = client.blocking_portal  # the app runs on the portal's loop: its pool belongs there

    async def in_app(events: list[c.CallEvent]) -> c.Ack:
        def store() -> c.Ack:
            for one in events:
                portal.call(desk.received, one)
            return portal.call(desk.store_batch, events)

        return await asyncio.to_thread(store)

    commits: list[int] = []
    engine = desk.sessions.kw["bind"].sync_engine
    listener = lambda _connection: commits.append(1)  # noqa: E731
    event.listen(engine, "commit", listener)
    try:
        together = [*_call("batch.1"), *_call("batch.2")]
        assert await in_app(together) == c.Ack(ids=[e.id for e in together])
        assert len(commits) == 1

        impossible = c.CallOffered(id="t:never:o", call_id="never", at=1e20, caller="0912345678")
        mixed = [_call("batch.3")[0], impossible, _call("batch.3")[1]]
        ack = await in_app(mixed)
        assert ack.ids == ["t:batch.3:o", "t:batch.3:r"] and list(ack.rejected) == ["t:never:o"]
    finally:
        event.remove(engine, "commit", listener)
    async with sessions() as session:
        calls = {call.call_id: call.state for call in (await session.execute(select(Call))).scalars()}
        timeline = (await session.execute(select(CallEvent.event_id))).scalars().all()
    assert calls == {"batch.1": "ringing", "batch.2": "ringing", "batch.3": "ringing"}
    assert sorted(timeline) == sorted(["t:batch.1:o", "t:batch.1:r", "t:batch.2:o", "t:batch.2:r", "t:batch.3:o",
                                       "t:batch.3:r"])  # fmt: skip
