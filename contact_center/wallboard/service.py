"""What the wallboard shows, computed from the call log, routing profiles and tickets.

"Today" is the Taiwan calendar day. Service level: the share of today's answered-or-abandoned calls
answered within 20 s.
"""

from __future__ import annotations

import datetime as dt

import msgspec
from sqlalchemy import and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from contact_center import clock
from contact_center.clock import TAIPEI
from contact_center.models import AgentProfile, Call, Ticket, User
from contact_center.sla import service as sla_service
from contact_center.tickets.workflow import OPEN_STATUSES

SERVICE_LEVEL_SECONDS = 20
SERVICE_LEVEL_TARGET = 0.8  # 80 % answered within 20 s: the common call-centre target
SERVICE_LEVEL_AMBER = 0.1  # up to 10 points under target is amber, further is red


class QueueStats(msgspec.Struct):
    queue: str
    waiting: int
    longest_wait_seconds: float | None
    offered_today: int
    answered_today: int
    abandoned_today: int
    service_level: float | None  # answered within 20 s / (answered + abandoned), today
    average_handle_seconds: float | None
    service_level_target: float = SERVICE_LEVEL_TARGET
    service_level_state: str | None = None  # green | amber | red; None when nothing was handled today


class AgentStats(msgspec.Struct):
    id: int
    name: str
    presence: str
    on_call: bool
    extension: str | None = None
    call_seconds: float | None = None
    calls_today: int = 0
    state_seconds: float | None = None  # how long in the current presence
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
    due_at: dt.datetime | None = None  # the deadline it breaches next (first response or resolution)
    assignee: str | None = None


class Wallboard(msgspec.Struct, tag_field="type", tag="wallboard"):
    at: dt.datetime
    queues: list[QueueStats]
    agents: list[AgentStats]
    at_risk: list[TicketAtRisk]  # the open tickets that breach next (within the hour), soonest first
    breached: int = 0  # open tickets past a deadline, by the one definition in `sla.service`


def level_state(level: float, target: float = SERVICE_LEVEL_TARGET) -> str:
    if level >= target:
        return "green"
    return "amber" if level >= target - SERVICE_LEVEL_AMBER else "red"


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
            service_level_state=level_state(r.quick / handled) if handled else None,
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
        select(User.id, User.display_name, User.extension, AgentProfile.presence, AgentProfile.presence_since,
               live.c.since,
               calls.label("calls"), resolved.label("resolved"), open_count.label("open"))
        .join(AgentProfile, AgentProfile.user_id == User.id)
        .outerjoin(live, live.c.agent_id == User.id)
        .where(User.is_active.is_(True))
        .order_by(User.display_name)
    )  # fmt: skip
    return [
        AgentStats(id=r.id, name=r.display_name, extension=r.extension, presence=r.presence,
                   on_call=r.since is not None, call_seconds=(now - r.since).total_seconds() if r.since else None,
                   calls_today=r.calls, tickets_resolved_today=r.resolved, open_tickets=r.open,
                   state_seconds=max(0.0, (now - r.presence_since).total_seconds()) if r.presence_since else None)
        for r in (await session.execute(query)).all()
    ]  # fmt: skip


async def _at_risk(session: AsyncSession, now: dt.datetime, limit: int = 20) -> list[TicketAtRisk]:
    due = sla_service.next_due_column()
    query = (
        select(Ticket, User.display_name)
        .outerjoin(User, User.id == Ticket.assignee_id)
        .where(sla_service.due_soon_condition(now))
        .order_by(due, Ticket.id)
        .limit(limit)
    )
    return [
        TicketAtRisk(id=t.id, subject=t.subject, priority=t.priority, escalation_level=t.escalation_level,
                     breached=False, resolution_due=t.resolution_due, assignee_id=t.assignee_id,
                     due_at=sla_service.next_due(t), assignee=name)
        for t, name in (await session.execute(query)).all()
    ]  # fmt: skip


async def _breached(session: AsyncSession, now: dt.datetime) -> int:
    query = select(func.count()).select_from(Ticket).where(Ticket.status.in_(OPEN_STATUSES))
    return int((await session.execute(query.where(sla_service.breached_condition(now)))).scalar_one())


async def snapshot(session: AsyncSession, now: dt.datetime | None = None) -> Wallboard:
    """The whole wallboard as of `now`."""
    now = now or clock.now()
    return Wallboard(
        at=now, queues=await _queues(session, now), agents=await _agents(session, now),
        at_risk=await _at_risk(session, now), breached=await _breached(session, now),
    )  # fmt: skip
