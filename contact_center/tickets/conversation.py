"""What the ticket page shows: the ticket with its customer, product and service level, and its whole
story in time order — replies, internal notes, calls with their disposition, status and other changes,
follow-ups — with the choices the side panel offers (allowed statuses, agents, queues)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec
from sqlalchemy.ext.asyncio import AsyncSession

from contact_center import clock
from contact_center.customers import history as customer_history
from contact_center.customers import schemas as customer_schemas
from contact_center.sla import service as sla_service
from contact_center.tickets import macros, repository
from contact_center.tickets import schemas as s
from contact_center.tickets import service as ticket_service
from contact_center.tickets.workflow import TRANSITIONS

# History entries that repeat what another entry already shows (the message itself is the entry).
_SHOWN_ELSEWHERE = frozenset({"replied", "noted"})


class Entry(msgspec.Struct):
    at: dt.datetime
    kind: str  # inbound | reply | note | call | follow_up | an event kind (created, status_changed, ...)
    author: str | None = None
    body: str | None = None
    data: dict[str, Any] = {}


class Choice(msgspec.Struct):
    id: int
    name: str


class LinkedTicket(msgspec.Struct):
    kind: str
    id: int
    subject: str
    status: str


class FollowUp(msgspec.Struct):
    id: int
    title: str
    due_at: dt.datetime
    status: str
    note: str | None
    owner: str | None
    outcome: str | None


class Choices(msgspec.Struct):
    agents: list[Choice]
    queues: list[Choice]


async def choices(session: AsyncSession) -> Choices:
    """Who a ticket can be given to, and the queues: the options of filters and the side panel."""
    return Choices(
        agents=[Choice(id=i, name=n) for i, n in await repository.assignable(session)],
        queues=[Choice(id=i, name=n) for i, n in await repository.queue_choices(session)],
    )


class TicketPage(msgspec.Struct):
    ticket: s.Ticket
    customer: customer_schemas.CustomerHistory | None
    asset: customer_schemas.AssetView | None
    queue: str | None
    assignee: str | None
    due_at: dt.datetime | None
    entries: list[Entry]
    links: list[LinkedTicket]
    follow_ups: list[FollowUp]
    transitions: list[str]
    choices: Choices
    macros: list[macros.MacroOut]


async def entries(session: AsyncSession, ticket_id: int) -> list[Entry]:
    """The ticket's story, oldest first (the conversation reads top to bottom, like every peer's)."""
    found: list[Entry] = []
    files = await repository.attachments_by_message(session, ticket_id)
    for m, author in await repository.messages_with_authors(session, ticket_id):
        kind = "note" if m.visibility == "internal" else "inbound" if m.direction == "in" else "reply"
        shown = [{"id": f.id, "name": f.name, "size": f.size} for f in files.get(m.id, [])]
        found.append(Entry(at=m.created_at, kind=kind, author=author or m.sender, body=m.body,
                           data={"id": m.id, "channel": m.channel, "delivery": m.delivery,
                                 "delivery_error": m.delivery_error, "files": shown}))  # fmt: skip
    for e, actor in await repository.events_with_actors(session, ticket_id):
        if e.kind not in _SHOWN_ELSEWHERE:
            found.append(Entry(at=e.at, kind=e.kind, author=actor, data=dict(e.data or {})))
    for call, agent in await repository.calls_of(session, ticket_id):
        wrap_up = (call.extra or {}).get("wrap_up") or {}
        found.append(Entry(
            at=call.offered_at, kind="call", author=agent, body=wrap_up.get("note"),
            data={"id": call.id, "direction": call.direction, "state": call.state, "caller": call.caller,
                  "talk_seconds": call.talk_seconds, "wait_seconds": call.wait_seconds,
                  "disposition": wrap_up.get("disposition"), "queue": call.queue},
        ))  # fmt: skip
    assigned = [e for e in found if e.kind == "assigned" and isinstance(e.data.get("after"), int)]
    if assigned:
        names = await repository.user_names(session, {e.data["after"] for e in assigned})
        for e in assigned:
            e.data["after_name"] = names.get(e.data["after"])
    found.sort(key=lambda entry: entry.at)
    return found


async def ticket_page(session: AsyncSession, ticket_id: int, now: dt.datetime | None = None) -> TicketPage:
    ticket = await ticket_service.get(session, ticket_id)
    now = now or clock.now()
    history = (
        await customer_history.history(session, ticket.customer_id, tickets_limit=5, now=now)
        if ticket.customer_id
        else None
    )
    asset = next((a for a in history.assets if a.id == ticket.asset_id), None) if history else None
    names = await repository.names(session, ticket.queue_id, ticket.assignee_id)
    return TicketPage(
        ticket=ticket_service.to_schema(ticket),
        customer=history,
        asset=asset,
        queue=names[0],
        assignee=names[1],
        due_at=sla_service.next_due(ticket),
        entries=await entries(session, ticket_id),
        links=[LinkedTicket(kind=k, id=i, subject=sub, status=st) for k, i, sub, st in
               await repository.linked_tickets(session, ticket_id)],
        follow_ups=[FollowUp(id=t.id, title=t.title, due_at=t.due_at, status=t.status, note=t.note, owner=owner,
                             outcome=t.outcome) for t, owner in await repository.follow_ups(session, ticket_id)],
        transitions=sorted(TRANSITIONS.get(ticket.status, frozenset())),
        choices=await choices(session),
        macros=await macros.macros(session),
    )  # fmt: skip
