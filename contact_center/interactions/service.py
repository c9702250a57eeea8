"""Logging contacts and reading a customer's contact history."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Row
from sqlalchemy.ext.asyncio import AsyncSession

from contact_center import clock
from contact_center.customers import service as customer_service
from contact_center.errors import ValidationFailed
from contact_center.interactions import repository
from contact_center.interactions import schemas as s
from contact_center.models import Interaction
from contact_center.pagination import Page, check_window


def to_schema(item: Interaction, agent: str | None = None) -> s.Interaction:
    return s.Interaction(
        id=item.id, channel=item.channel, direction=item.direction, started_at=item.started_at,
        customer_id=item.customer_id, ticket_id=item.ticket_id, duration_seconds=item.duration_seconds,
        agent_id=item.agent_id, agent=agent or item.agent_name, phone=item.phone, summary=item.summary,
        external_id=item.external_id,
    )  # fmt: skip


def _row_schema(row: Row[Any]) -> s.Interaction:
    return to_schema(row[0], row[1])


async def log(session: AsyncSession, customer_id: int, data: s.InteractionCreate, agent_id: int | None) -> Interaction:
    """Logs a contact with a customer, optionally about one of their tickets."""
    await customer_service.get(session, customer_id)
    if data.channel not in s.CHANNELS:
        raise ValidationFailed("channel must be one of {choices}", choices=", ".join(s.CHANNELS))
    if data.direction not in s.DIRECTIONS:
        raise ValidationFailed("direction must be in or out")
    if not data.summary.strip():
        raise ValidationFailed("summary must not be empty")
    if data.duration_seconds is not None and data.duration_seconds < 0:
        raise ValidationFailed("duration_seconds must not be negative")
    if data.ticket_id is not None:
        exists, owner = await repository.ticket_customer(session, data.ticket_id)
        if not exists or owner != customer_id:
            raise ValidationFailed("ticket {ticket_id} is not this customer's", ticket_id=data.ticket_id)
    item = Interaction(
        customer_id=customer_id, ticket_id=data.ticket_id, channel=data.channel, direction=data.direction,
        started_at=data.started_at or clock.now(), duration_seconds=data.duration_seconds,
        agent_id=agent_id, summary=data.summary.strip(), extra={},
    )  # fmt: skip
    session.add(item)
    await session.flush()
    return item


async def for_customer(
    session: AsyncSession, customer_id: int, channel: str | None, limit: int, offset: int
) -> Page[s.Interaction]:
    """A customer's contacts, newest first."""
    check_window(limit, offset)
    await customer_service.get(session, customer_id)
    rows, total = await repository.page_for_customer(session, customer_id, channel, limit, offset)
    return Page(items=[_row_schema(r) for r in rows], total=total, limit=limit, offset=offset)
