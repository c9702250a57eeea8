"""The call log as agents use it: list, timeline, turn a call into a ticket or attach it to one."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from contact_center.calls import repository
from contact_center.calls import schemas as s
from contact_center.calls.screen_pop import to_schema
from contact_center.errors import NotFound, ValidationFailed
from contact_center.models import Call, Customer, Interaction, Ticket, User
from contact_center.pagination import Page, check_window
from contact_center.tickets import service as ticket_service
from contact_center.tickets.schemas import TicketCreate


async def _call(session: AsyncSession, call_row_id: int) -> Call:
    call = await repository.get_call_by_row(session, call_row_id)
    if call is None:
        raise NotFound("no call {call_row_id}", call_row_id=call_row_id)
    return call


async def calls(
    session: AsyncSession, customer_id: int | None, state: str | None, limit: int, offset: int
) -> Page[s.Call]:
    """Calls, newest first, for one customer or a state."""
    check_window(limit, offset)
    items, total = await repository.calls_page(session, customer_id, state, limit, offset)
    return Page(items=[to_schema(c) for c in items], total=total, limit=limit, offset=offset)


async def detail(session: AsyncSession, call_row_id: int) -> s.CallDetail:
    call = await _call(session, call_row_id)
    entries = await repository.timeline(session, call.id)
    return s.CallDetail(
        call=to_schema(call),
        timeline=[s.CallTimelineEntry(type=e.type, at=e.at, extension=e.extension, data=e.data) for e in entries],
    )


async def _link(session: AsyncSession, call: Call, ticket_id: int) -> None:
    call.ticket_id = ticket_id
    contact = (await session.execute(select(Interaction).where(Interaction.call_id == call.call_id))).scalars().all()
    for item in contact:
        item.ticket_id = ticket_id


async def ticket_from_call(
    session: AsyncSession, call_row_id: int, data: s.TicketFromCall, actor_id: int | None
) -> Ticket:
    """A ticket prefilled with the caller and linked to the call (and its contact record)."""
    call = await _call(session, call_row_id)
    customer_id = data.customer_id or call.customer_id
    create = TicketCreate(
        kind=data.kind, subject=data.subject, description=data.description, customer_id=customer_id,
        priority=data.priority, channel="phone", assignee_id=actor_id,
    )  # fmt: skip
    ticket = await ticket_service.create(session, create, actor_id)
    if customer_id and not call.customer_id:
        call.customer_id = customer_id
    await _link(session, call, ticket.id)
    await session.flush()
    return ticket


async def attach_ticket(session: AsyncSession, call_row_id: int, ticket_id: int) -> s.Call:
    call = await _call(session, call_row_id)
    ticket = await session.get(Ticket, ticket_id)
    if ticket is None:
        raise ValidationFailed("ticket {ticket_id} does not exist", ticket_id=ticket_id)
    if call.customer_id and ticket.customer_id and ticket.customer_id != call.customer_id:
        raise ValidationFailed("ticket {ticket_id} belongs to another customer", ticket_id=ticket_id)
    await _link(session, call, ticket_id)
    await session.flush()
    return to_schema(call)


async def display_for(session: AsyncSession, user_id: int, data: s.DisplayRequest) -> s.Display:
    if (data.customer_id is None) == (data.ticket_id is None):
        raise ValidationFailed("send exactly one of customer_id or ticket_id")
    user = await session.get(User, user_id)
    if user is None or user.role not in ("agent", "supervisor", "admin"):
        raise NotFound("no agent {user_id}", user_id=user_id)
    model, obj_id = (Customer, data.customer_id) if data.customer_id else (Ticket, data.ticket_id)
    if obj_id is None or await session.get(model, obj_id) is None:
        raise ValidationFailed("{tablename} {obj_id} does not exist", tablename=model.__tablename__[:-1], obj_id=obj_id)
    return s.Display(customer_id=data.customer_id, ticket_id=data.ticket_id)


async def extensions_of(session: AsyncSession, names: list[str]) -> list[str]:
    """Extensions of the users Zammad names (by username or display name)."""
    if not names:
        return []
    query = select(User.extension).where(
        (User.username.in_(names)) | (User.display_name.in_(names)) | (User.extension.in_(names)),
        User.extension.is_not(None),
    )
    return [e for e in (await session.execute(query)).scalars().all() if e]
