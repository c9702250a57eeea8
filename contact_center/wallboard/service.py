"""What the wallboard shows, computed from the call log, routing profiles and tickets.

"Today" is the Taiwan calendar day. Service level: the share of today's answered-or-abandoned calls
answered within 20 s.
"""

from __future__ import annotations

import datetime as dt

import msgspec
from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from contact_center.clock import TAIPEI
from contact_center.models import AgentProfile, Call, Ticket, User
from contact_center.tickets.workflow import OPEN_STATUSES

SERVICE_LEVEL_SECONDS = 20
AT_RISK_WITHIN = dt.timedelta(hours=1)


class QueueStats(msgspec.Struct):
    queue: str
    waiting: int
    longest_wait_seconds: float | None
    offered_today: int
    answered_today: int
    abandoned_today: int
    service_level: float | None  # answered within 20 s / (answered + abandoned), today
    average_handle_seconds: float | None


class AgentStats(msgspec.Struct):
    id: int
    name: str
    presence: str
    on_call: bool
    extension: str | None = None
    call_seconds: float | None = None
    calls_today: int = 0
    tickets_resolved_today: int = 0
    open_tickets: int = 0


class TicketAtRisk(msgspec.Struct):
    id: int
    subject: str
    priority: str
    escalation_level: int
    breached: bool
    resolution_due: dt.datetime | None = None
    assignee_id: int | None = None


class Wallboard(msgspec.Struct, tag_field="type", tag="wallboard"):
    at: dt.datetime
    queues: list[QueueStats]
    agents: list[AgentStats]
    at_risk: list[TicketAtRisk]


def start_of_day(now: dt.datetime) -> dt.datetime:
    local = now.astimezone(TAIPEI)
    return dt.datetime.combine(local.date(), dt.time(), TAIPEI).astimezone(dt.UTC)


async def _queues(session: AsyncSession, now: dt.datetime) -> list[QueueStats]:
    today = Call.offered_at >= start_of_day(now)
    waiting = Call.state.in_(("offered", "ringing"))
    quick = and_(Call.answered_at.is_not(None), Call.wait_seconds <= SERVICE_LEVEL_SECONDS)
    query = (
        select(
            Call.queue,
            func.count().filter(waiting).label("waiting"),
            func.min(Call.offered_at).filter(waiting).label("oldest"),
            func.count().filter(today).label("offered"),
            func.count().filter(today, Call.answered_at.is_not(None)).label("answered"),
            func.count().filter(today, Call.state == "abandoned").label("abandoned"),
            func.count().filter(today, quick).label("quick"),
            func.avg(Call.talk_seconds).filter(today, Call.talk_seconds.is_not(None)).label("aht"),
        )
        .where(Call.queue.is_not(None), or_(today, waiting))
        .group_by(Call.queue)
        .order_by(Call.queue)
    )
    stats = []
    for r in (await session.execute(query)).all():
        handled = r.answered + r.abandoned
        stats.append(QueueStats(
            queue=r.queue, waiting=r.waiting, offered_today=r.offered, answered_today=r.answered,
            abandoned_today=r.abandoned, longest_wait_seconds=(now - r.oldest).total_seconds() if r.oldest else None,
            service_level=round(r.quick / handled, 3) if handled else None,
            average_handle_seconds=round(float(r.aht), 1) if r.aht is not None else None,
        ))  # fmt: skip
    return stats


async def _agents(session: AsyncSession, now: dt.datetime) -> list[AgentStats]:
    today = start_of_day(now)
    live = (
        select(Call.agent_id, func.min(Call.answered_at).label("since"))
        .where(Call.state == "answered")
        .group_by(Call.agent_id)
        .subquery()
    )
    calls = select(func.count()).where(Call.agent_id == User.id, Call.answered_at >= today).scalar_subquery()
    resolved = select(func.count()).where(Ticket.assignee_id == User.id, Ticket.resolved_at >= today).scalar_subquery()
    open_count = (
        select(func.count()).where(Ticket.assignee_id == User.id, Ticket.status.in_(OPEN_STATUSES)).scalar_subquery()
    )
    query = (
        select(User.id, User.display_name, User.extension, AgentProfile.presence, live.c.since,
               calls.label("calls"), resolved.label("resolved"), open_count.label("open"))
        .join(AgentProfile, AgentProfile.user_id == User.id)
        .outerjoin(live, live.c.agent_id == User.id)
        .where(User.is_active.is_(True))
        .order_by(User.display_name)
    )  # fmt: skip
    return [
        AgentStats(id=r.id, name=r.display_name, extension=r.extension, presence=r.presence,
                   on_call=r.since is not None, call_seconds=(now - r.since).total_seconds() if r.since else None,
                   calls_today=r.calls, tickets_resolved_today=r.resolved, open_tickets=r.open)
        for r in (await session.execute(query)).all()
    ]  # fmt: skip


async def _at_risk(session: AsyncSession, now: dt.datetime, limit: int = 20) -> list[TicketAtRisk]:
    soon = now + AT_RISK_WITHIN
    query = (
        select(Ticket)
        .where(Ticket.status.in_(OPEN_STATUSES), or_(Ticket.escalation_level > 0, Ticket.resolution_due <= soon))
        .order_by(case((Ticket.resolution_due.is_(None), 1), else_=0), Ticket.resolution_due)
        .limit(limit)
    )
    return [
        TicketAtRisk(id=t.id, subject=t.subject, priority=t.priority, escalation_level=t.escalation_level,
                     breached=bool(t.resolution_due and t.resolution_due < now), resolution_due=t.resolution_due,
                     assignee_id=t.assignee_id)
        for t in (await session.execute(query)).scalars().all()
    ]  # fmt: skip


async def snapshot(session: AsyncSession, now: dt.datetime | None = None) -> Wallboard:
    """The whole wallboard as of `now`."""
    now = now or dt.datetime.now(dt.UTC)
    return Wallboard(
        at=now, queues=await _queues(session, now), agents=await _agents(session, now),
        at_risk=await _at_risk(session, now),
    )  # fmt: skip
