"""Service quality per agent, queue or week: first-contact resolution, average handle time, CSAT and
reopen rate.

Definitions (tickets resolved within the period; handle time from calls in the period):

- first-contact resolution: resolved with at most one contact (call, e-mail, ...) logged on the
  ticket and never reopened;
- reopen rate: share of those tickets that went from resolved or closed back to an open status;
- CSAT: the mean 1-5 rating of the rated ones (and how many were rated);
- average handle time: mean duration of the calls the agent (queue: the ticket's queue) handled.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import msgspec
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from contact_center.clock import TAIPEI
from contact_center.errors import ValidationFailed
from contact_center.models import Interaction, Queue, Ticket, TicketEvent, User

GROUPS = ("agent", "queue", "week")
OPEN = ("new", "open", "pending", "on_hold")
MAX_DAYS = 400


class QualityRow(msgspec.Struct):
    key: str  # agent or queue id, or the Monday of the week
    label: str
    resolved: int
    first_contact_resolution: float | None
    reopen_rate: float | None
    csat: float | None
    rated: int
    calls: int
    average_handle_seconds: float | None


class ServiceQuality(msgspec.Struct):
    start: dt.date
    end: dt.date
    by: str
    rows: list[QualityRow]


@dataclass
class _Acc:
    resolved: int = 0
    first_contact: int = 0
    reopened: int = 0
    ratings: list[int] = field(default_factory=list)
    calls: int = 0
    call_seconds: float = 0.0


def _monday(at: dt.datetime) -> str:
    day = at.astimezone(TAIPEI).date()
    return (day - dt.timedelta(days=day.weekday())).isoformat()


def _ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


async def service_quality(session: AsyncSession, start: dt.date, end: dt.date, by: str) -> ServiceQuality:
    if by not in GROUPS:
        raise ValidationFailed("by must be one of {choices}", choices=", ".join(GROUPS))
    if end < start or (end - start).days > MAX_DAYS:
        raise ValidationFailed("`from` must not be after `to`, and at most {max_days} days apart", max_days=MAX_DAYS)
    since = dt.datetime.combine(start, dt.time(), TAIPEI)
    until = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), TAIPEI)
    contacts = (
        select(Interaction.ticket_id, func.count().label("n")).where(Interaction.ticket_id.is_not(None))
        .group_by(Interaction.ticket_id).subquery()
    )  # fmt: skip
    tickets = (
        await session.execute(
            select(Ticket.id, Ticket.assignee_id, Ticket.queue_id, Ticket.resolved_at, Ticket.satisfaction,
                   func.coalesce(contacts.c.n, 0))
            .outerjoin(contacts, contacts.c.ticket_id == Ticket.id)
            .where(Ticket.resolved_at >= since, Ticket.resolved_at < until)
        )
    ).all()  # fmt: skip
    reopened = await _reopened(session, [t[0] for t in tickets])
    groups: dict[str, _Acc] = defaultdict(_Acc)
    for ticket_id, assignee_id, queue_id, resolved_at, satisfaction, n_contacts in tickets:
        key = {"agent": str(assignee_id or ""), "queue": str(queue_id or ""), "week": _monday(resolved_at)}[by]
        acc = groups[key]
        acc.resolved += 1
        acc.reopened += ticket_id in reopened
        acc.first_contact += n_contacts <= 1 and ticket_id not in reopened
        if satisfaction is not None:
            acc.ratings.append(satisfaction)
    await _calls(session, since, until, by, groups)
    labels = await _labels(session, by, groups)
    rows = [
        QualityRow(key=key, label=labels.get(key, key or "—"), resolved=a.resolved,
                   first_contact_resolution=_ratio(a.first_contact, a.resolved),
                   reopen_rate=_ratio(a.reopened, a.resolved),
                   csat=round(sum(a.ratings) / len(a.ratings), 2) if a.ratings else None, rated=len(a.ratings),
                   calls=a.calls, average_handle_seconds=round(a.call_seconds / a.calls, 1) if a.calls else None)
        for key, a in sorted(groups.items())
    ]  # fmt: skip
    return ServiceQuality(start=start, end=end, by=by, rows=rows)


async def _reopened(session: AsyncSession, ticket_ids: list[int]) -> set[int]:
    found: set[int] = set()
    for chunk in (ticket_ids[i : i + 5000] for i in range(0, len(ticket_ids), 5000)):
        rows = await session.execute(
            select(TicketEvent.ticket_id, TicketEvent.data)
            .where(TicketEvent.ticket_id.in_(chunk), TicketEvent.kind == "status_changed")
        )  # fmt: skip
        found |= {t for t, data in rows.all() if _is_reopen(data)}
    return found


def _is_reopen(data: dict[str, Any]) -> bool:
    return data.get("before") in ("resolved", "closed") and data.get("after") in OPEN


async def _calls(
    session: AsyncSession, since: dt.datetime, until: dt.datetime, by: str, groups: dict[str, _Acc]
) -> None:
    base = (
        select(Interaction.agent_id, Ticket.queue_id, Interaction.started_at, Interaction.duration_seconds)
        .outerjoin(Ticket, Ticket.id == Interaction.ticket_id)
        .where(Interaction.channel == "call", Interaction.duration_seconds.is_not(None),
               Interaction.started_at >= since, Interaction.started_at < until)
    )  # fmt: skip
    for agent_id, queue_id, started_at, seconds in (await session.execute(base)).all():
        key = {"agent": str(agent_id or ""), "queue": str(queue_id or ""), "week": _monday(started_at)}[by]
        acc = groups[key]
        acc.calls += 1
        acc.call_seconds += seconds


async def _labels(session: AsyncSession, by: str, groups: dict[str, _Acc]) -> dict[str, str]:
    ids = [int(k) for k in groups if k.isdigit()]
    if by == "agent" and ids:
        rows = await session.execute(select(User.id, User.display_name).where(User.id.in_(ids)))
        return {str(i): name for i, name in rows.all()}
    if by == "queue" and ids:
        rows = await session.execute(select(Queue.id, Queue.display_name).where(Queue.id.in_(ids)))
        return {str(i): name for i, name in rows.all()}
    return {}
