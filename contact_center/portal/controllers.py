"""REST endpoints of the customer portal (`/api/portal`): customers only, each within their own record.

Rate-limited per client address: the portal faces the internet, unlike the staff API.
"""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Controller, Request, Router, get, post
from litestar.middleware.rate_limit import RateLimitConfig
from sqlalchemy.ext.asyncio import AsyncSession

from contact_center.auth import service as auth_service
from contact_center.auth.controllers import caller_address
from contact_center.auth.guards import DESK, current_user, public, requires
from contact_center.auth.middleware import start_session
from contact_center.auth.schemas import CurrentUser
from contact_center.errors import NotAuthenticated
from contact_center.kb.controllers import PortalKbController
from contact_center.models import Role
from contact_center.portal import service as portal
from contact_center.settings import Settings
from contact_center.tickets import service as ticket_service


def _portal_client(request: Request[Any, Any, Any]) -> str:
    """Who the portal's limit counts: X-Forwarded-For only from a configured proxy (else anyone could
    make up an address per request and never be limited)."""
    return caller_address(request)


# Counted in the app's "rate_limit" store: Redis when set (one limit across instances), memory otherwise.
PORTAL_RATE = RateLimitConfig(rate_limit=("minute", 120), identifier_for_request=_portal_client)


def _customer(request: Request[Any, Any, Any]) -> tuple[int, int]:
    user = current_user(request)
    if user is None or user.customer_id is None:  # a customer account without a record has nothing to see
        raise NotAuthenticated("sign in with a customer account")
    return user.customer_id, user.id


class PortalController(Controller):
    path = "/api/portal"
    tags = ["portal"]

    @post("/register", guards=[public])
    async def register(
        self, request: Request[Any, Any, Any], db_session: AsyncSession, data: portal.Registration
    ) -> CurrentUser:
        """Opens a customer account and signs it in; linked to our record of the customer when the
        phone number and a ticket or customer number match."""
        user = await portal.register(db_session, data)
        start_session(request, user.id)
        return auth_service.to_current_user(user)

    @get("/tickets", guards=[requires(Role.CUSTOMER)])
    async def my_tickets(
        self, request: Request[Any, Any, Any], db_session: AsyncSession, limit: int = 50, offset: int = 0
    ) -> list[portal.PortalTicket]:
        """The customer's own tickets, newest first."""
        customer_id, _ = _customer(request)
        return await portal.tickets(db_session, customer_id, limit, offset)

    @post("/tickets", guards=[requires(Role.CUSTOMER)])
    async def open_ticket(
        self, request: Request[Any, Any, Any], db_session: AsyncSession, data: portal.NewTicket
    ) -> portal.PortalTicket:
        """Opens a ticket, about one of the customer's products if `asset_id` is given."""
        customer_id, user_id = _customer(request)
        return await portal.open_ticket(db_session, customer_id, user_id, data)

    @get("/tickets/{ticket_id:int}", guards=[requires(Role.CUSTOMER)])
    async def my_ticket(
        self, request: Request[Any, Any, Any], db_session: AsyncSession, ticket_id: int
    ) -> portal.PortalTicketDetail:
        """One of the customer's tickets with the public conversation (never internal notes)."""
        customer_id, _ = _customer(request)
        return await portal.ticket(db_session, customer_id, ticket_id)

    @post("/tickets/{ticket_id:int}/messages", guards=[requires(Role.CUSTOMER)])
    async def reply(
        self, request: Request[Any, Any, Any], db_session: AsyncSession, ticket_id: int, data: portal.Reply
    ) -> portal.PortalMessage:
        """The customer's reply; it reopens a recently resolved ticket and ends a wait for the customer."""
        customer_id, user_id = _customer(request)
        return await portal.reply(db_session, customer_id, user_id, ticket_id, data)

    @post("/tickets/{ticket_id:int}/rating", guards=[requires(Role.CUSTOMER)], status_code=200)
    async def rate(
        self, request: Request[Any, Any, Any], db_session: AsyncSession, ticket_id: int, data: portal.Rating
    ) -> portal.PortalTicket:
        """Rates a resolved ticket 1-5 (once)."""
        customer_id, user_id = _customer(request)
        return await portal.rate(db_session, ticket_id, data, user_id, customer_id)

    @get("/assets", guards=[requires(Role.CUSTOMER)])
    async def my_products(self, request: Request[Any, Any, Any], db_session: AsyncSession) -> list[portal.PortalAsset]:
        """The products the customer owns (to open a ticket about one)."""
        customer_id, _ = _customer(request)
        return await portal.assets(db_session, customer_id)

    @post("/csat/{token:str}", guards=[public], status_code=200)
    async def rate_by_link(
        self, request: Request[Any, Any, Any], db_session: AsyncSession, token: str, data: portal.Rating
    ) -> portal.PortalTicket:
        """Rates a ticket from the signed link sent by e-mail or SMS, without signing in."""
        settings: Settings = request.app.state.settings
        ticket_id = portal.check_csat_token(settings.secret_key, token)
        return await portal.rate(db_session, ticket_id, data, None)


class CsatLink(msgspec.Struct):
    ticket_id: int
    url: str


@post("/api/tickets/{ticket_id:int}/csat-link", guards=[requires(*DESK)], tags=["portal"], status_code=200)
async def csat_link(request: Request[Any, Any, Any], db_session: AsyncSession, ticket_id: int) -> CsatLink:
    """A signed link (valid 14 days) to send the customer by e-mail or SMS: it rates this ticket."""
    settings: Settings = request.app.state.settings
    await ticket_service.get(db_session, ticket_id)
    token = portal.csat_token(settings.secret_key, ticket_id)
    return CsatLink(ticket_id=ticket_id, url=f"{settings.app_url.rstrip('/')}/portal/csat/{token}")


portal_api = Router(
    path="/", route_handlers=[PortalController, PortalKbController], middleware=[PORTAL_RATE.middleware]
)
