"""SQL for tickets and their history."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import ColumnElement, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from contact_center.models import Asset, Customer, Queue, Ticket, TicketEvent, TicketLink, TicketMessage, User


async def get(session: AsyncSession, ticket_id: int, *, for_update: bool = False) -> Ticket | None:
    query = select(Ticket).where(Ticket.id == ticket_id)
    if for_update:
        query = query.with_for_update()
    return (await session.execute(query)).scalar_one_or_none()


async def exists(session: AsyncSession, model: type[Customer | Asset | Queue | User], obj_id: int) -> bool:
    return (await session.execute(select(model.id).where(model.id == obj_id))).first() is not None


async def asset_owner(session: AsyncSession, asset_id: int) -> int | None:
    return (await session.execute(select(Asset.customer_id).where(Asset.id == asset_id))).scalar_one_or_none()


async def external_id_taken(session: AsyncSession, external_id: str) -> bool:
    return (await session.execute(select(Ticket.id).where(Ticket.external_id == external_id))).first() is not None


async def search(
    session: AsyncSession, conditions: list[ColumnElement[bool]], limit: int, offset: int
) -> tuple[Sequence[Ticket], int]:
    total = (await session.execute(select(func.count()).select_from(Ticket).where(*conditions))).scalar_one()
    query = (
        select(Ticket)
        .where(*conditions)
        .order_by(Ticket.created_at.desc(), Ticket.id.desc())
        .limit(limit)
        .offset(offset)
    )
    return (await session.execute(query)).scalars().all(), total


async def events(session: AsyncSession, ticket_id: int) -> Sequence[TicketEvent]:
    query = select(TicketEvent).where(TicketEvent.ticket_id == ticket_id).order_by(TicketEvent.at, TicketEvent.id)
    return (await session.execute(query)).scalars().all()


async def messages(session: AsyncSession, ticket_id: int, include_internal: bool) -> Sequence[TicketMessage]:
    query = select(TicketMessage).where(TicketMessage.ticket_id == ticket_id)
    if not include_internal:
        query = query.where(TicketMessage.visibility == "public")
    return (await session.execute(query.order_by(TicketMessage.created_at, TicketMessage.id))).scalars().all()


async def link_between(session: AsyncSession, ticket_id: int, other_id: int) -> TicketLink | None:
    query = select(TicketLink).where(TicketLink.ticket_id == ticket_id, TicketLink.other_id == other_id)
    return (await session.execute(query)).scalar_one_or_none()


async def links(session: AsyncSession, ticket_id: int) -> Sequence[TicketLink]:
    query = select(TicketLink).where(TicketLink.ticket_id == ticket_id).order_by(TicketLink.id)
    return (await session.execute(query)).scalars().all()


async def move_messages(session: AsyncSession, source_id: int, target_id: int) -> int:
    result = await session.execute(
        update(TicketMessage).where(TicketMessage.ticket_id == source_id).values(ticket_id=target_id)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
