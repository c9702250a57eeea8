"""The agent's ticket views (mine, unassigned, my queues, due soon, breached, all): filters, counts
per view, sorted by time left, and the bulk changes made from them."""

from __future__ import annotations

import datetime as dt
import urllib.parse
from typing import Any

import msgspec
from sqlalchemy import ColumnElement, false
from sqlalchemy.ext.asyncio import AsyncSession

from contact_center import clock
from contact_center.errors import NotFound, ValidationFailed
from contact_center.models import Ticket
from contact_center.pagination import check_window
from contact_center.routing import repository as routing_repository
from contact_center.routing import strategies
from contact_center.sla import service as sla_service
from contact_center.tickets import repository, search_terms
from contact_center.tickets import schemas as s
from contact_center.tickets import service as ticket_service
from contact_center.tickets.workflow import CHANNELS, KINDS, OPEN_STATUSES, PRIORITIES, STATUSES

VIEWS = ("mine", "unassigned", "queue", "due_soon", "breached", "all")
TIERS = ("vip", "gold", "standard", "basic")
MAX_BULK = 200


class ViewFilters(msgspec.Struct):
    status: str | None = None
    priority: str | None = None
    kind: str | None = None
    channel: str | None = None
    queue_id: int | None = None
    assignee_id: int | None = None
    tier: str | None = None
    tag: str | None = None
    created_from: dt.date | None = None  # Taipei days, both included
    created_to: dt.date | None = None


class Row(msgspec.Struct):
    ticket: s.Ticket
    customer: str | None
    tier: str | None
    queue: str | None
    assignee: str | None
    due_at: dt.datetime | None  # the deadline being worked against now (None: none, or not open)
    due_kind: str | None  # first_response | resolution


class ViewPage(msgspec.Struct):
    view: str
    query: str
    more: bool  # searching: more matches than `total` (counted up to 1,000)
    rows: list[Row]
    total: int
    limit: int
    offset: int
    counts: dict[str, int]


def _check(name: str, value: str | None, allowed: tuple[str, ...]) -> None:
    if value is not None and value not in allowed:
        raise ValidationFailed("{field} must be one of {choices}", field=name, choices=", ".join(allowed))


async def my_queues(session: AsyncSession, user_id: int) -> list[int]:
    """The queues an agent works: those they lead and those whose every required skill they hold."""
    profile = await routing_repository.profile(session, user_id)
    skills: dict[str, Any] = profile.skills if profile else {}
    return [
        q.id for q in await routing_repository.queues(session)
        if user_id in (q.leads or []) or strategies.holds_skills(skills, q.required_skills or [])
    ]  # fmt: skip


def _view_condition(view: str, user_id: int, queues: list[int], now: dt.datetime) -> list[ColumnElement[bool]]:
    open_ = Ticket.status.in_(OPEN_STATUSES)
    if view == "mine":
        return [open_, Ticket.assignee_id == user_id]
    if view == "unassigned":
        return [open_, Ticket.assignee_id.is_(None)]
    if view == "queue":
        return [open_, Ticket.queue_id.in_(queues) if queues else false()]
    if view == "due_soon":
        return [sla_service.due_soon_condition(now)]
    if view == "breached":
        return [open_, sla_service.breached_condition(now)]
    return []


def _filter_conditions(session: AsyncSession, f: ViewFilters) -> list[ColumnElement[bool]]:
    _check("status", f.status, STATUSES)
    _check("priority", f.priority, PRIORITIES)
    _check("kind", f.kind, KINDS)
    _check("channel", f.channel, CHANNELS)
    _check("tier", f.tier, TIERS)
    if f.created_from and f.created_to and f.created_from > f.created_to:
        raise ValidationFailed("created_from must not be after created_to")
    conditions: list[ColumnElement[bool]] = []
    for field in ("status", "priority", "kind", "channel", "queue_id", "assignee_id"):
        value = getattr(f, field)
        if value is not None:
            conditions.append(getattr(Ticket, field) == value)
    if f.tier is not None:
        conditions.append(Ticket.customer_id.in_(repository.customers_of_tier(f.tier)))
    if f.tag:
        conditions.append(repository.tag_condition(session, f.tag.strip()))
    if f.created_from is not None:
        conditions.append(Ticket.created_at >= clock.day_start(f.created_from))
    if f.created_to is not None:
        conditions.append(Ticket.created_at < clock.day_start(f.created_to + dt.timedelta(days=1)))
    return conditions


async def page(
    session: AsyncSession,
    user_id: int,
    view: str,
    filters: ViewFilters,
    limit: int = 25,
    offset: int = 0,
    now: dt.datetime | None = None,
    query: str = "",
) -> ViewPage:
    """One page of a view, the soonest deadline first (breached ones first of all), and every view's count
    under the same filters."""
    _check("view", view, VIEWS)
    check_window(limit, offset)
    now = now or clock.now()
    extra = _filter_conditions(session, filters)
    queues = await my_queues(session, user_id)
    counts = {
        name: await repository.count(session, [*_view_condition(name, user_id, queues, now), *extra]) for name in VIEWS
    }
    conditions = [*_view_condition(view, user_id, queues, now), *extra]
    if query.strip():
        # Searching: the view's tickets that hold every term, newest first (counts stay the views').
        wanted = search_terms.query_terms(query)
        if not wanted:
            raise ValidationFailed("q must contain a word or a Chinese character")
        found, total = await repository.search_terms_page(session, wanted, conditions, limit, offset)
        more, total = total > repository.COUNT_CAP, min(total, repository.COUNT_CAP)
    else:
        found = await repository.view_rows(session, conditions, sla_service.next_due_column(), limit, offset)
        total, more = counts[view], False
    rows = [
        Row(ticket=ticket_service.to_schema(t), customer=customer, tier=tier, queue=queue, assignee=assignee,
            due_at=sla_service.next_due(t), due_kind=sla_service.next_due_kind(t))
        for t, customer, tier, queue, assignee in found
    ]  # fmt: skip
    return ViewPage(view=view, query=query, more=more, rows=rows, total=total, limit=limit, offset=offset,
                    counts=counts)  # fmt: skip


async def bulk_update(
    session: AsyncSession, ticket_ids: list[int], change: s.TicketUpdate, actor_id: int | None,
    add_tag: str | None = None,
) -> int:  # fmt: skip
    """The same change on several tickets, all or none (one ticket that cannot take it stops them all);
    `add_tag` is added to each ticket's own tags."""
    if not ticket_ids:
        raise ValidationFailed("ticket_ids: choose at least one ticket")
    if len(ticket_ids) > MAX_BULK:
        raise ValidationFailed("ticket_ids: at most {max_bulk} tickets at once", max_bulk=MAX_BULK)
    for ticket_id in sorted(set(ticket_ids)):  # a fixed order: two bulk changes never deadlock
        this = change
        if add_tag and add_tag.strip():
            current = await ticket_service.get(session, ticket_id, for_update=True)
            this = msgspec.structs.replace(change, tags=[*(current.tags or []), add_tag.strip()])
        await ticket_service.update(session, ticket_id, this, actor_id)
    return len(set(ticket_ids))


MAX_SAVED = 20
QUERY_KEYS = ("view", "status", "priority", "kind", "channel", "queue_id", "assignee_id", "tier", "created_from",
              "created_to", "q")  # fmt: skip


class Saved(msgspec.Struct):
    id: int
    name: str
    query: str


async def saved_views(session: AsyncSession, user_id: int) -> list[Saved]:
    return [Saved(id=v.id, name=v.name, query=v.query) for v in await repository.saved_views(session, user_id)]


async def save_view(session: AsyncSession, user_id: int, name: str, query: dict[str, str]) -> Saved:
    """Keeps the filters of the page under a name; only the views page's own parameters are kept."""
    name = name.strip()
    if not name:
        raise ValidationFailed("name must not be empty")
    if len(name) > 60:
        raise ValidationFailed("name must be at most 60 characters")
    kept = "&".join(f"{k}={urllib.parse.quote(v)}" for k, v in query.items() if k in QUERY_KEYS and v)
    if len(await repository.saved_views(session, user_id)) >= MAX_SAVED:
        raise ValidationFailed("name: at most {max_saved} saved views; delete one first", max_saved=MAX_SAVED)
    row = await repository.add_saved_view(session, user_id, name, kept[:1000])
    return Saved(id=row.id, name=row.name, query=row.query)


async def delete_view(session: AsyncSession, user_id: int, view_id: int) -> None:
    if not await repository.delete_saved_view(session, user_id, view_id):
        raise NotFound("no saved view {view_id}", view_id=view_id)


async def next_ticket(session: AsyncSession, user_id: int, after: int, view: str = "mine") -> int | None:
    """The ticket to work after `after`: the first of the view (soonest deadline) that is not it."""
    found = await page(session, user_id, view, ViewFilters(), limit=2)
    return next((r.ticket.id for r in found.rows if r.ticket.id != after), None)
