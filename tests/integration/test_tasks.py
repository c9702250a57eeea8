"""Follow-ups (跟催) reach their owner when due; proactive call-backs are created once each."""

from __future__ import annotations

import datetime as dt
from typing import Any

from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from contact_center.models import Asset, Customer, Task, Ticket
from contact_center.tasks import proactive
from contact_center.tasks import service as task_service
from tests.builders import bearer, make_user

NOW = dt.datetime(2026, 12, 10, 2, 0, tzinfo=dt.UTC)  # 10:00 in Taipei


async def test_a_reminder_reaches_its_owner_when_due_once(
    sessions: async_sessionmaker[AsyncSession], client: AsyncTestClient[Any]
) -> None:
    alice_id, alice = await make_user(sessions, "agent", "alice")
    headers = bearer(alice)
    ticket = (await client.post("/api/tickets", json={"kind": "repair", "subject": "冷氣不冷", "assignee_id": alice_id},
                                headers=headers)).json()  # fmt: skip
    due = (dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)).isoformat()
    created = await client.post(f"/api/tickets/{ticket['id']}/reminders", json={"due_at": due, "note": "回電確認師傅時間"},
                                headers=headers)  # fmt: skip
    assert created.status_code == 201 and created.json()["owner_id"] == alice_id
    naive = await client.post(
        f"/api/tickets/{ticket['id']}/reminders", json={"due_at": "2026-12-01T10:00:00"}, headers=headers
    )
    assert naive.status_code == 422
    async with sessions() as session, session.begin():
        first = await task_service.due_reminders(session, dt.datetime.now(dt.UTC))
    async with sessions() as session, session.begin():
        second = await task_service.due_reminders(session, dt.datetime.now(dt.UTC))
    assert [channel for channel, _ in first] == [f"agent:{alice_id}"] and second == []
    mine = (await client.get("/api/tasks", headers=headers)).json()
    assert mine["total"] == 1 and mine["items"][0]["title"] == "跟催：冷氣不冷"
    done = await client.post(f"/api/tasks/{mine['items'][0]['id']}/done", json={"outcome": "reached"}, headers=headers)
    assert done.json()["status"] == "done"
    assert (await client.get("/api/tasks", headers=headers)).json()["total"] == 0
    assert (await client.post(f"/api/tasks/{mine['items'][0]['id']}/done", json={"outcome": "maybe"},
                              headers=headers)).status_code == 422  # fmt: skip


async def test_proactive_call_backs_are_created_once(sessions: async_sessionmaker[AsyncSession]) -> None:
    alice_id, _ = await make_user(sessions, "agent", "alice")
    today = NOW.astimezone(dt.timezone(dt.timedelta(hours=8))).date()
    async with sessions() as session, session.begin():
        vip = Customer(
            name="王董", value_tier="vip", birthday=today.replace(year=1960), emails=[], important_dates=[], extra={}
        )
        other = Customer(name="李先生", value_tier="standard", birthday=today.replace(year=1980), emails=[],
                         important_dates=[], extra={})  # fmt: skip
        session.add_all([vip, other])
        await session.flush()
        session.add_all([
            Asset(customer_id=other.id, product_model="RAC-36NK", warranty_until=today + dt.timedelta(days=20), extra={}),
            Asset(customer_id=other.id, product_model="WM-12V", warranty_until=today + dt.timedelta(days=90), extra={}),
            Ticket(kind="repair", subject="漏水", status="closed", customer_id=other.id, assignee_id=alice_id,
                   created_at=NOW - dt.timedelta(days=5), closed_at=NOW - dt.timedelta(days=3, hours=12), extra={},
                   sla_pauses=[]),
            Ticket(kind="billing", subject="帳單", status="closed", customer_id=other.id,
                   closed_at=NOW - dt.timedelta(days=3, hours=12), extra={}, sla_pauses=[]),
        ])  # fmt: skip
    for _ in range(2):
        async with sessions() as session, session.begin():
            await proactive.create_followups(session, NOW)
    async with sessions() as session:
        tasks = (await session.execute(select(Task).order_by(Task.kind))).scalars().all()
    assert sorted(t.kind for t in tasks) == ["birthday", "renewal", "repair_check_in"]
    check_in = next(t for t in tasks if t.kind == "repair_check_in")
    assert check_in.owner_id == alice_id and check_in.title == "維修後續關心：漏水"
