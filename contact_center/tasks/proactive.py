"""The job that creates proactive call-backs (each once, whatever how often it runs)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import and_, extract, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from contact_center.clock import TAIPEI
from contact_center.models import Asset, Customer, Task, Ticket
from contact_center.tasks.service import CHECK_IN_AFTER, RENEWAL_WITHIN

MORNING = dt.time(10, 0)


def _at_ten(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, MORNING, TAIPEI)


async def _usual_agent(session: AsyncSession, customer_id: int) -> int | None:
    query = (
        select(Ticket.assignee_id)
        .where(Ticket.customer_id == customer_id, Ticket.assignee_id.is_not(None))
        .order_by(Ticket.created_at.desc())
        .limit(1)
    )
    return (await session.execute(query)).scalar_one_or_none()


async def _add_missing(session: AsyncSession, wanted: dict[str, Task]) -> int:
    if not wanted:
        return 0
    existing = set((await session.execute(select(Task.dedupe_key).where(Task.dedupe_key.in_(list(wanted))))).scalars())
    new = [task for key, task in wanted.items() if key not in existing]
    for task in new:
        if task.customer_id is not None:
            task.owner_id = await _usual_agent(session, task.customer_id)
        session.add(task)
    await session.flush()
    return len(new)


async def create_followups(session: AsyncSession, now: dt.datetime) -> int:
    """Check-ins after repairs, renewals ending within 30 days, VIP birthdays; returns how many were new."""
    today = now.astimezone(TAIPEI).date()
    wanted: dict[str, Task] = {}
    closed = select(Ticket).where(
        Ticket.kind == "repair", Ticket.closed_at >= now - CHECK_IN_AFTER - dt.timedelta(days=1),
        Ticket.closed_at < now - CHECK_IN_AFTER, Ticket.customer_id.is_not(None),
    ).limit(2000)  # fmt: skip
    for t in (await session.execute(closed)).scalars().all():
        key = f"check_in:{t.id}"
        wanted[key] = Task(kind="repair_check_in", dedupe_key=key, customer_id=t.customer_id, ticket_id=t.id,
                           asset_id=t.asset_id, title=f"維修後續關心：{t.subject}", due_at=_at_ten(today))  # fmt: skip
    horizon = today + RENEWAL_WITHIN
    ending = select(Asset).where(or_(
        and_(Asset.warranty_until >= today, Asset.warranty_until <= horizon),
        and_(Asset.maintenance_until >= today, Asset.maintenance_until <= horizon),
    )).limit(5000)  # fmt: skip
    for a in (await session.execute(ending)).scalars().all():
        end = min(d for d in (a.warranty_until, a.maintenance_until) if d and today <= d <= horizon)
        key = f"renewal:{a.id}:{end.isoformat()}"
        wanted[key] = Task(kind="renewal", dedupe_key=key, customer_id=a.customer_id, asset_id=a.id,
                           title=f"續約提醒：{a.product_name or a.product_model} 於 {end.isoformat()} 到期",
                           due_at=_at_ten(today))  # fmt: skip
    birthdays = select(Customer).where(
        Customer.value_tier == "vip", extract("month", Customer.birthday) == today.month,
        extract("day", Customer.birthday) == today.day,
    )  # fmt: skip
    for c in (await session.execute(birthdays)).scalars().all():
        key = f"birthday:{c.id}:{today.year}"
        wanted[key] = Task(kind="birthday", dedupe_key=key, customer_id=c.id, title=f"生日問候：{c.name}",
                           due_at=_at_ten(today))  # fmt: skip
    return await _add_missing(session, wanted)
