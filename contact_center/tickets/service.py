"""Tickets: create, change (every change audited), list, delete."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import msgspec
from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession

from contact_center import clock
from contact_center.errors import Conflict, NotFound, ValidationFailed
from contact_center.models import (
    Asset,
    Attachment,
    Customer,
    Queue,
    Ticket,
    TicketEvent,
    TicketLink,
    TicketMessage,
    User,
)
from contact_center.pagination import Page, check_window
from contact_center.routing import rules as routing_rules
from contact_center.sla import service as sla_service
from contact_center.tickets import repository, search_index
from contact_center.tickets import schemas as s
from contact_center.tickets.workflow import CHANNELS, KINDS, OPEN_STATUSES, PRIORITIES, STATUSES, can_move


def to_schema(t: Ticket) -> s.Ticket:
    fields = {f: getattr(t, f) for f in s.Ticket.__struct_fields__ if f not in ("sla", "tags")}  # same names
    return s.Ticket(**fields, tags=list(t.tags or []), sla=s.Sla(**msgspec.structs.asdict(sla_service.view(t))))


def _check_choice(field: str, value: str | None, choices: tuple[str, ...]) -> None:
    if value is not None and value not in choices:
        raise ValidationFailed("{field} must be one of {choices}", field=field, choices=", ".join(choices))


MAX_TAGS = 10


def clean_tags(tags: list[str]) -> list[str]:
    """Trimmed, without repeats, in the order given; at most ten, each 1-32 characters."""
    kept = list(dict.fromkeys(t.strip() for t in tags if t.strip()))
    if len(kept) > MAX_TAGS:
        raise ValidationFailed("tags: at most {max_tags} per ticket", max_tags=MAX_TAGS)
    return kept


def _check_fields(values: dict[str, Any]) -> None:
    _check_choice("kind", values.get("kind"), KINDS)
    _check_choice("priority", values.get("priority"), PRIORITIES)
    _check_choice("channel", values.get("channel"), CHANNELS)
    _check_choice("status", values.get("status"), STATUSES)
    if "subject" in values and not str(values["subject"]).strip():
        raise ValidationFailed("subject must not be empty")
    if "tags" in values:
        values["tags"] = clean_tags(values["tags"])
    rating = values.get("satisfaction")
    if rating is not None and not 1 <= rating <= 5:
        raise ValidationFailed("satisfaction must be between 1 and 5")


async def _check_references(session: AsyncSession, ticket_customer: int | None, values: dict[str, Any]) -> None:
    for field, model in (("customer_id", Customer), ("queue_id", Queue), ("assignee_id", User)):
        obj_id = values.get(field)
        if obj_id is not None and not await repository.exists(session, model, obj_id):
            raise ValidationFailed("{field} {obj_id} does not exist", field=field, obj_id=obj_id)
    asset_id = values.get("asset_id")
    if asset_id is not None:
        owner = await repository.asset_owner(session, asset_id)
        if owner is None:
            raise ValidationFailed("asset_id {asset_id} does not exist", asset_id=asset_id)
        customer_id = values.get("customer_id", ticket_customer)
        if customer_id is not None and owner != customer_id:
            raise ValidationFailed("asset {asset_id} belongs to another customer", asset_id=asset_id)


def _record(session: AsyncSession, ticket: Ticket, event: str, actor_id: int | None, **data: Any) -> None:
    session.add(TicketEvent(ticket_id=ticket.id, kind=event, actor_id=actor_id, data=data))


async def get(session: AsyncSession, ticket_id: int, *, for_update: bool = False) -> Ticket:
    ticket = await repository.get(session, ticket_id, for_update=for_update)
    if ticket is None:
        raise NotFound("no ticket {ticket_id}", ticket_id=ticket_id)
    return ticket


class CategoryProposal(msgspec.Struct, frozen=True):
    """What the classifier proposed for a new ticket's text: kept on the ticket with the model's version."""

    category: str | None  # None: the model was unsure
    confidence: float
    model_version: str


async def create(
    session: AsyncSession, data: s.TicketCreate, actor_id: int | None, proposal: CategoryProposal | None = None
) -> Ticket:
    """Opens a ticket; its first history entry says who opened it. One without a queue or an owner
    goes to the queue the routing rule table picks; the deadlines come from its SLA policy."""
    ticket = await prepare(session, data, actor_id, proposal)
    session.add(ticket)
    await session.flush()  # the ticket, then its history entries: one flush
    await search_index.refresh(session, [ticket.id])
    return ticket


async def prepare(
    session: AsyncSession, data: s.TicketCreate, actor_id: int | None, proposal: CategoryProposal | None = None
) -> Ticket:
    """The new ticket, checked, routed to a queue and given its deadlines, with its first history
    entries, not yet added to the session: `create` writes one, `TicketWriter` many in one statement.
    Only reads: a failure leaves the session as it was."""
    values = msgspec.structs.asdict(data)
    _check_fields(values)
    await _check_references(session, None, values)
    if data.external_id and await repository.external_id_taken(session, data.external_id):
        raise Conflict("a ticket with external_id {external_id!r} exists", external_id=data.external_id)
    ticket = Ticket(**{**values, "subject": data.subject.strip(), "status": "new", "extra": {}, "sla_pauses": [],
                       "created_at": clock.now(), "escalation_level": 0})  # fmt: skip
    ticket.events.append(TicketEvent(kind="created", actor_id=actor_id,
                                     data={"ticket_kind": ticket.kind, "priority": ticket.priority}))  # fmt: skip
    if proposal is not None and ticket.category is None:
        # The version is kept even when unsure: QA can see which model looked at the ticket.
        ticket.category_model, ticket.category_confidence = proposal.model_version, proposal.confidence
        if proposal.category is not None:
            ticket.category = proposal.category
            ticket.events.append(TicketEvent(kind="changed", actor_id=None, data={
                "field": "category", "before": None, "after": proposal.category, "note": "classifier",
                "model_version": proposal.model_version, "confidence": round(proposal.confidence, 4)}))  # fmt: skip
    if ticket.queue_id is None and ticket.assignee_id is None:
        ticket.queue_id = await routing_rules.queue_for(session, ticket)
        if ticket.queue_id is not None:
            ticket.events.append(TicketEvent(kind="changed", actor_id=actor_id, data={
                "field": "queue_id", "before": None, "after": ticket.queue_id, "note": "routing rule"}))  # fmt: skip
    await sla_service.apply(session, ticket)  # before the INSERT: one statement writes the deadlines too
    return ticket


def _apply_status(ticket: Ticket, target: str, now: dt.datetime) -> None:
    if not can_move(ticket.status, target):
        raise Conflict("a {status} ticket cannot become {target}", status=ticket.status, target=target)
    if target == "resolved":
        ticket.resolved_at = now
    elif target == "closed":
        ticket.closed_at = now
        ticket.resolved_at = ticket.resolved_at or now
    elif target in OPEN_STATUSES:
        ticket.resolved_at = ticket.closed_at = None
    if ticket.first_response_at is None and ticket.status == "new":
        ticket.first_response_at = now
    ticket.status = target


async def update(session: AsyncSession, ticket_id: int, data: s.TicketUpdate, actor_id: int | None) -> Ticket:
    """Changes a ticket; each changed field becomes a history entry."""
    changes = {k: v for k, v in msgspec.structs.asdict(data).items() if v is not msgspec.UNSET and k != "note"}
    _check_fields(changes)
    ticket = await get(session, ticket_id, for_update=True)
    await _check_references(session, ticket.customer_id, changes)
    now = clock.now()
    for field, value in changes.items():
        before = getattr(ticket, field)
        if before == value:
            continue
        if field == "status":
            _apply_status(ticket, value, now)
            if value == "pending":
                sla_service.pause(ticket, now)  # waiting for the customer stops the clock
            elif before == "pending":
                await sla_service.resume(session, ticket, now)
            if value not in OPEN_STATUSES:
                ticket.next_escalation_at = None  # resolved or closed: nothing left to escalate
            elif before not in OPEN_STATUSES:
                await sla_service.apply(session, ticket)  # reopened: the clock runs again
            _record(session, ticket, "status_changed", actor_id, before=before, after=value, note=data.note)
        else:
            setattr(ticket, field, value)
            if field == "priority":
                await sla_service.apply(session, ticket)
            event = "assigned" if field == "assignee_id" else "changed"
            _record(session, ticket, event, actor_id, field=field, before=before, after=value, note=data.note)
    await session.flush()
    if {"subject", "description"} & changes.keys():
        await search_index.refresh(session, [ticket.id])
    return ticket


async def delete(session: AsyncSession, ticket_id: int) -> None:
    """Deletes a ticket and its history (admins only: mistakes and test data)."""
    await session.delete(await get(session, ticket_id))


async def events(session: AsyncSession, ticket_id: int) -> list[s.TicketEvent]:
    """A ticket's history, oldest first."""
    await get(session, ticket_id)
    return [
        s.TicketEvent(id=e.id, ticket_id=e.ticket_id, at=e.at, kind=e.kind, data=e.data, actor_id=e.actor_id)
        for e in await repository.events(session, ticket_id)
    ]


class TicketFilters(msgspec.Struct):
    status: str | None = None
    kind: str | None = None
    customer_id: int | None = None
    assignee_id: int | None = None
    queue_id: int | None = None
    external_id: str | None = None
    open: bool | None = None
    breached: bool | None = None
    asset_id: int | None = None
    technician: str | None = None
    category: str | None = None
    channel: str | None = None
    product_model: str | None = None  # of the ticket's asset
    created_from: dt.datetime | None = None  # inclusive
    created_to: dt.datetime | None = None  # exclusive
    resolved_from: dt.datetime | None = None
    resolved_to: dt.datetime | None = None


def _conditions(f: TicketFilters) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    for field in ("status", "kind", "customer_id", "assignee_id", "queue_id", "external_id", "asset_id", "technician",
                  "category", "channel"):  # fmt: skip
        value = getattr(f, field)
        if value is not None:
            conditions.append(getattr(Ticket, field) == value)
    if f.product_model is not None:
        conditions.append(Ticket.asset_id.in_(select(Asset.id).where(Asset.product_model == f.product_model)))
    if f.open is not None:
        conditions.append(Ticket.status.in_(OPEN_STATUSES) if f.open else Ticket.status.not_in(OPEN_STATUSES))
    for column, low, high in ((Ticket.created_at, f.created_from, f.created_to),
                              (Ticket.resolved_at, f.resolved_from, f.resolved_to)):  # fmt: skip
        if low is not None:
            conditions.append(column >= low)
        if high is not None:
            conditions.append(column < high)
    if f.breached is not None:
        late = sla_service.breached_condition(clock.now())
        conditions.append(late if f.breached else ~late)
    return conditions


async def search(session: AsyncSession, filters: TicketFilters, limit: int, offset: int) -> Page[s.Ticket]:
    """Tickets matching the filters, newest first."""
    check_window(limit, offset)
    _check_choice("status", filters.status, STATUSES)
    _check_choice("kind", filters.kind, KINDS)
    _check_choice("channel", filters.channel, CHANNELS)
    items, total = await repository.search(session, _conditions(filters), limit, offset)
    return Page(items=[to_schema(t) for t in items], total=total, limit=limit, offset=offset)


MAX_MESSAGE_LENGTH = 20_000


def message_schema(m: TicketMessage, files: Sequence[Attachment] = ()) -> s.TicketMessage:
    return s.TicketMessage(
        id=m.id, ticket_id=m.ticket_id, visibility=m.visibility, body=m.body, created_at=m.created_at,
        author_id=m.author_id, channel=m.channel, direction=m.direction, message_id=m.message_id, sender=m.sender,
        delivery=m.delivery,
        attachments=[s.AttachmentOut(id=f.id, name=f.name, size=f.size, content_type=f.content_type) for f in files],
    )  # fmt: skip


async def add_message(
    session: AsyncSession, ticket_id: int, data: s.TicketMessageCreate, actor_id: int | None
) -> TicketMessage:
    """A reply (the first one is the ticket's first response) or an internal note; both are audited."""
    body = data.body.strip()
    if not body:
        raise ValidationFailed("the message is empty")
    if len(body) > MAX_MESSAGE_LENGTH:
        raise ValidationFailed(
            "the message is longer than {max_message_length} characters", max_message_length=MAX_MESSAGE_LENGTH
        )
    ticket = await get(session, ticket_id, for_update=True)
    visibility = "internal" if data.internal else "public"
    message = TicketMessage(ticket_id=ticket.id, author_id=actor_id, visibility=visibility, body=body)
    if visibility == "public" and await _answers_by_email(session, ticket):
        # Sent by the mail job (contact_center.mail.outbound) once committed; the page shows its state.
        message.channel, message.delivery, message.next_attempt_at = "email", "queued", clock.now()
    session.add(message)
    if visibility == "public" and ticket.first_response_at is None:
        ticket.first_response_at = clock.now()
    if visibility == "public" and ticket.status == "new":
        _apply_status(ticket, "open", clock.now())
    await session.flush()
    _record(session, ticket, "replied" if visibility == "public" else "noted", actor_id, message_id=message.id)
    await search_index.refresh(session, [ticket.id])
    return message


async def _answers_by_email(session: AsyncSession, ticket: Ticket) -> bool:
    """The customer is answered in the channel they used: e-mail when they last wrote by e-mail (or the
    ticket came by e-mail and they have not written since)."""
    last = await repository.last_inbound_channel(session, ticket.id)
    return last == "email" if last is not None else ticket.channel == "email"


async def messages(session: AsyncSession, ticket_id: int, *, include_internal: bool = True) -> list[s.TicketMessage]:
    """A ticket's conversation, oldest first; internal notes only for staff."""
    await get(session, ticket_id)
    found = await repository.messages(session, ticket_id, include_internal)
    files = await repository.attachments_by_message(session, ticket_id)
    return [message_schema(m, files.get(m.id, ())) for m in found]


LINK_KINDS = ("related", "duplicate", "parent", "child")
_REVERSE = {"related": "related", "duplicate": "duplicate", "parent": "child", "child": "parent"}


async def link(session: AsyncSession, ticket_id: int, data: s.TicketLinkCreate, actor_id: int | None) -> s.TicketLink:
    """Links two tickets both ways (parent ↔ child); linking twice changes nothing."""
    _check_choice("kind", data.kind, LINK_KINDS)
    if data.other_id == ticket_id:
        raise ValidationFailed("a ticket cannot be linked to itself")
    ticket = await get(session, ticket_id)
    other = await get(session, data.other_id)
    for a, b, kind in ((ticket, other, data.kind), (other, ticket, _REVERSE[data.kind])):
        existing = await repository.link_between(session, a.id, b.id)
        if existing is None:
            session.add(TicketLink(ticket_id=a.id, other_id=b.id, kind=kind, created_by=actor_id))
        else:
            existing.kind = kind
    _record(session, ticket, "linked", actor_id, other_id=other.id, link=data.kind)
    await session.flush()
    return s.TicketLink(ticket_id=ticket.id, other_id=other.id, kind=data.kind)


async def links(session: AsyncSession, ticket_id: int) -> list[s.TicketLink]:
    await get(session, ticket_id)
    return [
        s.TicketLink(ticket_id=x.ticket_id, other_id=x.other_id, kind=x.kind)
        for x in await repository.links(session, ticket_id)
    ]


async def merge(session: AsyncSession, ticket_id: int, into_id: int, actor_id: int | None) -> Ticket:
    """Merges a ticket into another of the same customer: messages move, the source closes as a duplicate."""
    if into_id == ticket_id:
        raise ValidationFailed("a ticket cannot be merged into itself")
    source = await get(session, ticket_id, for_update=True)
    target = await get(session, into_id, for_update=True)
    if source.customer_id != target.customer_id:
        raise ValidationFailed("only tickets of the same customer can be merged")
    if target.status == "closed":
        raise Conflict("ticket {into_id} is closed: reopen it first", into_id=into_id)
    moved = await repository.move_messages(session, source.id, target.id)
    await link(session, source.id, s.TicketLinkCreate(other_id=target.id, kind="duplicate"), actor_id)
    if source.status != "closed":
        before = source.status
        _apply_status(source, "closed", clock.now())
        _record(
            session, source, "status_changed", actor_id, before=before, after="closed", note=f"merged into {target.id}"
        )
    source.extra = {**source.extra, "merged_into": target.id}
    _record(session, source, "merged", actor_id, into=target.id, messages=moved)
    _record(session, target, "merged_in", actor_id, source=source.id, messages=moved)
    await session.flush()
    await search_index.refresh(session, [source.id, target.id])
    return target
