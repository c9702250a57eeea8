"""Service levels: the most specific policy applies, deadlines count business hours in Taiwan, waiting
for the customer stops the clock, and a missed deadline shows as breached."""

from __future__ import annotations

import datetime as dt
from typing import Any

from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from contact_center.models import Customer, Ticket
from contact_center.sla import service as sla_service

TAIPEI = dt.timezone(dt.timedelta(hours=8))
# Thursday 2026-12-10, 16:00 in Taipei: two office hours left that day.
THURSDAY_4PM = dt.datetime(2026, 12, 10, 16, 0, tzinfo=TAIPEI)


async def _ticket(sessions: async_sessionmaker[AsyncSession], priority: str, tier: str = "standard") -> int:
    async with sessions() as session, session.begin():
        customer = Customer(name="客戶", value_tier=tier, emails=[], important_dates=[], extra={})
        session.add(customer)
        await session.flush()
        ticket = Ticket(kind="repair", subject="x", priority=priority, customer_id=customer.id, created_at=THURSDAY_4PM,
                        extra={}, sla_pauses=[])  # fmt: skip
        session.add(ticket)
        await session.flush()
        await sla_service.apply(session, ticket)
        return ticket.id


async def test_the_most_specific_policy_gives_business_hour_deadlines(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    expected = {
        # default: 4 h → Fri 11:00; 24 h → Thu 2 + Fri 8 + Mon 8 + Tue 6 (lunch 12–13) → Tue 16:00
        ("normal", "standard"): (dt.datetime(2026, 12, 11, 11, 0), dt.datetime(2026, 12, 15, 16, 0)),
        # urgent: 30 min → Thu 16:30; 4 h → Fri 11:00
        ("urgent", "standard"): (dt.datetime(2026, 12, 10, 16, 30), dt.datetime(2026, 12, 11, 11, 0)),
        # VIP: 1 h → Thu 17:00; 16 h → Thu 2 + Fri 8 + Mon 6 → Mon 16:00
        ("normal", "vip"): (dt.datetime(2026, 12, 10, 17, 0), dt.datetime(2026, 12, 14, 16, 0)),
    }
    for (priority, tier), (response, resolution) in expected.items():
        ticket_id = await _ticket(sessions, priority, tier)
        async with sessions() as session:
            ticket = await session.get(Ticket, ticket_id)
            assert ticket is not None
            got = (
                ticket.first_response_due.astimezone(TAIPEI).replace(tzinfo=None),
                ticket.resolution_due.astimezone(TAIPEI).replace(tzinfo=None),
            )  # type: ignore[union-attr]
            assert got == (response, resolution), (priority, tier)


async def test_waiting_for_the_customer_stops_the_clock(sessions: async_sessionmaker[AsyncSession]) -> None:
    ticket_id = await _ticket(sessions, "normal")
    async with sessions() as session, session.begin():
        ticket = await session.get(Ticket, ticket_id)
        assert ticket is not None
        before = ticket.resolution_due
        sla_service.pause(ticket, dt.datetime(2026, 12, 11, 9, 0, tzinfo=TAIPEI))  # Friday 09:00 ...
        assert sla_service.view(ticket).paused
        await sla_service.resume(session, ticket, dt.datetime(2026, 12, 11, 11, 0, tzinfo=TAIPEI))  # ... to 11:00
        assert ticket.resolution_due - before == dt.timedelta(hours=2)  # type: ignore[operator]
        assert not sla_service.view(ticket).paused


async def test_tickets_carry_their_sla_in_the_api(client: AsyncTestClient[Any], agent_headers: dict[str, str]) -> None:
    created = await client.post(
        "/api/tickets",
        json={"kind": "billing", "subject": "多扣款", "priority": "urgent", "external_id": "OLD-9"},
        headers=agent_headers,
    )
    sla = created.json()["sla"]
    assert sla["policy_id"] is not None and sla["escalation_level"] == 0 and sla["breached"] is False
    assert sla["first_response_due"] < sla["resolution_due"]
    listed = (await client.get("/api/tickets", params={"external_id": "OLD-9"}, headers=agent_headers)).json()
    assert listed["items"][0]["sla"] == sla
    ticket_id = created.json()["id"]
    await client.patch(f"/api/tickets/{ticket_id}", json={"status": "pending"}, headers=agent_headers)
    paused = (await client.get(f"/api/tickets/{ticket_id}", headers=agent_headers)).json()["sla"]
    assert paused["paused"] is True


async def test_a_missed_deadline_is_breached(sessions: async_sessionmaker[AsyncSession]) -> None:
    ticket_id = await _ticket(sessions, "urgent")
    async with sessions() as session:
        ticket = await session.get(Ticket, ticket_id)
        assert ticket is not None
        assert sla_service.view(ticket, now=THURSDAY_4PM + dt.timedelta(minutes=10)).breached is False
        assert sla_service.view(ticket, now=THURSDAY_4PM + dt.timedelta(minutes=31)).breached is True
