"""Escalation sweeps: tickets whose next level is due are escalated, each level exactly once.

A sweep locks the due tickets (`FOR UPDATE SKIP LOCKED` on PostgreSQL: two workers sweeping at the
same moment take different tickets; SQLite serialises writers), applies each one's next level,
moves `next_escalation_at` on and returns the notices to publish once the transaction commits.
It also gives a service level to open tickets that have none (an import), so a migrated backlog
that is already late escalates on the first sweep.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from contact_center import clock
from contact_center.models import SlaPolicy, Ticket, TicketEvent
from contact_center.sla import service as sla_service
from contact_center.sla.calendars import calendar_for
from contact_center.sla.service import OPEN_STATUSES

RAISE = {"low": "normal", "normal": "high", "high": "urgent", "urgent": "urgent"}
BATCH = 200


@dataclass(frozen=True, slots=True)
class Notice:
    channel: str  # agent:{id} | supervisors
    message: dict[str, object]


def _notice(ticket: Ticket, action: str, level: int) -> dict[str, object]:
    return {
        "type": "sla_escalation", "action": action, "level": level, "ticket_id": ticket.id,
        "subject": ticket.subject, "priority": ticket.priority, "assignee_id": ticket.assignee_id,
        "resolution_due": ticket.resolution_due.isoformat() if ticket.resolution_due else None,
    }  # fmt: skip


async def _adopt_unmanaged(session: AsyncSession) -> int:
    query = (
        select(Ticket)
        .where(Ticket.status.in_(OPEN_STATUSES), Ticket.sla_policy_id.is_(None), Ticket.resolution_due.is_(None))
        .limit(BATCH)
        .with_for_update(skip_locked=True)
    )
    tickets = (await session.execute(query)).scalars().all()
    for ticket in tickets:
        await sla_service.apply(session, ticket)
        if ticket.sla_policy_id is None:
            ticket.resolution_due = ticket.created_at  # no policy at all: mark it seen, never pick it again
    return len(tickets)


async def _claim(session: AsyncSession, ticket: Ticket, level: int) -> bool:
    """Moves the ticket to `level + 1` only if nobody else did: the last guard against a double escalation
    where rows cannot be locked (SQLite), and a no-op beside `SKIP LOCKED` on PostgreSQL."""
    claimed = await session.execute(
        update(Ticket)
        .where(Ticket.id == ticket.id, Ticket.escalation_level == level)
        .values(escalation_level=level + 1)
        .execution_options(synchronize_session=False)
    )
    return bool(claimed.rowcount == 1)  # type: ignore[attr-defined]


async def _escalate(session: AsyncSession, ticket: Ticket, policy: SlaPolicy, now: dt.datetime) -> list[Notice]:
    level = ticket.escalation_level
    if not await _claim(session, ticket, level):
        ticket.next_escalation_at = None  # another sweep escalated it; it set the next time
        await session.refresh(ticket)
        return []
    action = str(policy.levels[level]["action"])
    notices: list[Notice] = []
    if action == "warn_owner" and ticket.assignee_id is not None:
        notices.append(Notice(f"agent:{ticket.assignee_id}", _notice(ticket, action, level + 1)))
    elif action == "reassign_and_raise":
        before = ticket.priority
        ticket.priority = RAISE.get(ticket.priority, ticket.priority)
        session.add(TicketEvent(ticket_id=ticket.id, kind="changed", data={"field": "priority", "before": before,
                                "after": ticket.priority, "note": "SLA escalation"}))  # fmt: skip
        if ticket.queue_id is not None:
            from contact_center.routing import service as routing_service  # routing depends on SLA, not back

            ticket.assignee_id = None
            await routing_service.route(session, ticket)
    if action != "warn_owner":
        notices.append(Notice("supervisors", _notice(ticket, action, level + 1)))
    ticket.escalation_level = level + 1
    calendar = await calendar_for(session, policy.calendar)
    ticket.next_escalation_at = sla_service.threshold(ticket, policy, level + 1, calendar)
    session.add(TicketEvent(ticket_id=ticket.id, kind="escalated", data={"level": level + 1, "action": action}))
    return notices


async def sweep(session: AsyncSession, now: dt.datetime | None = None) -> list[Notice]:
    """One sweep in the caller's transaction; publish the notices after it commits."""
    now = now or clock.now()
    await _adopt_unmanaged(session)
    query = (
        select(Ticket, SlaPolicy)
        .join(SlaPolicy, SlaPolicy.id == Ticket.sla_policy_id)
        .where(Ticket.next_escalation_at <= now, Ticket.status.in_(OPEN_STATUSES))
        .order_by(Ticket.next_escalation_at)
        .limit(BATCH)
        .with_for_update(skip_locked=True, of=Ticket)
    )
    notices: list[Notice] = []
    for ticket, policy in (await session.execute(query)).all():
        # Several levels may be overdue (a late import): escalate through all of them now.
        while ticket.next_escalation_at is not None and ticket.next_escalation_at <= now:
            notices += await _escalate(session, ticket, policy, now)
    await session.flush()
    return notices
