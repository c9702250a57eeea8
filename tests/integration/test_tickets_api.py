"""Tickets over REST: opening, the status workflow, and the audit history of every change."""

from __future__ import annotations

import datetime as dt
from typing import Any

from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from contact_center.models import Asset, Customer, Ticket


async def _customer(client: AsyncTestClient[Any], headers: dict[str, str]) -> int:
    response = await client.post("/api/customers", json={"name": "黃先生", "phones": ["0912-345-678"]}, headers=headers)
    return int(response.json()["id"])


async def test_status_changes_are_recorded_as_events(
    client: AsyncTestClient[Any], agent_headers: dict[str, str]
) -> None:
    customer_id = await _customer(client, agent_headers)
    created = await client.post(
        "/api/tickets",
        json={"kind": "repair", "subject": "冷氣不冷", "description": "開了一小時還是不冷", "customer_id": customer_id},
        headers=agent_headers,
    )
    assert created.status_code == 201
    ticket = created.json()
    assert ticket["status"] == "new"

    for status in ["open", "pending", "resolved"]:
        response = await client.patch(f"/api/tickets/{ticket['id']}", json={"status": status}, headers=agent_headers)
        assert response.status_code == 200 and response.json()["status"] == status
    resolved = (await client.get(f"/api/tickets/{ticket['id']}", headers=agent_headers)).json()
    assert resolved["resolved_at"] is not None and resolved["first_response_at"] is not None

    reopened = await client.patch(
        f"/api/tickets/{ticket['id']}", json={"status": "open", "note": "客戶來電說又壞了"}, headers=agent_headers
    )
    assert reopened.json()["resolved_at"] is None

    events = (await client.get(f"/api/tickets/{ticket['id']}/events", headers=agent_headers)).json()
    assert [e["kind"] for e in events] == ["created"] + ["status_changed"] * 4
    assert [(e["data"]["before"], e["data"]["after"]) for e in events[1:]] == [
        ("new", "open"),
        ("open", "pending"),
        ("pending", "resolved"),
        ("resolved", "open"),
    ]
    assert events[-1]["data"]["note"] == "客戶來電說又壞了"
    assert all(e["actor_id"] is not None for e in events)


async def test_forbidden_transition_is_a_conflict_and_changes_nothing(
    client: AsyncTestClient[Any], agent_headers: dict[str, str]
) -> None:
    ticket = (
        await client.post("/api/tickets", json={"kind": "billing", "subject": "帳單多扣款"}, headers=agent_headers)
    ).json()
    await client.patch(f"/api/tickets/{ticket['id']}", json={"status": "resolved"}, headers=agent_headers)
    refused = await client.patch(
        f"/api/tickets/{ticket['id']}", json={"status": "pending", "priority": "high"}, headers=agent_headers
    )
    assert refused.status_code == 409
    after = (await client.get(f"/api/tickets/{ticket['id']}", headers=agent_headers)).json()
    assert after["status"] == "resolved" and after["priority"] == "normal"
    events = (await client.get(f"/api/tickets/{ticket['id']}/events", headers=agent_headers)).json()
    assert len(events) == 2


async def test_bad_ticket_input_is_refused(client: AsyncTestClient[Any], agent_headers: dict[str, str]) -> None:
    customer_id = await _customer(client, agent_headers)
    cases = [
        ({"kind": "teleport", "subject": "x"}, 422),
        ({"kind": "repair", "subject": "  "}, 422),
        ({"kind": "repair", "subject": "x", "priority": "asap"}, 422),
        ({"kind": "repair", "subject": "x", "customer_id": 99999}, 422),
        ({"kind": "repair", "subject": "x", "customer_id": customer_id, "asset_id": 12345}, 422),
        ({"subject": "no kind"}, 400),
    ]
    for body, status in cases:
        response = await client.post("/api/tickets", json=body, headers=agent_headers)
        assert response.status_code == status, (body, response.text)
        assert response.json()["message"]
    listing = (await client.get("/api/tickets", headers=agent_headers)).json()
    assert listing["total"] == 0
    rating = await client.post("/api/tickets", json={"kind": "repair", "subject": "x"}, headers=agent_headers)
    bad_rating = await client.patch(
        f"/api/tickets/{rating.json()['id']}", json={"satisfaction": 9}, headers=agent_headers
    )
    assert bad_rating.status_code == 422
    missing = await client.patch("/api/tickets/424242", json={"status": "open"}, headers=agent_headers)
    assert missing.status_code == 404


async def test_ticket_list_filters(client: AsyncTestClient[Any], agent_headers: dict[str, str]) -> None:
    customer_id = await _customer(client, agent_headers)
    for kind, external in [("repair", "OLD-1"), ("billing", "OLD-2"), ("repair", None)]:
        body = {"kind": kind, "subject": kind, "customer_id": customer_id, "external_id": external}
        assert (await client.post("/api/tickets", json=body, headers=agent_headers)).status_code == 201
    repairs = (await client.get("/api/tickets", params={"kind": "repair"}, headers=agent_headers)).json()
    assert repairs["total"] == 2
    by_external = (await client.get("/api/tickets", params={"external_id": "OLD-2"}, headers=agent_headers)).json()
    assert [t["kind"] for t in by_external["items"]] == ["billing"]
    duplicate = await client.post(
        "/api/tickets", json={"kind": "repair", "subject": "dup", "external_id": "OLD-1"}, headers=agent_headers
    )
    assert duplicate.status_code == 409
    assert (await client.get("/api/tickets", params={"status": "bogus"}, headers=agent_headers)).status_code == 422


async def test_replies_and_internal_notes(client: AsyncTestClient[Any], agent_headers: dict[str, str]) -> None:
    ticket = (
        await client.post("/api/tickets", json={"kind": "complaint", "subject": "師傅遲到"}, headers=agent_headers)
    ).json()
    url = f"/api/tickets/{ticket['id']}/messages"
    note = await client.post(url, json={"body": "客戶情緒激動，先致歉", "internal": True}, headers=agent_headers)
    assert note.status_code == 201 and note.json()["visibility"] == "internal"
    unchanged = (await client.get(f"/api/tickets/{ticket['id']}", headers=agent_headers)).json()
    assert unchanged["first_response_at"] is None and unchanged["status"] == "new"  # a note is not a response
    reply = await client.post(
        url, json={"body": "很抱歉造成您的不便，我們已安排師傅明天上午到府。"}, headers=agent_headers
    )
    assert reply.status_code == 201 and reply.json()["visibility"] == "public"
    answered = (await client.get(f"/api/tickets/{ticket['id']}", headers=agent_headers)).json()
    assert answered["first_response_at"] is not None and answered["status"] == "open"
    conversation = (await client.get(url, headers=agent_headers)).json()
    assert [m["visibility"] for m in conversation] == ["internal", "public"]
    events = (await client.get(f"/api/tickets/{ticket['id']}/events", headers=agent_headers)).json()
    assert [e["kind"] for e in events] == ["created", "noted", "replied"]
    assert (await client.post(url, json={"body": "   "}, headers=agent_headers)).status_code == 422
    assert (
        await client.post("/api/tickets/999999/messages", json={"body": "x"}, headers=agent_headers)
    ).status_code == 404


async def test_link_and_merge(client: AsyncTestClient[Any], agent_headers: dict[str, str]) -> None:
    customer_id = await _customer(client, agent_headers)
    make = lambda subject: client.post(  # noqa: E731
        "/api/tickets", json={"kind": "repair", "subject": subject, "customer_id": customer_id}, headers=agent_headers
    )
    first, second, third = [(await make(s)).json() for s in ("冷氣漏水", "冷氣還在漏水", "順便問保固")]
    linked = await client.post(
        f"/api/tickets/{first['id']}/links", json={"other_id": third["id"], "kind": "parent"}, headers=agent_headers
    )
    assert linked.status_code == 201
    back = (await client.get(f"/api/tickets/{third['id']}/links", headers=agent_headers)).json()
    assert back == [{"ticket_id": third["id"], "other_id": first["id"], "kind": "child"}]
    assert (
        await client.post(f"/api/tickets/{first['id']}/links", json={"other_id": first["id"]}, headers=agent_headers)
    ).status_code == 422

    await client.post(f"/api/tickets/{second['id']}/messages", json={"body": "客戶又來電"}, headers=agent_headers)
    merged = await client.post(f"/api/tickets/{second['id']}/merge", json={"into": first["id"]}, headers=agent_headers)
    assert merged.status_code == 200 and merged.json()["id"] == first["id"]
    source = (await client.get(f"/api/tickets/{second['id']}", headers=agent_headers)).json()
    assert source["status"] == "closed"
    conversation = (await client.get(f"/api/tickets/{first['id']}/messages", headers=agent_headers)).json()
    assert [m["body"] for m in conversation] == ["客戶又來電"]
    other_customer = (
        await client.post("/api/tickets", json={"kind": "billing", "subject": "別人的"}, headers=agent_headers)
    ).json()
    refused = await client.post(
        f"/api/tickets/{other_customer['id']}/merge", json={"into": first["id"]}, headers=agent_headers
    )
    assert refused.status_code == 422


async def test_tickets_are_filtered_for_drill_down(
    client: AsyncTestClient[Any], agent_headers: dict[str, str], sessions: async_sessionmaker[AsyncSession]
) -> None:
    at = dt.datetime(2026, 10, 5, 10, tzinfo=dt.UTC)
    async with sessions() as s, s.begin():
        customer = Customer(name="王", value_tier="standard", emails=[], important_dates=[], extra={})
        s.add(customer)
        await s.flush()
        asset = Asset(customer_id=customer.id, product_model="RAC-22", extra={})
        s.add(asset)
        await s.flush()
        for n, (tech, category) in enumerate([("陳師傅", "冷氣不冷"), ("陳師傅", "漏水"), ("林師傅", "冷氣不冷")]):
            s.add(Ticket(customer_id=customer.id, asset_id=asset.id if n < 2 else None, kind="repair", subject=f"#{n}",
                         technician=tech, category=category, status="resolved", created_at=at + dt.timedelta(days=7 * n),
                         channel="web" if n == 2 else "phone",
                         resolved_at=at + dt.timedelta(days=7 * n + 1), extra={}, sla_pauses=[], escalation_level=0))  # fmt: skip

    async def subjects(**params: Any) -> list[str]:
        response = await client.get("/api/tickets", params=params, headers=agent_headers)
        assert response.status_code == 200, response.text
        return sorted(t["subject"] for t in response.json()["items"])

    assert await subjects(asset_id=asset.id) == ["#0", "#1"]
    assert await subjects(technician="陳師傅", category="漏水") == ["#1"]
    assert await subjects(created_from="2026-10-12T00:00:00Z", created_to="2026-10-19T00:00:00Z") == ["#1"]
    assert await subjects(resolved_from="2026-10-13T00:00:00Z") == ["#1", "#2"]
    assert await subjects(channel="web") == ["#2"]
    assert await subjects(product_model="RAC-22") == ["#0", "#1"]
    assert await subjects(product_model="RAC-99") == []
    unknown = await client.get("/api/tickets", params={"channel": "pigeon"}, headers=agent_headers)
    assert unknown.status_code == 422 and "channel must be one of" in unknown.json()["message"]
    bad = await client.get("/api/tickets", params={"created_from": "last week"}, headers=agent_headers)
    assert bad.status_code == 400


async def test_errors_speak_the_callers_language(client: AsyncTestClient[Any], agent_headers: dict[str, str]) -> None:
    body = {"kind": "teleport", "subject": "x"}
    english = await client.post("/api/tickets", json=body, headers=agent_headers)
    assert english.status_code == 422 and english.json()["message"].startswith("kind must be one of repair, complaint")
    chinese = await client.post("/api/tickets", json=body, headers={**agent_headers, "Accept-Language": "zh-TW,zh"})
    assert chinese.status_code == 422 and chinese.json()["message"].startswith(
        "類型 必須是下列之一：repair, complaint"
    )  # the field named in words too
    assert chinese.json()["error"] == "validation_failed"  # the code stays the same for programs
    missing = await client.get("/api/tickets/987654", headers={**agent_headers, "Accept-Language": "zh-TW"})
    assert missing.status_code == 404 and missing.json()["message"] == "找不到案件 987654"
    picked = await client.get("/api/tickets/987654", headers={**agent_headers, "Accept-Language": "zh-TW",
                                                              "Cookie": "cc_lang=en"})  # fmt: skip
    assert picked.json()["message"] == "no ticket 987654"


async def test_refusals_by_the_framework_speak_the_callers_language(
    client: AsyncTestClient[Any], agent_headers: dict[str, str]
) -> None:
    zh = {"Accept-Language": "zh-TW"}
    missing = await client.post("/api/tickets", json={"kind": "repair"}, headers={**agent_headers, **zh})
    assert missing.status_code == 400 and missing.json()["message"] == "送出的資料有誤：缺少必填欄位 subject"
    assert missing.json()["detail"][0]["message"] == "Object missing required field `subject`"  # for programs
    english = await client.post("/api/tickets", json={"kind": "repair"}, headers=agent_headers)
    assert english.json()["message"].startswith("Validation failed for POST /api/tickets")
    malformed = await client.post("/api/tickets", content=b"{oops", headers={**agent_headers, **zh,
                                                                            "content-type": "application/json"})  # fmt: skip
    assert malformed.status_code == 400 and malformed.json()["message"].startswith("送出的資料有誤：")
    anonymous = await client.get("/api/tickets", headers=zh)
    assert anonymous.status_code == 401 and anonymous.json()["message"] == "請先登入，或附上存取權杖（bearer token）"
    refused = await client.delete("/api/tickets/1", headers={**agent_headers, **zh})
    assert refused.status_code == 403 and refused.json()["message"] == "您的角色無權執行此操作"
