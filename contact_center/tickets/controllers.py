"""REST endpoints for tickets."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from typing import Annotated, Any

import msgspec
from litestar import Controller, Litestar, Request, Response, delete, get, patch, post, put
from litestar.background_tasks import BackgroundTask
from litestar.channels import ChannelsPlugin
from litestar.params import Parameter
from litestar.response import File
from sqlalchemy.ext.asyncio import AsyncSession

from contact_center import attachments, clock, realtime
from contact_center.auth.guards import DESK, STAFF, current_user, requires
from contact_center.bounded import Id
from contact_center.errors import NotFound
from contact_center.models import Attachment, Role
from contact_center.nlp.service import ClassifierHolder
from contact_center.pagination import DEFAULT_LIMIT, Page
from contact_center.tickets import macros as ticket_macros
from contact_center.tickets import schemas as s
from contact_center.tickets import search as ticket_search
from contact_center.tickets import service as ticket_service
from contact_center.tickets.writer import TicketWriter


def _actor(request: Request[Any, Any, Any]) -> int | None:
    user = current_user(request)
    return user.id if user else None


log = logging.getLogger(__name__)


async def _proposal(
    request: Request[Any, Any, Any], session: AsyncSession, data: s.TicketCreate
) -> ticket_service.CategoryProposal | None:
    """The trained classifier's category for the ticket's text (None before a model is trained)."""
    holder: ClassifierHolder = request.app.state.classifier
    classifier = await holder.get(session)
    if classifier is None:
        return None
    found = await asyncio.to_thread(classifier.predict, f"{data.subject}\n{data.description}")  # off the loop
    return ticket_service.CategoryProposal(None if found.unsure else found.category, found.confidence,
                                           found.model_version)  # fmt: skip


async def _check_repaired_unit(app: Litestar, asset_id: int) -> None:
    """After the commit: is this unit now repaired abnormally often? The flag is stored (the screen-pop
    and the offers read it); supervisors and QA hear of it when it is news, not on every repair."""
    from contact_center.analytics import flags
    from contact_center.analytics.watch import RepairWatch

    watch: RepairWatch = app.state.repair_watch
    today = clock.today()
    try:
        async with app.state.session_factory() as session, session.begin():
            found = await watch.check(session, asset_id, today)
            if found is None:
                return
            news = await flags.record(session, [flags.unit(found)], today)
    except Exception:  # the ticket is saved; a failed check must not look like a failed request
        log.exception("repair anomaly check failed", extra={"asset_id": asset_id})
        return
    channels = app.plugins.get(ChannelsPlugin)
    realtime.publish_all(channels, ((realtime.SUPERVISORS, flags.announcement(flag)) for flag in news))


class TicketController(Controller):
    path = "/api/tickets"
    tags = ["tickets"]

    @get("/", guards=[requires(*STAFF)])
    async def list_tickets(
        self,
        db_session: AsyncSession,
        status: str | None = None,
        kind: str | None = None,
        customer_id: int | None = None,
        assignee_id: int | None = None,
        queue_id: int | None = None,
        external_id: str | None = None,
        open: bool | None = None,
        breached: bool | None = None,
        asset_id: int | None = None,
        technician: str | None = None,
        category: str | None = None,
        channel: str | None = None,
        product_model: str | None = None,
        created_from: dt.datetime | None = None,
        created_to: dt.datetime | None = None,
        resolved_from: dt.datetime | None = None,
        resolved_to: dt.datetime | None = None,
        limit: int = DEFAULT_LIMIT,
        offset: int = 0,
    ) -> Page[s.Ticket]:
        """Lists tickets, newest first, with filters (`breached`: a service-level deadline is missed;
        `product_model`: of the ticket's asset;
        `created_from`/`created_to`, `resolved_from`/`resolved_to`: ISO 8601 times, the end excluded)."""
        filters = ticket_service.TicketFilters(
            status=status,
            kind=kind,
            customer_id=customer_id,
            assignee_id=assignee_id,
            queue_id=queue_id,
            external_id=external_id,
            open=open,
            breached=breached,
            asset_id=asset_id,
            technician=technician,
            category=category,
            channel=channel,
            product_model=product_model,
            created_from=created_from,
            created_to=created_to,
            resolved_from=resolved_from,
            resolved_to=resolved_to,
        )
        return await ticket_service.search(db_session, filters, limit, offset)

    @get("/search", guards=[requires(*STAFF)])
    async def search_tickets(
        self, db_session: AsyncSession, q: Annotated[str, Parameter(max_length=200)], limit: int = DEFAULT_LIMIT,
        offset: int = 0,
    ) -> ticket_search.Found:  # fmt: skip
        """Tickets whose subject, description or messages hold every word of `q`, newest first. Chinese is
        matched by character pairs (漏水 finds 冷氣漏水了), Simplified and Traditional alike. `total` is exact up
        to 1,000 (`more`: there are more)."""
        return await ticket_search.search(db_session, q, limit, offset)

    @post("/", guards=[requires(*DESK)])
    async def create_ticket(
        self, request: Request[Any, Any, Any], db_session: AsyncSession, data: s.TicketCreate
    ) -> Response[s.Ticket]:
        """Opens a ticket; one in a queue is assigned by the queue's strategy (VIP customers first). A
        repair ticket's unit is then checked for abnormal repair frequency (after the response)."""
        proposal = await _proposal(request, db_session, data) if data.category is None else None
        writer: TicketWriter = request.app.state.ticket_writer  # group commit with concurrent creations
        ticket = await writer.create(data, _actor(request), proposal)
        check = None
        if ticket.kind == "repair" and ticket.asset_id is not None:
            check = BackgroundTask(_check_repaired_unit, request.app, ticket.asset_id)
        return Response(ticket, status_code=201, background=check)

    @get("/{ticket_id:int}", guards=[requires(*STAFF)])
    async def get_ticket(self, db_session: AsyncSession, ticket_id: int) -> s.Ticket:
        """One ticket."""
        return ticket_service.to_schema(await ticket_service.get(db_session, ticket_id))

    @patch("/{ticket_id:int}", guards=[requires(*DESK)])
    async def update_ticket(
        self,
        request: Request[Any, Any, Any],
        db_session: AsyncSession,
        ticket_id: int,
        data: s.TicketUpdate,
    ) -> s.Ticket:
        """Changes a ticket (status, priority, assignee, ...); every change goes to its history."""
        ticket = await ticket_service.update(db_session, ticket_id, data, _actor(request))
        return ticket_service.to_schema(ticket)

    @delete("/{ticket_id:int}", guards=[requires(Role.ADMIN)])
    async def delete_ticket(self, db_session: AsyncSession, ticket_id: int) -> None:
        """Deletes a ticket (admins only)."""
        await ticket_service.delete(db_session, ticket_id)

    @get("/{ticket_id:int}/events", guards=[requires(*STAFF)])
    async def ticket_events(self, db_session: AsyncSession, ticket_id: int) -> list[s.TicketEvent]:
        """A ticket's audit history."""
        return await ticket_service.events(db_session, ticket_id)

    @get("/{ticket_id:int}/messages", guards=[requires(*STAFF)])
    async def ticket_messages(self, db_session: AsyncSession, ticket_id: int) -> list[s.TicketMessage]:
        """The conversation: public replies and internal notes, oldest first."""
        return await ticket_service.messages(db_session, ticket_id)

    @post("/{ticket_id:int}/messages", guards=[requires(*DESK)])
    async def add_ticket_message(
        self, request: Request[Any, Any, Any], db_session: AsyncSession, ticket_id: int, data: s.TicketMessageCreate
    ) -> s.TicketMessage:
        """Replies to the customer, or adds an internal note (`internal: true`)."""
        message = await ticket_service.add_message(db_session, ticket_id, data, _actor(request))
        return ticket_service.message_schema(message)

    @get("/{ticket_id:int}/links", guards=[requires(*STAFF)])
    async def ticket_links(self, db_session: AsyncSession, ticket_id: int) -> list[s.TicketLink]:
        """Tickets linked to this one."""
        return await ticket_service.links(db_session, ticket_id)

    @post("/{ticket_id:int}/links", guards=[requires(*DESK)])
    async def link_ticket(
        self, request: Request[Any, Any, Any], db_session: AsyncSession, ticket_id: int, data: s.TicketLinkCreate
    ) -> s.TicketLink:
        """Links another ticket (related, duplicate, parent or child); the reverse link is kept too."""
        return await ticket_service.link(db_session, ticket_id, data, _actor(request))

    @post("/{ticket_id:int}/merge", guards=[requires(*DESK)], status_code=200)
    async def merge_ticket(
        self, request: Request[Any, Any, Any], db_session: AsyncSession, ticket_id: int, data: s.TicketMerge
    ) -> s.Ticket:
        """Merges this ticket into another of the same customer; returns the ticket merged into."""
        return ticket_service.to_schema(await ticket_service.merge(db_session, ticket_id, data.into, _actor(request)))


class MacroController(Controller):
    path = "/api/macros"
    tags = ["tickets"]

    @get("/", guards=[requires(*STAFF)])
    async def list_macros(self, db_session: AsyncSession, all: bool = False) -> list[ticket_macros.MacroOut]:
        """Canned replies (`all`: inactive ones too). Placeholders: {customer_name}, {ticket_id}, {subject},
        {agent_name}."""
        return await ticket_macros.macros(db_session, active_only=not all)

    @post("/", guards=[requires(Role.ADMIN, Role.SUPERVISOR)])
    async def create_macro(
        self, request: Request[Any, Any, Any], db_session: AsyncSession, data: ticket_macros.MacroIn
    ) -> ticket_macros.MacroOut:
        """A canned reply (leads)."""
        return await ticket_macros.create(db_session, data, _actor(request))

    @put("/{macro_id:int}", guards=[requires(Role.ADMIN, Role.SUPERVISOR)])
    async def update_macro(
        self, request: Request[Any, Any, Any], db_session: AsyncSession, macro_id: int, data: ticket_macros.MacroIn
    ) -> ticket_macros.MacroOut:
        """Rewrites a canned reply (leads)."""
        return await ticket_macros.update(db_session, macro_id, data, _actor(request))

    @delete("/{macro_id:int}", guards=[requires(Role.ADMIN, Role.SUPERVISOR)])
    async def delete_macro(self, db_session: AsyncSession, macro_id: int) -> None:
        """Deletes a canned reply (leads)."""
        await ticket_macros.delete(db_session, macro_id)

    @post("/{macro_id:int}/render", guards=[requires(*DESK)], status_code=200)
    async def render_macro(
        self, request: Request[Any, Any, Any], db_session: AsyncSession, macro_id: int, data: MacroFor
    ) -> ticket_macros.Rendered:
        """The canned reply's text for one ticket, placeholders filled: what the composer inserts."""
        user = current_user(request)
        assert user is not None
        return await ticket_macros.render(db_session, macro_id, data.ticket_id, user.display_name)


class MacroFor(msgspec.Struct):
    ticket_id: Id


@get("/api/attachments/{attachment_id:int}", guards=[requires(*STAFF)], tags=["tickets"])
async def attachment_file(request: Request[Any, Any, Any], db_session: AsyncSession, attachment_id: Id) -> File:
    """A file that came with a ticket's message, always as a download, typed by its bytes."""
    found = await db_session.get(Attachment, attachment_id)
    if found is None:
        raise NotFound("no attachment {attachment_id}", attachment_id=attachment_id)
    path = attachments.path_of(request.app.state.settings.var_dir, found.sha256)
    if not path.exists():
        raise NotFound("the file of attachment {attachment_id} is missing from the store", attachment_id=attachment_id)
    return File(path=path, filename=found.name, media_type=found.content_type, content_disposition_type="attachment",
                headers={"X-Content-Type-Options": "nosniff"})  # fmt: skip
