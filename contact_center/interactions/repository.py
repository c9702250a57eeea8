"""SQL for interactions."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Row, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from contact_center.models import Interaction, Ticket, User


async def page_for_customer(
    session: AsyncSession, customer_id: int, channel: str | None, limit: int, offset: int
) -> tuple[Sequence[Row[Any]], int]:
    conditions = [Interaction.customer_id == customer_id]
    if channel:
        conditions.append(Interaction.channel == channel)
    total = (await session.execute(select(func.count()).select_from(Interaction).where(*conditions))).scalar_one()
    query = (
        select(Interaction, func.coalesce(User.display_name, Interaction.agent_name))
        .outerjoin(User, User.id == Interaction.agent_id)
        .where(*conditions)
        .order_by(Interaction.started_at.desc(), Interaction.id.desc())
        .limit(limit)
        .offset(offset)
    )
    return (await session.execute(query)).all(), total


async def ticket_customer(session: AsyncSession, ticket_id: int) -> tuple[bool, int | None]:
    """Whether the ticket exists, and whose it is."""
    row = (await session.execute(select(Ticket.customer_id).where(Ticket.id == ticket_id))).first()
    return (row is not None, row[0] if row else None)
