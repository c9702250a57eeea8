"""The ticket workspace: the views (`/desk/tickets`) and the ticket page (`/desk/tickets/{id}`).

Server-rendered Jinja; the forms post with htmx and get back the part of the page they change, so every
value on screen is escaped by Jinja's autoescape. Without JavaScript the same forms post normally and
the page is redirected back (303). A change the domain refuses comes back as the same part with the
message (422, which htmx is configured to swap), and the request's transaction is rolled back.
"""

from __future__ import annotations

import datetime as dt
import re
import urllib.parse
from dataclasses import dataclass, field
from typing import Annotated, Any

from litestar import Request, get, post
from litestar.background_tasks import BackgroundTask
from litestar.channels import ChannelsPlugin
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from agent_ui.pages import _page
from contact_center import clock, realtime, web_errors
from contact_center.access.web import log_access
from contact_center.auth.guards import DESK, STAFF, current_user, requires
from contact_center.errors import DomainError, ValidationFailed
from contact_center.tasks import schemas as task_schemas
from contact_center.tasks import service as task_service
from contact_center.tickets import conversation
from contact_center.tickets import schemas as s
from contact_center.tickets import service as ticket_service
from contact_center.tickets import views as ticket_views

PAGE_SIZE = 25
FORM = Body(media_type=RequestEncodingType.URL_ENCODED)


def _changed(request: Request[Any, Any, Any], ticket_id: int, response: Template | Redirect) -> Template | Redirect:
    """After the commit (a background task runs once the response is sent), colleagues with the ticket open
    reload its conversation."""
    channels = request.app.plugins.get(ChannelsPlugin)
    message = {"type": "ticket_changed", "ticket_id": ticket_id, "user_id": _user_id(request)}
    response.background = BackgroundTask(realtime.publish, channels, realtime.ticket(ticket_id), message)
    return response


def _htmx(request: Request[Any, Any, Any]) -> bool:
    return request.headers.get("hx-request") == "true"


def _user_id(request: Request[Any, Any, Any]) -> int:
    user = current_user(request)
    assert user is not None  # the guard let only signed-in staff in
    return user.id


def _int(value: str, name: str) -> int | None:
    if not value.strip():
        return None
    try:
        return int(value)
    except ValueError:
        raise ValidationFailed("{field} must be a number", field=name) from None


def _date(value: str | None, name: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValidationFailed("{field} must be a date (YYYY-MM-DD)", field=name) from None


@get("/desk/tickets", guards=[requires(*STAFF)], include_in_schema=False)
async def ticket_views_page(
    request: Request[Any, Any, Any],
    db_session: AsyncSession,
    view: str = "mine",
    status: str | None = None,
    priority: str | None = None,
    kind: str | None = None,
    channel: str | None = None,
    queue_id: str | None = None,
    assignee_id: str | None = None,
    tier: str | None = None,
    tag: str | None = None,
    created_from: str | None = None,
    created_to: str | None = None,
    q: str | None = None,
    offset: int = 0,
) -> Template:
    """A view of tickets, soonest deadline first. Filters are query parameters, so a view is a link
    the agent can bookmark or share."""
    given = {
        "status": status,
        "priority": priority,
        "kind": kind,
        "channel": channel,
        "queue_id": queue_id,
        "assignee_id": assignee_id,
        "tier": tier,
        "created_from": created_from,
        "created_to": created_to,
        "q": q,
    }
    chosen = {k: v for k, v in given.items() if v}  # fmt: skip
    error = None
    try:
        filters = ticket_views.ViewFilters(
            status=status, priority=priority, kind=kind, channel=channel, tier=tier, tag=tag,
            queue_id=_int(queue_id or "", "queue_id"), assignee_id=_int(assignee_id or "", "assignee_id"),
            created_from=_date(created_from, "created_from"), created_to=_date(created_to, "created_to"),
        )  # fmt: skip
        found = await ticket_views.page(db_session, _user_id(request), view, filters, PAGE_SIZE, max(offset, 0),
                                        query=(q or "")[:200])  # fmt: skip
    except ValidationFailed as exc:
        error = web_errors.error_text(request, exc)
        found = await ticket_views.page(db_session, _user_id(request), "mine", ticket_views.ViewFilters(), PAGE_SIZE)
        chosen = {}
    choices = await conversation.choices(db_session)
    saved = await ticket_views.saved_views(db_session, _user_id(request))
    name = "tickets/_list.html" if _htmx(request) else "tickets/views.html"
    return _page(request, name, status_code=422 if error else 200, found=found, views=ticket_views.VIEWS,
                 chosen=chosen, error=error, choices=choices, now=clock.now(), saved=saved,
                 self_url=request.url.path + (f"?{request.url.query}" if request.url.query else ""))  # fmt: skip


@dataclass
class BulkForm:
    ticket_ids: list[str] | str = field(default_factory=list)  # one ticked box arrives as a single value
    status: str = ""
    assignee_id: str = ""
    priority: str = ""
    add_tag: str = ""
    back: str = "/desk/tickets"


@post("/desk/tickets/bulk", guards=[requires(*DESK)], include_in_schema=False, status_code=303)
async def bulk_change(
    request: Request[Any, Any, Any], db_session: AsyncSession, data: Annotated[BulkForm, FORM]
) -> Redirect | Template:
    """The same change (status, assignee, priority) on the tickets ticked in a view: all or none."""
    change = s.TicketUpdate()
    if data.status:
        change.status = data.status
    if data.priority:
        change.priority = data.priority
    if data.assignee_id:
        change.assignee_id = None if data.assignee_id == "none" else _int(data.assignee_id, "assignee_id")
    back = data.back if data.back.startswith("/desk/tickets") else "/desk/tickets"
    try:
        if change == s.TicketUpdate() and not data.add_tag.strip():
            raise ValidationFailed("choose a change to make")
        chosen = [data.ticket_ids] if isinstance(data.ticket_ids, str) else data.ticket_ids
        ids = [number for value in chosen if (number := _int(value, "ticket_ids")) is not None]
        done = await ticket_views.bulk_update(db_session, ids, change, _user_id(request), add_tag=data.add_tag)
    except DomainError as exc:
        return _page(request, "tickets/_bulk_result.html", status_code=422, error=web_errors.error_text(request, exc))
    if _htmx(request):
        response = _page(request, "tickets/_bulk_result.html", done=done)
        response.headers["HX-Refresh"] = "true"  # every row and count may have changed
        return response
    return Redirect(back, status_code=303)


@dataclass
class SaveViewForm:
    name: str = ""
    query: str = ""


@post("/desk/tickets/saved", guards=[requires(*STAFF)], include_in_schema=False, status_code=303)
async def save_view(
    request: Request[Any, Any, Any], db_session: AsyncSession, data: Annotated[SaveViewForm, FORM]
) -> Redirect | Template:
    """Keeps the page's filters under a name, for this agent."""
    query = dict(urllib.parse.parse_qsl(data.query))
    try:
        saved = await ticket_views.save_view(db_session, _user_id(request), data.name, query)
    except DomainError as exc:
        return _page(request, "tickets/_bulk_result.html", status_code=422, error=web_errors.error_text(request, exc))
    return Redirect(f"/desk/tickets?{saved.query}", status_code=303)


@post("/desk/tickets/saved/{view_id:int}/delete", guards=[requires(*STAFF)], include_in_schema=False,
      status_code=303)  # fmt: skip
async def delete_view(request: Request[Any, Any, Any], db_session: AsyncSession, view_id: int) -> Redirect:
    await ticket_views.delete_view(db_session, _user_id(request), view_id)
    return Redirect("/desk/tickets", status_code=303)


@get("/desk/tickets/{ticket_id:int}/next", guards=[requires(*STAFF)], include_in_schema=False)
async def next_ticket(request: Request[Any, Any, Any], db_session: AsyncSession, ticket_id: int) -> Redirect:
    """The next ticket of the agent's own view (soonest deadline first), or the view when none is left."""
    found = await ticket_views.next_ticket(db_session, _user_id(request), ticket_id)
    return Redirect(f"/desk/tickets/{found}" if found else "/desk/tickets?view=mine")


async def _answer(
    request: Request[Any, Any, Any],
    db_session: AsyncSession,
    ticket_id: int,
    part: str,
    error: DomainError | None = None,
    **extra: Any,
) -> Template | Redirect:
    """What a ticket form gets back: the part it changed, with the refusal (422; the transaction is rolled
    back), or after the change (colleagues on the ticket are told); a plain post is redirected back."""
    if error is None and not _htmx(request):
        return _changed(request, ticket_id, Redirect(f"/desk/tickets/{ticket_id}", status_code=303))
    context = await _ticket_context(db_session, ticket_id)
    if error is not None:
        return _page(request, part, status_code=422, error=web_errors.error_text(request, error), **extra, **context)
    return _changed(request, ticket_id, _page(request, part, **extra, **context))


async def _ticket_context(db_session: AsyncSession, ticket_id: int) -> dict[str, Any]:
    page = await conversation.ticket_page(db_session, ticket_id)
    return {"p": page, "t": page.ticket, "now": clock.now()}


@get("/desk/tickets/{ticket_id:int}", guards=[requires(*STAFF)], include_in_schema=False)
async def ticket_page(request: Request[Any, Any, Any], db_session: AsyncSession, ticket_id: int) -> Template:
    context = await _ticket_context(db_session, ticket_id)
    if context["t"].customer_id:
        log_access(request, db_session, context["t"].customer_id)
    return _page(request, "tickets/ticket.html", **context)


@get("/desk/tickets/{ticket_id:int}/conversation", guards=[requires(*STAFF)], include_in_schema=False)
async def ticket_conversation(request: Request[Any, Any, Any], db_session: AsyncSession, ticket_id: int) -> Template:
    """The conversation alone: what a page refreshes when a colleague writes on the same ticket."""
    return _page(request, "tickets/_conversation.html", **await _ticket_context(db_session, ticket_id))


@dataclass
class MessageForm:
    body: str = ""
    internal: str = ""


@post("/desk/tickets/{ticket_id:int}/messages", guards=[requires(*DESK)], include_in_schema=False, status_code=200)
async def post_message(
    request: Request[Any, Any, Any], db_session: AsyncSession, ticket_id: int, data: Annotated[MessageForm, FORM]
) -> Template | Redirect:
    """A public reply or an internal note; answers with the conversation, the composer emptied and the
    side panel (a first reply opens a new ticket)."""
    internal = data.internal in ("1", "on", "true")
    try:
        await ticket_service.add_message(
            db_session, ticket_id, s.TicketMessageCreate(body=data.body, internal=internal), _user_id(request)
        )
    except DomainError as exc:
        return await _answer(request, db_session, ticket_id, "tickets/_composer.html", exc, body=data.body,
                             internal=internal)  # fmt: skip
    return await _answer(request, db_session, ticket_id, "tickets/_after_message.html", internal=internal)


@dataclass
class PropertiesForm:
    status: str = ""
    priority: str = ""
    assignee_id: str = ""
    queue_id: str = ""
    category: str = ""
    tags: str = ""
    note: str = ""


TAG_SEPARATORS = re.compile(r"[,，、;；]")


@post("/desk/tickets/{ticket_id:int}/properties", guards=[requires(*DESK)], include_in_schema=False, status_code=200)
async def change_properties(
    request: Request[Any, Any, Any], db_session: AsyncSession, ticket_id: int, data: Annotated[PropertiesForm, FORM]
) -> Template | Redirect:
    """The side panel: what differs from the ticket is changed (each change in the history)."""
    try:
        current = ticket_service.to_schema(await ticket_service.get(db_session, ticket_id))
        change = s.TicketUpdate(note=data.note.strip() or None)
        if data.status and data.status != current.status:
            change.status = data.status
        if data.priority and data.priority != current.priority:
            change.priority = data.priority
        assignee = _int(data.assignee_id, "assignee_id")
        if assignee != current.assignee_id:
            change.assignee_id = assignee
        queue = _int(data.queue_id, "queue_id")
        if queue != current.queue_id:
            change.queue_id = queue
        category = data.category.strip() or None
        if category != current.category:
            change.category = category
        tags = [t.strip() for t in TAG_SEPARATORS.split(data.tags) if t.strip()]
        if tags != current.tags:
            change.tags = tags
        await ticket_service.update(db_session, ticket_id, change, _user_id(request))
    except DomainError as exc:
        return await _answer(request, db_session, ticket_id, "tickets/_side.html", exc)
    return await _answer(request, db_session, ticket_id, "tickets/_after_change.html", saved=True)


@dataclass
class LinkForm:
    other_id: str = ""
    kind: str = "related"  # related | duplicate | parent | child, or "merge": merge this ticket into the other


@post("/desk/tickets/{ticket_id:int}/links", guards=[requires(*DESK)], include_in_schema=False, status_code=200)
async def link_or_merge(
    request: Request[Any, Any, Any], db_session: AsyncSession, ticket_id: int, data: Annotated[LinkForm, FORM]
) -> Template | Redirect:
    """Links another ticket, or merges this one into it (its conversation moves there; it closes)."""
    try:
        other = _int(data.other_id.strip().lstrip("#"), "other_id")
        if other is None:
            raise ValidationFailed("other_id must be a number")
        if data.kind == "merge":
            target = await ticket_service.merge(db_session, ticket_id, other, _user_id(request))
            if _htmx(request):  # htmx follows a 303 itself and would swap the page in: it is told instead
                told = _page(request, "tickets/_bulk_result.html", done=1)
                told.headers["HX-Redirect"] = f"/desk/tickets/{target.id}"
                return _changed(request, ticket_id, told)
            return _changed(request, ticket_id, Redirect(f"/desk/tickets/{target.id}", status_code=303))
        await ticket_service.link(db_session, ticket_id, s.TicketLinkCreate(other_id=other, kind=data.kind),
                                  _user_id(request))  # fmt: skip
    except DomainError as exc:
        return await _answer(request, db_session, ticket_id, "tickets/_links.html", exc)
    return await _answer(request, db_session, ticket_id, "tickets/_links.html")


@dataclass
class FollowUpForm:
    due_at: str = ""  # a local (Taipei) time from <input type="datetime-local">
    note: str = ""


@post("/desk/tickets/{ticket_id:int}/follow-ups", guards=[requires(*DESK)], include_in_schema=False, status_code=200)
async def add_follow_up(
    request: Request[Any, Any, Any], db_session: AsyncSession, ticket_id: int, data: Annotated[FollowUpForm, FORM]
) -> Template | Redirect:
    """A follow-up (跟催) on the ticket, due at a Taipei time."""
    try:
        try:
            due = dt.datetime.fromisoformat(data.due_at).replace(tzinfo=clock.TAIPEI)
        except ValueError:
            raise ValidationFailed("{field} must be a date and time", field="due_at") from None
        reminder = task_schemas.ReminderCreate(due_at=due, note=data.note.strip() or None)
        await task_service.create_reminder(db_session, ticket_id, reminder, _user_id(request))
    except DomainError as exc:
        return await _answer(request, db_session, ticket_id, "tickets/_follow_ups.html", exc)
    return await _answer(request, db_session, ticket_id, "tickets/_follow_ups.html")


@dataclass
class DoneForm:
    outcome: str = "reached"


@post("/desk/tickets/{ticket_id:int}/follow-ups/{task_id:int}/done", guards=[requires(*DESK)],
      include_in_schema=False, status_code=200)  # fmt: skip
async def complete_follow_up(
    request: Request[Any, Any, Any],
    db_session: AsyncSession,
    ticket_id: int,
    task_id: int,
    data: Annotated[DoneForm, FORM],
) -> Template | Redirect:
    user = current_user(request)
    assert user is not None
    try:
        await task_service.complete(db_session, task_id, task_schemas.TaskDone(outcome=data.outcome), user.id,
                                    lead=user.role in ("admin", "supervisor"))  # fmt: skip
    except DomainError as exc:
        return await _answer(request, db_session, ticket_id, "tickets/_follow_ups.html", exc)
    return await _answer(request, db_session, ticket_id, "tickets/_follow_ups.html")


TICKET_ROUTES: list[Any] = [
    ticket_views_page,
    save_view,
    delete_view,
    next_ticket,
    bulk_change,
    ticket_page,
    ticket_conversation,
    post_message,
    change_properties,
    add_follow_up,
    complete_follow_up,
    link_or_merge,
]
__all__ = ["TICKET_ROUTES"]
