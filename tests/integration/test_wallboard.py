"""The wallboard's figures: waiting calls and longest wait, service level within 20 s, abandoned,
average handle time, agents on calls, tickets at risk."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from contact_center.models import AgentProfile, Call, Ticket
from contact_center.wallboard import service as wallboard_service
from tests.builders import make_user

NOW = dt.datetime(2026, 12, 10, 6, 0, tzinfo=dt.UTC)  # 14:00 in Taipei


async def test_queue_agent_and_ticket_figures(sessions: async_sessionmaker[AsyncSession]) -> None:
    alice_id, _ = await make_user(sessions, "agent", "alice", extension="1001")
    minutes = lambda m: NOW - dt.timedelta(minutes=m)  # noqa: E731
    async with sessions() as session, session.begin():
        session.add(AgentProfile(user_id=alice_id, skills={}, capacity=5, presence="available"))
        session.add_all([
            Call(call_id="w1", queue="support", state="offered", offered_at=minutes(2), extra={}),  # waiting 2 min
            Call(call_id="a1", queue="support", state="ended", offered_at=minutes(30), answered_at=minutes(29.9),
                 wait_seconds=6, talk_seconds=100, agent_id=alice_id, extra={}),
            Call(call_id="a2", queue="support", state="ended", offered_at=minutes(20), answered_at=minutes(19),
                 wait_seconds=60, talk_seconds=200, agent_id=alice_id, extra={}),
            Call(call_id="x1", queue="support", state="abandoned", offered_at=minutes(10), wait_seconds=30, extra={}),
            Call(call_id="live", queue="support", state="answered", offered_at=minutes(3), answered_at=minutes(2.5),
                 wait_seconds=3, agent_id=alice_id, extra={}),
            Call(call_id="old", queue="support", state="ended", offered_at=NOW - dt.timedelta(days=2), extra={}),
            Ticket(kind="repair", subject="快逾時", status="open", resolution_due=NOW + dt.timedelta(minutes=30),
                   extra={}, sla_pauses=[]),
            Ticket(kind="repair", subject="已逾時", status="open", resolution_due=minutes(5), escalation_level=2,
                   extra={}, sla_pauses=[]),
            Ticket(kind="repair", subject="還早", status="open", resolution_due=NOW + dt.timedelta(days=2),
                   extra={}, sla_pauses=[]),
            Ticket(kind="repair", subject="五年前逾時", status="open", resolution_due=NOW - dt.timedelta(days=1800),
                   extra={}, sla_pauses=[]),
            # Waiting for the customer past its old deadline: the clock is stopped, so not breached.
            Ticket(kind="repair", subject="等客戶回覆", status="pending", resolution_due=minutes(60),
                   first_response_at=minutes(200), extra={}, sla_pauses=[[minutes(120).isoformat(), None]]),
            Ticket(kind="repair", subject="先要回覆", status="new", first_response_due=NOW + dt.timedelta(minutes=10),
                   resolution_due=NOW + dt.timedelta(hours=8), extra={}, sla_pauses=[]),
        ])  # fmt: skip
    async with sessions() as session:
        board = await wallboard_service.snapshot(session, now=NOW)
    (support,) = board.queues
    assert (support.waiting, support.longest_wait_seconds) == (1, 120.0)
    assert (support.offered_today, support.answered_today, support.abandoned_today) == (5, 3, 1)
    assert support.service_level == 0.5  # 2 of (3 answered + 1 abandoned) within 20 s
    assert support.average_handle_seconds == 150.0
    (alice,) = board.agents
    assert alice.on_call and alice.call_seconds == 150.0 and alice.calls_today == 3
    assert support.service_level_state == "red"  # 50 % against an 80 % target
    # What breaches next, soonest first; the ones already breached are counted, not listed (years-old
    # breaches would otherwise fill the list); the paused ticket is neither.
    assert [t.subject for t in board.at_risk] == ["先要回覆", "快逾時"]
    assert board.at_risk[0].due_at == NOW + dt.timedelta(minutes=10)
    assert board.breached == 2
