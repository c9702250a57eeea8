"""SQL for mail: the inbox, and finding the tickets and customers a message belongs to."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import String, cast, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from contact_center.models import Customer, InboundMail, Ticket, TicketMessage


async def received_before(session: AsyncSession, message_id: str, but: int) -> InboundMail | None:
    """Another inbox entry with this Message-ID that came to something (a re-delivery of it)."""
    query = select(InboundMail).where(
        InboundMail.message_id == message_id, InboundMail.id != but, InboundMail.outcome.not_in(("new", "failed"))
    )
    return (await session.execute(query.limit(1))).scalar_one_or_none()


async def ticket_of_messages(session: AsyncSession, message_ids: Sequence[str]) -> int | None:
    """The ticket of the newest of our messages (or the customer's) with one of these Message-IDs."""
    if not message_ids:
        return None
    query = (
        select(TicketMessage.ticket_id)
        .where(TicketMessage.message_id.in_(list(message_ids)[:100]))
        .order_by(TicketMessage.id.desc())
        .limit(1)
    )
    return (await session.execute(query)).scalar_one_or_none()


async def customers_with_email(session: AsyncSession, address: str) -> Sequence[Customer]:
    """Customers whose e-mail list holds this address (any case). A scan of the list's text: fine for the
    mail rates of a contact centre; an index table is the next step if customers grow past ~1M."""
    escaped = address.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    pattern = f'%"{escaped}"%'
    query = (
        select(Customer)
        .where(func.lower(cast(Customer.emails, String)).like(pattern, escape="\\"))
        .order_by(Customer.id)
        .limit(10)
    )
    return (await session.execute(query)).scalars().all()


async def ticket(session: AsyncSession, ticket_id: int) -> Ticket | None:
    return await session.get(Ticket, ticket_id)


async def mark_messages_failed(session: AsyncSession, message_ids: Sequence[str]) -> int:
    """Our sent messages a delivery report says never arrived."""
    if not message_ids:
        return 0
    result = await session.execute(
        update(TicketMessage).where(TicketMessage.message_id.in_(list(message_ids))).values(delivery="failed")
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
