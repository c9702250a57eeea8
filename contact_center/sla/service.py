"""Service levels of tickets: which policy applies, the deadlines in business time, pauses, breach.

Time spent waiting for the customer (status `pending`) stops the clock: the pause is recorded on
the ticket and the deadlines move when it ends.
"""

from __future__ import annotations

import datetime as dt

import msgspec
from sqlalchemy import ColumnElement, and_, case, false, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from contact_center import clock
from contact_center.db.cache import PerDatabase
from contact_center.models import Customer, SlaPolicy, Ticket
from contact_center.sla.calendar import BusinessCalendar, OpenPause, Pause
from contact_center.sla.calendars import calendar_for

OPEN_STATUSES = ("new", "open", "pending", "on_hold")


class Sla(msgspec.Struct):
    policy_id: int | None
    first_response_due: dt.datetime | None
    resolution_due: dt.datetime | None
    breached: bool
    escalation_level: int
    paused: bool


_policies: PerDatabase[SlaPolicy | None] = PerDatabase()  # (priority, tier) → policy


def forget_policies() -> None:
    """After a policy changed: this process decides with the new table at once."""
    _policies.forget()


async def policy_for(session: AsyncSession, priority: str, tier: str) -> SlaPolicy | None:
    """The most specific policy: priority and tier, then priority, then tier, then the default.
    Remembered for a few seconds: every new ticket asks, policies rarely change."""
    found, cached = _policies.get(session, (priority, tier))
    if found:
        return cached
    policy = await _policy_for(session, priority, tier)
    if policy is not None:
        session.expunge(policy)  # kept beyond this session: a detached, read-only copy
    return _policies.put(session, policy, (priority, tier))


async def _policy_for(session: AsyncSession, priority: str, tier: str) -> SlaPolicy | None:
    specificity = case((SlaPolicy.priority.is_not(None), 2), else_=0) + case((SlaPolicy.tier.is_not(None), 1), else_=0)
    query = (
        select(SlaPolicy)
        .where(or_(SlaPolicy.priority.is_(None), SlaPolicy.priority == priority))
        .where(or_(SlaPolicy.tier.is_(None), SlaPolicy.tier == tier))
        .order_by(specificity.desc(), SlaPolicy.id)
        .limit(1)
    )
    return (await session.execute(query)).scalar_one_or_none()


def pauses(ticket: Ticket) -> list[Pause]:
    return [
        (dt.datetime.fromisoformat(start), dt.datetime.fromisoformat(end) if end else None)
        for start, end in (ticket.sla_pauses or [])
    ]


def _store(ticket: Ticket, spans: list[Pause]) -> None:
    ticket.sla_pauses = [[start.isoformat(), end.isoformat() if end else None] for start, end in spans]


async def apply(session: AsyncSession, ticket: Ticket) -> None:
    """(Re)computes the ticket's policy and deadlines; left as they are while a pause is open."""
    customer = await session.get(Customer, ticket.customer_id) if ticket.customer_id else None
    policy = await policy_for(session, ticket.priority, customer.value_tier if customer else "standard")
    ticket.sla_policy_id = policy.id if policy else None
    if policy is None:
        ticket.first_response_due = ticket.resolution_due = None
        return
    calendar = await calendar_for(session, policy.calendar)
    try:
        spans = pauses(ticket)
        ticket.next_escalation_at = threshold(ticket, policy, ticket.escalation_level, calendar)
        response = calendar.add(ticket.created_at, dt.timedelta(minutes=policy.first_response_minutes))
        resolution = calendar.add(ticket.created_at, dt.timedelta(minutes=policy.resolution_minutes), spans)
        # Stored and shown in UTC, like every other time of the API.
        ticket.first_response_due, ticket.resolution_due = response.astimezone(dt.UTC), resolution.astimezone(dt.UTC)
    except OpenPause:
        ticket.next_escalation_at = None  # the clock is stopped: nothing escalates while paused
        return


def threshold(ticket: Ticket, policy: SlaPolicy, level: int, calendar: BusinessCalendar) -> dt.datetime | None:
    """When escalation `level` is due: its share (`at`) of the resolution target, in business time."""
    if level >= len(policy.levels) or ticket.status not in OPEN_STATUSES:
        return None
    share = float(policy.levels[level]["at"])
    target = dt.timedelta(minutes=policy.resolution_minutes * share)
    return calendar.add(ticket.created_at, target, pauses(ticket)).astimezone(dt.UTC)


def pause(ticket: Ticket, now: dt.datetime) -> None:
    spans = pauses(ticket)
    if not spans or spans[-1][1] is not None:
        _store(ticket, [*spans, (now, None)])
        ticket.next_escalation_at = None


async def resume(session: AsyncSession, ticket: Ticket, now: dt.datetime) -> None:
    spans = pauses(ticket)
    if spans and spans[-1][1] is None:
        _store(ticket, [*spans[:-1], (spans[-1][0], now)])
        await apply(session, ticket)


# "Breached" is decided here and only here, once in Python (`view`) and once in SQL
# (`breached_condition`), term by term the same; a test compares them on every combination of status,
# deadlines and answers. Waiting for the customer (`pending`) stops the clock: a pending ticket is
# late only for a deadline it had already missed.
RUNNING = ("new", "open", "on_hold")
DUE_SOON_WITHIN = dt.timedelta(hours=1)  # "breaches next": the ticket views and the wallboard


def breached_condition(now: dt.datetime) -> ColumnElement[bool]:
    """`view(...).breached` as SQL, for listing and counting breached tickets."""
    running = Ticket.status.in_(RUNNING)
    done_at = func.coalesce(Ticket.resolved_at, Ticket.closed_at)
    late_response = and_(
        Ticket.first_response_due.is_not(None),
        or_(
            Ticket.first_response_at > Ticket.first_response_due,
            and_(Ticket.first_response_at.is_(None), running, Ticket.first_response_due < now),
        ),
    )
    late_resolution = and_(
        Ticket.resolution_due.is_not(None),
        or_(done_at > Ticket.resolution_due, and_(done_at.is_(None), running, Ticket.resolution_due < now)),
    )
    # NULL (a comparison with a missing time) must read as "not late", also under NOT.
    late: ColumnElement[bool] = func.coalesce(or_(late_response, late_resolution), false())
    return late


def next_due_column() -> ColumnElement[dt.datetime]:
    """`next_due(ticket)` as SQL: what the ticket views sort by (time left)."""
    due: ColumnElement[dt.datetime] = case(
        (Ticket.status.not_in(OPEN_STATUSES), None),
        (Ticket.first_response_at.is_(None), func.coalesce(Ticket.first_response_due, Ticket.resolution_due)),
        else_=Ticket.resolution_due,
    )
    return due


def due_soon_condition(now: dt.datetime, within: dt.timedelta = DUE_SOON_WITHIN) -> ColumnElement[bool]:
    """Not breached yet, clock running, and the next deadline within `within`: what breaches next."""
    due = next_due_column()
    soon: ColumnElement[bool] = and_(
        Ticket.status.in_(RUNNING), due.is_not(None), due >= now, due <= now + within, ~breached_condition(now)
    )
    return soon


def next_due_kind(ticket: Ticket) -> str | None:
    """Which deadline the agent works against now: first_response until there is one, then resolution."""
    if ticket.status not in OPEN_STATUSES:
        return None
    return "first_response" if ticket.first_response_at is None and ticket.first_response_due else "resolution"


def next_due(ticket: Ticket) -> dt.datetime | None:
    """The deadline of `next_due_kind`."""
    kind = next_due_kind(ticket)
    if kind is None:
        return None
    return ticket.first_response_due if kind == "first_response" else ticket.resolution_due


def _is_breached(ticket: Ticket, now: dt.datetime) -> bool:
    running = ticket.status in RUNNING
    done_at = ticket.resolved_at or ticket.closed_at
    response_due, resolution_due = ticket.first_response_due, ticket.resolution_due
    late_response = response_due is not None and (
        (ticket.first_response_at is not None and ticket.first_response_at > response_due)
        or (ticket.first_response_at is None and running and response_due < now)
    )
    late_resolution = resolution_due is not None and (
        (done_at is not None and done_at > resolution_due) or (done_at is None and running and resolution_due < now)
    )
    return late_response or late_resolution


def view(ticket: Ticket, now: dt.datetime | None = None) -> Sla:
    """The `sla` object of the API: deadlines, whether one is missed, the escalation level."""
    now = now or clock.now()
    spans = pauses(ticket)
    paused = ticket.status == "pending" or (bool(spans) and spans[-1][1] is None)
    return Sla(
        policy_id=ticket.sla_policy_id, first_response_due=ticket.first_response_due,
        resolution_due=ticket.resolution_due, breached=_is_breached(ticket, now),
        escalation_level=ticket.escalation_level, paused=paused,
    )  # fmt: skip
