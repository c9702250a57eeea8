"""SQL for tickets and their history."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Row, Select, bindparam, case, func, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from contact_center.models import (
    Asset,
    Attachment,
    Call,
    Customer,
    Macro,
    Queue,
    SavedView,
    Task,
    Ticket,
    TicketEvent,
    TicketLink,
    TicketMessage,
    User,
)


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


def customers_of_tier(tier: str) -> Select[tuple[int]]:
    return select(Customer.id).where(Customer.value_tier == tier)


async def count(session: AsyncSession, conditions: list[ColumnElement[bool]]) -> int:
    return int((await session.execute(select(func.count()).select_from(Ticket).where(*conditions))).scalar_one())


async def view_rows(
    session: AsyncSession,
    conditions: list[ColumnElement[bool]],
    due: ColumnElement[dt.datetime],
    limit: int,
    offset: int,
) -> Sequence[Row[tuple[Ticket, str, str, str, str]]]:
    """Tickets with who they are for, their queue and assignee: the soonest deadline first, then those
    waiting for the customer (their clock is stopped), then those without one; newest first among equals."""
    query = (
        select(Ticket, Customer.name, Customer.value_tier, Queue.display_name, User.display_name)
        .outerjoin(Customer, Customer.id == Ticket.customer_id)
        .outerjoin(Queue, Queue.id == Ticket.queue_id)
        .outerjoin(User, User.id == Ticket.assignee_id)
        .where(*conditions)
        .order_by(
            case((due.is_(None), 2), (Ticket.status == "pending", 1), else_=0),
            due,
            Ticket.created_at.desc(),
            Ticket.id.desc(),
        )
        .limit(limit)
        .offset(offset)
    )
    return (await session.execute(query)).all()


async def messages_with_authors(session: AsyncSession, ticket_id: int) -> Sequence[Row[tuple[TicketMessage, str]]]:
    query = (
        select(TicketMessage, User.display_name)
        .outerjoin(User, User.id == TicketMessage.author_id)
        .where(TicketMessage.ticket_id == ticket_id)
        .order_by(TicketMessage.created_at, TicketMessage.id)
    )
    return (await session.execute(query)).all()


async def events_with_actors(session: AsyncSession, ticket_id: int) -> Sequence[Row[tuple[TicketEvent, str]]]:
    query = (
        select(TicketEvent, User.display_name)
        .outerjoin(User, User.id == TicketEvent.actor_id)
        .where(TicketEvent.ticket_id == ticket_id)
        .order_by(TicketEvent.at, TicketEvent.id)
    )
    return (await session.execute(query)).all()


async def calls_of(session: AsyncSession, ticket_id: int) -> Sequence[Row[tuple[Call, str]]]:
    query = (
        select(Call, User.display_name)
        .outerjoin(User, User.id == Call.agent_id)
        .where(Call.ticket_id == ticket_id)
        .order_by(Call.offered_at)
        .limit(100)
    )
    return (await session.execute(query)).all()


async def follow_ups(session: AsyncSession, ticket_id: int) -> Sequence[Row[tuple[Task, str]]]:
    query = (
        select(Task, User.display_name)
        .outerjoin(User, User.id == Task.owner_id)
        .where(Task.ticket_id == ticket_id)
        .order_by(Task.status, Task.due_at)
        .limit(50)
    )
    return (await session.execute(query)).all()


async def linked_tickets(session: AsyncSession, ticket_id: int) -> Sequence[Row[tuple[str, int, str, str]]]:
    query = (
        select(TicketLink.kind, Ticket.id, Ticket.subject, Ticket.status)
        .join(Ticket, Ticket.id == TicketLink.other_id)
        .where(TicketLink.ticket_id == ticket_id)
        .order_by(Ticket.id)
    )
    return (await session.execute(query)).all()


async def names(session: AsyncSession, queue_id: int | None, user_id: int | None) -> tuple[str | None, str | None]:
    queue = await session.get(Queue, queue_id) if queue_id else None
    user = await session.get(User, user_id) if user_id else None
    return (queue.display_name if queue else None), (user.display_name if user else None)


async def assignable(session: AsyncSession) -> Sequence[Row[tuple[int, str]]]:
    """Who a ticket can be given to: active desk staff."""
    query = (
        select(User.id, User.display_name)
        .where(User.is_active.is_(True), User.role.in_(("agent", "supervisor", "admin")))
        .order_by(User.display_name)
    )
    return (await session.execute(query)).all()


async def queue_choices(session: AsyncSession) -> Sequence[Row[tuple[int, str]]]:
    return (await session.execute(select(Queue.id, Queue.display_name).order_by(Queue.display_name))).all()


async def user_names(session: AsyncSession, ids: set[int]) -> dict[int, str]:
    rows = await session.execute(select(User.id, User.display_name).where(User.id.in_(ids)))
    return {i: name for i, name in rows.all()}


async def macros(session: AsyncSession, active_only: bool) -> Sequence[Macro]:
    query = select(Macro).order_by(Macro.lang, Macro.title, Macro.id)
    if active_only:
        query = query.where(Macro.active.is_(True))
    return (await session.execute(query)).scalars().all()


async def customer_name(session: AsyncSession, customer_id: int | None) -> str | None:
    if customer_id is None:
        return None
    return (await session.execute(select(Customer.name).where(Customer.id == customer_id))).scalar_one_or_none()


async def texts_of(session: AsyncSession, ticket_ids: list[int]) -> dict[int, list[str]]:
    """Subject, description and every message of each ticket."""
    found = {
        i: [subject, description or ""]
        for i, subject, description in await session.execute(
            select(Ticket.id, Ticket.subject, Ticket.description).where(Ticket.id.in_(ticket_ids))
        )
    }
    messages = select(TicketMessage.ticket_id, TicketMessage.body).where(TicketMessage.ticket_id.in_(ticket_ids))
    for ticket_id, body in await session.execute(messages.order_by(TicketMessage.id)):
        found[ticket_id].append(body)
    return found


async def write_terms(session: AsyncSession, rows: list[tuple[int, str]]) -> None:
    if not rows:
        return
    # The terms are letters, digits and ideographs separated by spaces: PostgreSQL reads that text as a
    # tsvector as it is (no parser in between), the same way the importer writes it.
    statement = update(Ticket.__table__).where(Ticket.__table__.c.id == bindparam("ticket_id"))  # type: ignore[arg-type]
    await session.execute(
        statement.values(search_terms=bindparam("terms")), [{"ticket_id": i, "terms": t} for i, t in rows]
    )


async def unindexed(session: AsyncSession, limit: int) -> list[int]:
    query = select(Ticket.id).where(Ticket.search_terms.is_(None)).order_by(Ticket.id).limit(limit)
    return list((await session.execute(query)).scalars())


COUNT_CAP = 1_000  # shown exactly up to this; "more than" beyond
WALK_WINDOW = 2_000  # newest tickets looked through first for a common word's page


def terms_match(session: AsyncSession, terms: list[str]) -> ColumnElement[bool]:
    """Tickets holding every term, in the database's own full-text index."""
    if session.get_bind().dialect.name == "postgresql":
        # Terms are letters, digits and ideographs only (search_terms strips the rest): safe inside quotes.
        tsquery = func.to_tsquery("simple", " & ".join(f"'{t}'" for t in terms))
        match: ColumnElement[bool] = Ticket.search_terms.op("@@")(tsquery)
    else:
        fts = " AND ".join(f'"{t}"' for t in terms)
        match = Ticket.id.in_(text("SELECT rowid FROM tickets_fts WHERE tickets_fts MATCH :fts").bindparams(fts=fts))
    return match


async def search_terms_page(
    session: AsyncSession, terms: list[str], conditions: list[ColumnElement[bool]], limit: int, offset: int
) -> tuple[Sequence[Row[tuple[Ticket, str, str, str, str]]], int]:
    """Matching tickets newest first, with who they are for, their queue and assignee; the count is exact up
    to COUNT_CAP (COUNT_CAP + 1 means more)."""
    match = terms_match(session, terms)
    # Counting a common word's 600,000 matches exactly costs seconds; "more than 1,000" is what an agent needs.
    capped = select(Ticket.id).where(match, *conditions).limit(COUNT_CAP + 1).subquery()
    total = int((await session.execute(select(func.count()).select_from(capped))).scalar_one())

    def page(*where: ColumnElement[bool], newest: ColumnElement[dt.datetime]) -> Select[Any]:
        return (
            select(Ticket, Customer.name, Customer.value_tier, Queue.display_name, User.display_name)
            .outerjoin(Customer, Customer.id == Ticket.customer_id)
            .outerjoin(Queue, Queue.id == Ticket.queue_id)
            .outerjoin(User, User.id == Ticket.assignee_id)
            .where(*where, *conditions)
            .order_by(newest.desc(), Ticket.id.desc())
            .limit(limit)
            .offset(offset)
        )

    if session.get_bind().dialect.name != "postgresql":
        return (await session.execute(page(match, newest=Ticket.created_at.expression))).all(), total
    if total > COUNT_CAP:
        # A common word: the page is almost always among the newest few thousand tickets. Looking there
        # first (`IS TRUE`: not answered by the GIN index) reads a few thousand rows instead of fetching
        # every match and sorting them; the planner, which multiplies the terms' selectivities (錯誤 & 誤代 &
        # 代碼: 1,000 expected, 106,000 real), would do the latter.
        window = max(WALK_WINDOW, (offset + limit) * 40)
        recent = select(Ticket.id).order_by(Ticket.created_at.desc(), Ticket.id.desc()).limit(window)
        rows = (
            await session.execute(page(Ticket.id.in_(recent), match.is_(True), newest=Ticket.created_at.expression))
        ).all()
        if len(rows) == limit:
            return rows, total
    # Fewer matches: fetch them through the GIN index and sort them. An order the created_at index cannot
    # give keeps the planner from walking that index and testing all million rows for a rare word.
    newest = Ticket.created_at + text("interval '0 seconds'")
    return (await session.execute(page(match, newest=newest))).all(), total


async def saved_views(session: AsyncSession, user_id: int) -> Sequence[SavedView]:
    query = select(SavedView).where(SavedView.user_id == user_id).order_by(SavedView.name, SavedView.id)
    return (await session.execute(query)).scalars().all()


async def add_saved_view(session: AsyncSession, user_id: int, name: str, query: str) -> SavedView:
    row = SavedView(user_id=user_id, name=name, query=query)
    session.add(row)
    await session.flush()
    return row


async def delete_saved_view(session: AsyncSession, user_id: int, view_id: int) -> bool:
    row = await session.get(SavedView, view_id)
    if row is None or row.user_id != user_id:  # someone else's is as good as none
        return False
    await session.delete(row)
    return True


def tag_condition(session: AsyncSession, tag: str) -> ColumnElement[bool]:
    """Tickets carrying `tag` (a JSON list: containment on PostgreSQL, json_each on SQLite)."""
    if session.get_bind().dialect.name == "postgresql":
        return Ticket.tags.op("@>")(func.jsonb_build_array(tag))
    each = func.json_each(Ticket.tags).table_valued("value")
    return select(1).select_from(each).where(each.c.value == tag).exists()


async def last_inbound_channel(session: AsyncSession, ticket_id: int) -> str | None:
    """The channel of the customer's latest message on the ticket ("" for one without a channel)."""
    query = (
        select(TicketMessage.channel)
        .where(TicketMessage.ticket_id == ticket_id, TicketMessage.direction == "in")
        .order_by(TicketMessage.id.desc())
        .limit(1)
    )
    found = (await session.execute(query)).first()
    return None if found is None else (found[0] or "")


async def attachments_by_message(session: AsyncSession, ticket_id: int) -> dict[int | None, list[Attachment]]:
    """A ticket's files, by the message they came with (None: the ticket's own)."""
    query = select(Attachment).where(Attachment.ticket_id == ticket_id).order_by(Attachment.id)
    found: dict[int | None, list[Attachment]] = {}
    for row in (await session.execute(query)).scalars():
        found.setdefault(row.message_id, []).append(row)
    return found
