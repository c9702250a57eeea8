"""SQL for routing: the agents as routing sees them, and who usually serves a customer."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Row, and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from contact_center.models import AgentProfile, Queue, Ticket, User
from contact_center.tickets.workflow import OPEN_STATUSES

ROUTABLE_ROLES = ("agent", "supervisor")


async def agents(session: AsyncSession) -> Sequence[Row[Any]]:
    """Every active agent with a routing profile, with their open-ticket count."""
    open_tickets = and_(Ticket.assignee_id == User.id, Ticket.status.in_(OPEN_STATUSES))
    query = (
        select(
            User.id, User.username, User.display_name, User.extension, AgentProfile.skills, AgentProfile.capacity,
            AgentProfile.presence, AgentProfile.presence_since, AgentProfile.last_assigned_at,
            func.count(Ticket.id).label("open_tickets"),
        )
        .join(AgentProfile, AgentProfile.user_id == User.id)
        .outerjoin(Ticket, open_tickets)
        .where(User.is_active.is_(True), User.role.in_(ROUTABLE_ROLES))
        .group_by(User.id, AgentProfile.user_id)
        .order_by(User.id)
    )  # fmt: skip
    return (await session.execute(query)).all()


async def usual_agent(session: AsyncSession, customer_id: int | None, except_ticket: int) -> int | None:
    """Who was assigned the customer's latest other ticket."""
    if customer_id is None:
        return None
    query = (
        select(Ticket.assignee_id)
        .where(Ticket.customer_id == customer_id, Ticket.assignee_id.is_not(None), Ticket.id != except_ticket)
        .order_by(Ticket.created_at.desc())
        .limit(1)
    )
    return (await session.execute(query)).scalar_one_or_none()


async def profile(session: AsyncSession, user_id: int) -> AgentProfile | None:
    return await session.get(AgentProfile, user_id)


async def queue(session: AsyncSession, queue_id: int) -> Queue | None:
    return await session.get(Queue, queue_id)


async def queues(session: AsyncSession) -> Sequence[Queue]:
    return (await session.execute(select(Queue).order_by(Queue.name))).scalars().all()


def touch(profile: AgentProfile, now: dt.datetime) -> None:
    profile.last_assigned_at = now
