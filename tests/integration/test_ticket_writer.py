"""Group commit of new tickets (`TicketWriter`): concurrent creations share transactions, and a bad
ticket in a batch fails alone — nothing half-written, nothing lost."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from contact_center.errors import Conflict, ValidationFailed
from contact_center.models import Customer, Queue, Ticket, TicketEvent
from contact_center.tickets import schemas as s
from contact_center.tickets.writer import TicketWriter


async def _counts(sessions: async_sessionmaker[AsyncSession]) -> tuple[int, int]:
    async with sessions() as session:
        tickets = (await session.execute(select(func.count()).select_from(Ticket))).scalar_one()
        events = (await session.execute(select(func.count()).select_from(TicketEvent))).scalar_one()
    return tickets, events


async def test_concurrent_creations_share_transactions(sessions: async_sessionmaker[AsyncSession]) -> None:
    writer = TicketWriter(sessions)
    created = await asyncio.gather(
        *(writer.create(s.TicketCreate(kind="repair", subject=f"冷氣不冷 {n}"), None) for n in range(30))
    )
    assert sorted(t.subject for t in created) == sorted(f"冷氣不冷 {n}" for n in range(30))
    assert len({t.id for t in created}) == 30
    # All 30 were queued before the writer's task first ran: one transaction wrote them.
    assert writer.batches == 1
    assert await _counts(sessions) == (30, 30)  # every ticket with its "created" history entry
    assert all(t.sla.resolution_due is not None for t in created)


async def test_a_failed_check_fails_only_its_own_ticket(sessions: async_sessionmaker[AsyncSession]) -> None:
    writer = TicketWriter(sessions)
    results = await asyncio.gather(
        writer.create(s.TicketCreate(kind="repair", subject="ok 1"), None),
        writer.create(s.TicketCreate(kind="repair", subject="ok 2"), None),
        writer.create(s.TicketCreate(kind="repair", subject="no such customer", customer_id=999_999), None),
        writer.create(s.TicketCreate(kind="repair", subject="ok 3"), None),
        return_exceptions=True,
    )
    assert isinstance(results[2], ValidationFailed) and "customer_id 999999" in results[2].message
    assert [r.subject for r in results if isinstance(r, s.Ticket)] == ["ok 1", "ok 2", "ok 3"]
    assert await _counts(sessions) == (3, 3)


async def test_a_constraint_broken_inside_a_batch_reaches_only_its_caller(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    """Two tickets with the same external id in one batch both pass the check (neither is stored yet);
    the batch's INSERT breaks the unique key, and each ticket is retried alone: one is stored, the
    other caller gets the same conflict as if it had come later, and the bystanders are stored."""
    writer = TicketWriter(sessions)
    results = await asyncio.gather(
        writer.create(s.TicketCreate(kind="repair", subject="warm-up"), None),
        writer.create(s.TicketCreate(kind="repair", subject="a", external_id="OLD-7"), None),
        writer.create(s.TicketCreate(kind="repair", subject="bystander"), None),
        writer.create(s.TicketCreate(kind="repair", subject="b", external_id="OLD-7"), None),
        return_exceptions=True,
    )
    stored = [r.subject for r in results if isinstance(r, s.Ticket)]
    assert stored == ["warm-up", "a", "bystander"]
    assert isinstance(results[3], Conflict) and "OLD-7" in results[3].message
    assert await _counts(sessions) == (3, 3)


async def test_routing_to_agents_happens_in_the_batch(
    sessions: async_sessionmaker[AsyncSession], client: AsyncTestClient[Any], agent_headers: dict[str, str]
) -> None:
    """Through the endpoint: concurrent tickets for a VIP in a queue are all stored, raised to high
    priority and each has its history."""
    async with sessions() as session, session.begin():
        queue = Queue(name="repair", display_name="維修", required_skills=[], strategy="round_robin")
        customer = Customer(name="王董", value_tier="vip")
        session.add_all([queue, customer])
        await session.flush()
        queue_id, customer_id = queue.id, customer.id
    responses = await asyncio.gather(
        *(
            client.post(
                "/api/tickets",
                json={"kind": "repair", "subject": f"漏水 {n}", "queue_id": queue_id, "customer_id": customer_id},
                headers=agent_headers,
            )
            for n in range(12)
        )
    )
    assert [r.status_code for r in responses] == [201] * 12, responses[0].text
    assert {r.json()["priority"] for r in responses} == {"high"}
    async with sessions() as session:
        kinds = (await session.execute(select(TicketEvent.kind))).scalars().all()
    assert kinds.count("created") == 12
    assert sum(1 for k in kinds if k == "changed") >= 12  # the VIP priority raise, one per ticket


@pytest.mark.parametrize("bad", [{"kind": "repair"}, {"kind": "nonsense", "subject": "x"}])
async def test_bad_input_is_refused_before_the_writer(
    client: AsyncTestClient[Any], agent_headers: dict[str, str], sessions: async_sessionmaker[AsyncSession],
    bad: dict[str, str],
) -> None:  # fmt: skip
    response = await client.post("/api/tickets", json=bad, headers=agent_headers)
    assert response.status_code in (400, 422), response.text
    assert await _counts(sessions) == (0, 0)


async def test_no_caller_is_left_waiting_when_creations_come_in_bursts(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    """Bursts arriving while a transaction is in flight or just finished: every caller is
    answered and every ticket stored — a caller queued just as a writer finished must start another."""
    writer = TicketWriter(sessions, max_batch=5)
    calls = []
    for burst in range(12):
        calls += [asyncio.ensure_future(writer.create(s.TicketCreate(kind="inquiry", subject=f"{burst}-{n}"), None))
                  for n in range(burst % 4 + 1)]  # fmt: skip
        await asyncio.sleep(0.002 * (burst % 3))  # some bursts land mid-transaction, some after
    created = await asyncio.wait_for(asyncio.gather(*calls), timeout=60)
    assert len({t.id for t in created}) == len(calls) == 30
    assert await _counts(sessions) == (30, 30)
    assert 1 < writer.batches <= 30
