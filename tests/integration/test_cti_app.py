"""Call events reaching the app (HTTP and the bridge socket) become a call log and screen-pops for the
ringing agent only: matched customer with history, shared numbers, unknown callers, repeats, Zammad."""

from __future__ import annotations

import queue
import time
from typing import Any

import msgspec
import pytest
from litestar.exceptions import WebSocketDisconnect
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from cti_bridge import contract as c
from tests.builders import bearer, make_user


@pytest.fixture
async def floor(sessions: async_sessionmaker[AsyncSession], client: AsyncTestClient[Any]) -> dict[str, Any]:
    """Two agents (1001, 1002), a PBX account, and three customers, two of them sharing a landline."""
    alice_id, alice = await make_user(sessions, "agent", "alice", extension="1001", display_name="Alice")
    bob_id, bob = await make_user(sessions, "agent", "bob", extension="1002")
    _, pbx = await make_user(sessions, "pbx", "bridge")
    ids = {}
    for name, numbers in [("林美華", ["0912-345-678"]), ("陳爸爸", ["(02)2345-6789"]), ("陳媽媽", ["02-2345-6789"])]:
        response = await client.post("/api/customers", json={"name": name, "phones": numbers}, headers=bearer(alice))
        ids[name] = response.json()["id"]
    return {"alice": (alice_id, alice), "bob": (bob_id, bob), "pbx": bearer(pbx), "customers": ids}


def _pop(socket: Any, timeout: float = 5) -> dict[str, Any]:
    """The complete screen-pop (the first frame, sent as soon as the caller is identified, has no history)."""
    first = socket.receive_json(timeout=timeout)
    assert first["type"] == "screen_pop" and first["complete"] is False
    complete = socket.receive_json(timeout=timeout)
    assert complete["type"] == "screen_pop" and complete["complete"] is True
    assert complete["call"]["call_id"] == first["call"]["call_id"] and complete["match"] == first["match"]
    return dict(complete)


def _offered_and_ringing(call_id: str, caller: str, extension: str = "1001") -> list[c.CallEvent]:
    now = time.time()
    return [
        c.CallOffered(
            id=f"t:{call_id}:o", call_id=call_id, at=now, caller=caller, dialled="0227208888", queue="support"
        ),
        c.CallRinging(
            id=f"t:{call_id}:r:{extension}",
            call_id=call_id,
            at=now + 0.5,
            extension=extension,
            caller=caller,
            queue="support",
        ),
    ]


async def _post(client: AsyncTestClient[Any], headers: dict[str, str], events: list[c.CallEvent]) -> dict[str, int]:
    response = await client.post(
        "/api/cti/events", content=msgspec.json.encode(events), headers={**headers, "content-type": "application/json"}
    )
    assert response.status_code == 200, response.text
    return dict(response.json())


async def test_ringing_pops_the_matched_customer_at_that_agent_only(
    client: AsyncTestClient[Any], floor: dict[str, Any]
) -> None:
    _alice_id, alice = floor["alice"]
    _, bob = floor["bob"]
    with (
        await client.websocket_connect(f"/ws/agent?token={alice}") as alice_ws,
        await client.websocket_connect(f"/ws/agent?token={bob}") as bob_ws,
    ):
        assert alice_ws.receive_json() == {"type": "ready"} and bob_ws.receive_json() == {"type": "ready"}
        result = await _post(client, floor["pbx"], _offered_and_ringing("1700.1", "+886912345678"))
        assert result == {"accepted": 2, "duplicates": 0}
        popped = _pop(alice_ws)
        assert popped["type"] == "screen_pop" and popped["match"] == "single"
        assert popped["history"]["customer"]["name"] == "林美華"
        assert popped["call"]["caller"] == "+886912345678" and popped["call"]["queue"] == "support"
        assert set(popped["suggestions"]) == {"articles", "offers", "flags"}
        bob_ws.send_json({"type": "ping"})  # bob got nothing: his socket still answers but holds no pop
        with pytest.raises(queue.Empty):
            bob_ws.receive_json(timeout=0.5)


async def test_a_repeated_event_changes_nothing_and_pops_once(
    client: AsyncTestClient[Any], floor: dict[str, Any]
) -> None:
    _, alice = floor["alice"]
    events = _offered_and_ringing("1700.2", "0912345678")
    with await client.websocket_connect(f"/ws/agent?token={alice}") as ws:
        ws.receive_json()
        await _post(client, floor["pbx"], events)
        _pop(ws)
        assert await _post(client, floor["pbx"], events) == {"accepted": 0, "duplicates": 2}
        with pytest.raises(queue.Empty):
            ws.receive_json(timeout=0.5)
    calls = (await client.get("/api/calls", headers=bearer(alice))).json()
    assert calls["total"] == 1 and calls["items"][0]["state"] == "ringing"


async def test_shared_and_unknown_numbers(client: AsyncTestClient[Any], floor: dict[str, Any]) -> None:
    _, alice = floor["alice"]
    with await client.websocket_connect(f"/ws/agent?token={alice}") as ws:
        ws.receive_json()
        await _post(client, floor["pbx"], _offered_and_ringing("1700.3", "0223456789"))
        shared = _pop(ws)
        assert shared["match"] == "several" and shared["history"] is None
        assert sorted(x["name"] for x in shared["customers"]) == ["陳媽媽", "陳爸爸"]
        await _post(client, floor["pbx"], _offered_and_ringing("1700.4", "0987-000-111"))
        unknown = _pop(ws)
        assert unknown["match"] == "unknown" and unknown["customers"] == []


async def test_call_lifecycle_log_ticket_and_history(client: AsyncTestClient[Any], floor: dict[str, Any]) -> None:
    alice_id, alice = floor["alice"]
    now = time.time()
    events = [
        *_offered_and_ringing("1700.5", "0912345678"),
        c.CallAnswered(id="t:5:a", call_id="1700.5", at=now + 2, extension="1001", wait_seconds=2),
        c.CallEnded(id="t:5:e", call_id="1700.5", at=now + 30, extension="1001", talk_seconds=28, hangup_by="caller"),
    ]
    await _post(client, floor["pbx"], events)
    call = (await client.get("/api/calls", headers=bearer(alice))).json()["items"][0]
    assert (call["state"], call["agent_id"], call["talk_seconds"], call["hangup_by"]) == (
        "ended",
        alice_id,
        28,
        "caller",
    )
    detail = (await client.get(f"/api/calls/{call['id']}", headers=bearer(alice))).json()
    assert [e["type"] for e in detail["timeline"]] == ["call.offered", "call.ringing", "call.answered", "call.ended"]

    ticket = await client.post(
        f"/api/calls/{call['id']}/ticket", json={"subject": "冷氣不冷", "kind": "repair"}, headers=bearer(alice)
    )
    assert ticket.status_code == 201
    assert ticket.json()["customer_id"] == floor["customers"]["林美華"] and ticket.json()["channel"] == "phone"
    history = (await client.get(f"/api/customers/{floor['customers']['林美華']}/history", headers=bearer(alice))).json()
    contact = history["interactions"][0]
    assert (
        contact["channel"] == "call"
        and contact["ticket_id"] == ticket.json()["id"]
        and contact["duration_seconds"] == 28
    )


async def test_zammad_generic_cti_out_of_order_and_form_encoded(
    client: AsyncTestClient[Any], floor: dict[str, Any]
) -> None:
    _, alice = floor["alice"]
    pbx = floor["pbx"]
    hangup_first = await client.post(
        "/api/cti/events",
        json={"event": "hangup", "callId": "z-1", "cause": "cancel", "from": "0912345678", "to": "0227208888"},
        headers=pbx,
    )
    assert hangup_first.status_code == 200
    with await client.websocket_connect(f"/ws/agent?token={alice}") as ws:
        ws.receive_json()
        form = {
            "event": "newCall",
            "callId": "z-2",
            "from": "0912345678",
            "to": "0227208888",
            "direction": "in",
            "user[]": ["alice"],
        }
        assert (await client.post("/api/cti/events", data=form, headers=pbx)).status_code == 200
        assert _pop(ws)["history"]["customer"]["name"] == "林美華"
        again = await client.post("/api/cti/events", data=form, headers=pbx)
        assert again.json() == {"accepted": 0, "duplicates": 2}
    bad = await client.post("/api/cti/events", json={"event": "explode", "callId": "z"}, headers=pbx)
    assert bad.status_code == 422
    garbage = await client.post(
        "/api/cti/events", content=b"\x00\xff", headers={**pbx, "content-type": "application/json"}
    )
    assert garbage.status_code == 422
    calls = (await client.get("/api/calls", headers=bearer(alice))).json()
    assert {x["call_id"]: x["state"] for x in calls["items"]} == {"z-1": "abandoned", "z-2": "ringing"}


async def test_pop_missed_while_offline_is_shown_on_reconnect_and_display_requests(
    client: AsyncTestClient[Any], floor: dict[str, Any]
) -> None:
    alice_id, alice = floor["alice"]
    await _post(client, floor["pbx"], _offered_and_ringing("1700.6", "0912345678"))
    with await client.websocket_connect(f"/ws/agent?token={alice}") as ws:
        replay = ws.receive_json(timeout=5)
        assert replay["type"] == "screen_pop" and replay["call"]["call_id"] == "1700.6"
        assert ws.receive_json(timeout=5) == {"type": "ready"}
        shown = await client.post(
            f"/api/agents/{alice_id}/display", json={"customer_id": floor["customers"]["陳爸爸"]}, headers=floor["pbx"]
        )
        assert shown.status_code == 202
        assert ws.receive_json(timeout=5) == {
            "type": "display",
            "customer_id": floor["customers"]["陳爸爸"],
            "ticket_id": None,
        }
    both = await client.post(
        f"/api/agents/{alice_id}/display", json={"customer_id": 1, "ticket_id": 1}, headers=floor["pbx"]
    )
    assert both.status_code == 422


async def test_click_to_dial_reaches_the_bridge_socket(client: AsyncTestClient[Any], floor: dict[str, Any]) -> None:
    _, alice = floor["alice"]
    pbx_token = floor["pbx"]["Authorization"].split()[1]
    with (
        await client.websocket_connect(f"/ws/cti?token={pbx_token}") as bridge,
        await client.websocket_connect(f"/ws/agent?token={alice}") as ws,
    ):
        ws.receive_json()
        ws.send_json({"type": "dial", "number": "+886 912 345 678"})
        command = c.decode_app_message(bridge.receive_text(timeout=5))
        assert isinstance(command, c.Originate) and (command.extension, command.number) == ("1001", "0912345678")
        ws.send_json({"type": "dial", "number": "12345"})
        assert ws.receive_json(timeout=5)["ok"] is False
        result = c.OriginateResult(
            id="t:or",
            call_id="",
            at=time.time(),
            command_id=command.command_id,
            ok=True,
            extension="1001",
            number="0912345678",
            reason="answered",
        )
        bridge.send_text(c.encode(result).decode())
        assert c.decode_app_message(bridge.receive_text(timeout=5)) == c.Ack(ids=["t:or"])
        assert ws.receive_json(timeout=5)["type"] == "dial_result"


async def test_sockets_refuse_strangers(client: AsyncTestClient[Any], floor: dict[str, Any]) -> None:
    _, alice = floor["alice"]
    for url, code in [("/ws/agent", 4401), ("/ws/agent?token=cc_forged", 4401), (f"/ws/cti?token={alice}", 4403)]:
        with pytest.raises(WebSocketDisconnect) as refused:
            with await client.websocket_connect(url) as ws:
                ws.receive_json(timeout=2)
        assert refused.value.code == code, url


async def test_an_abandon_update_says_what_the_call_is_now(client: AsyncTestClient[Any], floor: dict[str, Any]) -> None:
    _, alice = floor["alice"]
    with await client.websocket_connect(f"/ws/agent?token={alice}") as ws:
        assert ws.receive_json() == {"type": "ready"}
        await _post(client, floor["pbx"], _offered_and_ringing("ab.1", "+886912345678"))
        _pop(ws)
        gone = c.CallAbandoned(id="t:ab.1:a", call_id="ab.1", at=time.time(), queue="support", wait_seconds=9)
        await _post(client, floor["pbx"], [gone])
        update = ws.receive_json(timeout=5)
        assert (update["type"], update["change"], update["call"]["state"]) == ("call_update", "abandoned", "abandoned")


async def test_an_ending_the_bridge_could_not_place_ends_a_call_we_have_and_creates_none(
    client: AsyncTestClient[Any], floor: dict[str, Any]
) -> None:
    _, alice = floor["alice"]
    await _post(client, floor["pbx"], _offered_and_ringing("1700.9", "0912345678"))
    now = time.time() + 1
    endings = [
        c.CallEnded(id="t:1700.9:e", call_id="1700.9", at=now, if_known=True),
        c.CallEnded(id="t:1700.10:e", call_id="1700.10", at=now, if_known=True),  # a call we never had
    ]
    await _post(client, floor["pbx"], endings)
    calls = (await client.get("/api/calls", headers=bearer(alice))).json()
    assert {x["call_id"]: x["state"] for x in calls["items"]} == {"1700.9": "abandoned"}
