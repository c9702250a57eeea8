"""REST endpoints: the generic CTI endpoint, the call log, calls → tickets, "show this on the desktop"."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, get, patch, post
from litestar.channels import ChannelsPlugin
from litestar.params import QueryParameter
from sqlalchemy.ext.asyncio import AsyncSession

from contact_center import messages, realtime
from contact_center.auth import service as auth_service
from contact_center.auth.guards import DESK, STAFF, current_user, public, requires
from contact_center.calls import log as call_log
from contact_center.calls import schemas as s
from contact_center.calls import service as call_service
from contact_center.calls import wrap_up as call_wrap_up
from contact_center.calls import zammad
from contact_center.errors import NotAuthenticated, PermissionDenied, ValidationFailed
from contact_center.models import Role
from contact_center.pagination import DEFAULT_LIMIT, Page
from contact_center.routing import service as routing_service
from contact_center.tickets import service as ticket_service
from contact_center.tickets.schemas import Ticket
from cti_bridge import contract as c

FEEDERS = (Role.PBX, Role.ADMIN)
_events = msgspec.json.Decoder(list[c.CallEvent])


async def _payload(request: Request[Any, Any, Any]) -> tuple[bytes, dict[str, Any] | None]:
    """The body, and its fields when it is a form (Zammad's webhooks post forms)."""
    if request.headers.get("content-type", "").startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        form = await request.form()
        return b"", {k: form.getall(k) if len(form.getall(k)) > 1 else form.get(k) for k in form}
    return await request.body(), None


def _json(body: bytes) -> Any:
    try:
        return msgspec.json.decode(body or b"null")
    except msgspec.DecodeError:
        raise ValidationFailed("the body is not JSON") from None


class CtiController(Controller):
    path = "/api/cti"
    tags = ["cti"]

    @post("/events", guards=[requires(*FEEDERS)], status_code=200)
    async def post_events(
        self, request: Request[Any, Any, Any], db_session: AsyncSession, channels: ChannelsPlugin
    ) -> s.IngestResult:
        """Call events from a PBX: our contract (one event or a list) or Zammad's generic CTI format."""
        body, form = await _payload(request)
        if form is None:
            parsed = _json(body)
            form = parsed if isinstance(parsed, dict) and "event" in parsed and "callId" in parsed else None
        events = await self._events(db_session, body, form)
        state = request.app.state
        accepted, duplicates, rejected = await state.call_desk.ingest_many(events)
        if rejected and not accepted and not duplicates:
            reason = next(iter(rejected.values()))
            raise ValidationFailed("the call event cannot be stored: {reason}", reason=reason, detail=rejected)
        return s.IngestResult(accepted=accepted, duplicates=duplicates, rejected=rejected)

    async def _events(self, db_session: AsyncSession, body: bytes, form: dict[str, Any] | None) -> list[c.CallEvent]:
        if form is not None:
            extensions = await call_log.extensions_of(db_session, zammad.users(form))
            return zammad.to_events(form, extensions)
        try:
            return _events.decode(body) if body.lstrip().startswith(b"[") else [c.decode_event(body)]
        except msgspec.ValidationError as exc:
            raise ValidationFailed("not a call event: {exc}", exc=exc) from None
        except msgspec.DecodeError:
            raise ValidationFailed("the body is not JSON") from None


@post("/api/v1/cti/{token:str}", guards=[public], tags=["cti"], status_code=200)
async def zammad_cti(request: Request[Any, Any, Any], db_session: AsyncSession, token: str) -> dict[str, Any]:
    """Zammad's generic CTI URL, so a PBX webhook written for Zammad works with only the URL changed: the
    credential is the CTI token in the path (`contact-center token create --user PBX --cti`; good for this
    URL only, revocable), the body Zammad's form or JSON, the answer Zammad's (`{}`)."""
    user = await auth_service.authenticate_token(db_session, token, scope="cti")
    if user is None or user.role not in FEEDERS:
        raise NotAuthenticated("invalid CTI token")
    body, form = await _payload(request)
    if form is None:
        parsed = _json(body)
        if not isinstance(parsed, dict):
            raise ValidationFailed("a Zammad CTI request needs event=newCall|answer|hangup and callId")
        form = parsed
    events = zammad.to_events(form, await call_log.extensions_of(db_session, zammad.users(form)))
    _, _, rejected = await request.app.state.call_desk.ingest_many(events)
    if rejected:
        raise ValidationFailed("the call event cannot be stored: {reason}", reason=next(iter(rejected.values())))
    return {}


class CallController(Controller):
    path = "/api/calls"
    tags = ["calls"]

    @get("/", guards=[requires(*STAFF)])
    async def list_calls(
        self,
        db_session: AsyncSession,
        customer_id: int | None = None,
        call_state: Annotated[str | None, QueryParameter(name="state", description="offered … ended")] = None,
        limit: int = DEFAULT_LIMIT,
        offset: int = 0,
    ) -> Page[s.Call]:
        """The call log, newest first."""
        return await call_log.calls(db_session, customer_id, call_state, limit, offset)

    @get("/{call_row_id:int}", guards=[requires(*STAFF)])
    async def get_call(self, db_session: AsyncSession, call_row_id: int) -> s.CallDetail:
        """One call with its timeline: offered, rang at whom, answered, transferred, ended."""
        return await call_log.detail(db_session, call_row_id)

    @post("/{call_row_id:int}/ticket", guards=[requires(*DESK)])
    async def ticket_from_call(
        self, request: Request[Any, Any, Any], db_session: AsyncSession, call_row_id: int, data: s.TicketFromCall
    ) -> Ticket:
        """Opens a ticket for this call's customer, linked to the call."""
        user = current_user(request)
        ticket = await call_log.ticket_from_call(db_session, call_row_id, data, user.id if user else None)
        return ticket_service.to_schema(ticket)

    @post("/{call_row_id:int}/wrap-up", guards=[requires(*DESK)], status_code=200)
    async def wrap_up(
        self, request: Request[Any, Any, Any], db_session: AsyncSession, call_row_id: int, data: s.WrapUpCreate
    ) -> s.Call:
        """After the call: a disposition (`GET /api/dispositions`) and a note, saved once on the call, the
        customer's contact record and, as an internal note, the call's ticket. The call's agent or a lead."""
        user = current_user(request)
        assert user is not None
        locale = messages.wanted_locale(request.cookies.get(messages.LANG_COOKIE),
                                        request.headers.get("accept-language")) or "zh-Hant"  # fmt: skip
        return await call_wrap_up.wrap_up(db_session, call_row_id, data, user.id,
                                          lead=user.role in (Role.ADMIN, Role.SUPERVISOR), locale=locale)  # fmt: skip

    @post("/{call_row_id:int}/attach", guards=[requires(*DESK)], status_code=200)
    async def attach(self, db_session: AsyncSession, call_row_id: int, data: s.AttachTicket) -> s.Call:
        """Links this call to an existing ticket."""
        return await call_log.attach_ticket(db_session, call_row_id, data.ticket_id)


class AgentDisplayController(Controller):
    path = "/api/agents"
    tags = ["agents"]

    @post("/{user_id:int}/display", guards=[requires(*DESK, Role.PBX)], status_code=202)
    async def display(
        self,
        request: Request[Any, Any, Any],
        db_session: AsyncSession,
        channels: ChannelsPlugin,
        user_id: int,
        data: s.DisplayRequest,
    ) -> s.Display:
        """Opens a customer or a ticket on that agent's desktop (for softphones and other tools). An agent
        may open it on their own desktop, or on the desktop of an agent of a queue they lead."""
        actor = current_user(request)
        assert actor is not None
        if (
            actor.role == Role.AGENT
            and actor.id != user_id
            and not await routing_service.leads_agent(db_session, actor.id, user_id)
        ):
            raise PermissionDenied("you may open records on your own desktop, or on those of a queue you lead")
        message = await call_log.display_for(db_session, user_id, data)
        await db_session.commit()
        realtime.publish(channels, call_service.agent_channel(user_id), message)
        return message


class DispositionController(Controller):
    path = "/api/dispositions"
    tags = ["calls"]

    @get("/", guards=[requires(*STAFF)])
    async def list_dispositions(self, db_session: AsyncSession, all: bool = False) -> list[s.Disposition]:
        """The dispositions agents choose from at wrap-up, in order (`all`: retired ones too)."""
        return await call_wrap_up.dispositions(db_session, active_only=not all)

    @post("/", guards=[requires(Role.ADMIN, Role.SUPERVISOR)])
    async def create_disposition(self, db_session: AsyncSession, data: s.DispositionCreate) -> s.Disposition:
        """A new disposition (leads); its code is what reports group by."""
        return await call_wrap_up.create_disposition(db_session, data)

    @patch("/{disposition_id:int}", guards=[requires(Role.ADMIN, Role.SUPERVISOR)])
    async def update_disposition(
        self, db_session: AsyncSession, disposition_id: int, data: s.DispositionUpdate
    ) -> s.Disposition:
        """Relabel, reorder or retire a disposition (leads); the code stays."""
        return await call_wrap_up.update_disposition(db_session, disposition_id, data)
