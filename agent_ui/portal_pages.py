"""The customer self-service portal's pages (`/portal`): articles, sign-in and registration, tickets, CSAT.

Pages are rendered from the portal service, always within the signed-in customer's own record; the
forms send JSON to `/api/portal` from portal.js, so the API's checks and rate limit are the only ones.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from litestar import Request, Response, Router, get, post
from litestar.enums import RequestEncodingType
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException, TooManyRequestsException
from litestar.params import Body
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from agent_ui import i18n
from agent_ui.pages import LoginForm, _page
from contact_center import web_errors
from contact_center.auth import service as auth_service
from contact_center.auth.controllers import caller_address
from contact_center.auth.guards import current_user, public, requires
from contact_center.auth.middleware import end_session, start_session
from contact_center.auth.schemas import CurrentUser
from contact_center.auth.throttle import TooManyAttempts
from contact_center.errors import NotAuthenticated, NotFound, ValidationFailed
from contact_center.models import Role
from contact_center.portal import service as portal
from contact_center.portal.controllers import PORTAL_RATE
from contact_center.settings import Settings
from contact_center.tickets import service as ticket_service

# Customers' words, not the desk's: "pending" means the team waits for *them*.
STATUS_LABELS = {
    "new": "Received",
    "open": "In progress",
    "pending": "Waiting for your reply",
    "on_hold": "In progress",
    "resolved": "Resolved",
    "closed": "Closed",
}
KIND_LABELS = {
    "repair": "Repair",
    "inquiry": "Question",
    "complaint": "Complaint",
    "billing": "Billing",
    "installation": "Installation",
}

# Texts portal.js shows, translated on the server like the desk's (no i18n code in the browser).
PORTAL_JS_STRINGS = {
    "searching": "Searching…",
    "no_articles": "No article matches your search. Try other words, or open a ticket.",
    "article_missing": "This article does not exist or is no longer public.",
    "updated": "Updated",
    "suggest_title": "Maybe this answers your question:",
    "failed": "Could not complete this:",
    "offline": "No connection: check your network and try again.",
    "too_many": "Too many attempts: please wait a minute and try again.",
    "passwords_differ": "The two passwords are not the same.",
    "choose_score": "Choose 1 to 5 stars.",
}


def portal_js_strings() -> dict[str, str]:
    return {key: i18n.gettext(text) for key, text in PORTAL_JS_STRINGS.items()}


def _portal_page(request: Request[Any, Any, Any], name: str, status_code: int = 200, **context: Any) -> Template:
    return _page(request, f"portal/{name}", status_code, js_strings=portal_js_strings, status_labels=STATUS_LABELS,
                 kind_labels=KIND_LABELS, customer=_customer(request), **context)  # fmt: skip


def _customer(request: Request[Any, Any, Any]) -> CurrentUser | None:
    """The signed-in customer; staff signed in on the same browser are not one."""
    user = current_user(request)
    return user if user and user.role == Role.CUSTOMER and user.customer_id is not None else None


def _own(request: Request[Any, Any, Any]) -> int:
    customer = _customer(request)
    if customer is None or customer.customer_id is None:  # a customer account without a record has nothing
        raise NotAuthorizedException("sign in with a customer account")
    return customer.customer_id


def _portal_next(target: str | None) -> str:
    # Only portal paths: an open redirect would let a phishing link bounce through our sign-in, and a
    # customer has no business being sent to the staff pages.
    if target and target.startswith("/portal") and target.isprintable() and "//" not in target and "\\" not in target:
        return target
    return "/portal"


# -- public pages -------------------------------------------------------------------------------


@get("/", guards=[public], include_in_schema=False)
async def portal_home(request: Request[Any, Any, Any], db_session: AsyncSession, q: str = "") -> Template:
    customer = _customer(request)
    tickets = None
    if customer and customer.customer_id:
        tickets = await portal.tickets(db_session, customer.customer_id, 50, 0)
    return _portal_page(request, "home.html", q=q.strip()[:200], tickets=tickets)


@get("/articles/{external_id:str}", guards=[public], include_in_schema=False)
async def article_page(request: Request[Any, Any, Any], external_id: str) -> Template:
    return _portal_page(request, "article.html", external_id=external_id)


@get("/login", guards=[public], include_in_schema=False)
async def login_page(request: Request[Any, Any, Any], next: str | None = None) -> Template | Redirect:
    if _customer(request):
        return Redirect(_portal_next(next))
    return _portal_page(request, "login.html", next=_portal_next(next))


@post("/login", guards=[public], include_in_schema=False)
async def login_submit(
    request: Request[Any, Any, Any],
    db_session: AsyncSession,
    data: Annotated[LoginForm, Body(media_type=RequestEncodingType.URL_ENCODED)],
) -> Template | Redirect:
    target = _portal_next(data.next)
    try:
        user = await auth_service.sign_in(db_session, request.app.state.login_throttle, data.username.strip(),
                                          data.password, caller_address(request))  # fmt: skip
    except TooManyAttempts as exc:
        response = _portal_page(
            request, "login.html", status_code=429, error="throttled", retry_after=exc.retry_after, next=target
        )
        response.headers["Retry-After"] = str(exc.retry_after)
        return response
    except NotAuthenticated:
        return _portal_page(request, "login.html", status_code=401, error="wrong", next=target)
    if user.role != Role.CUSTOMER or user.customer_id is None:
        # Staff use the desk: a staff session opened here would carry staff rights into the portal.
        return _portal_page(request, "login.html", status_code=403, error="staff", next=target)
    start_session(request, user.id)
    return Redirect(target)


@get("/register", guards=[public], include_in_schema=False)
async def register_page(request: Request[Any, Any, Any], next: str | None = None) -> Template | Redirect:
    if _customer(request):
        return Redirect(_portal_next(next))
    return _portal_page(request, "register.html", next=_portal_next(next))


@post("/logout", guards=[public], include_in_schema=False)
async def logout(request: Request[Any, Any, Any]) -> Redirect:
    await end_session(request)
    return Redirect("/portal")


@get("/csat/{token:str}", guards=[public], include_in_schema=False)
async def csat_page(request: Request[Any, Any, Any], db_session: AsyncSession, token: str) -> Template:
    settings: Settings = request.app.state.settings
    try:
        ticket = await ticket_service.get(db_session, portal.check_csat_token(settings.secret_key, token))
    except (ValidationFailed, NotFound):
        # One answer for forged, expired and dangling links: which one it is helps nobody but a forger.
        return _portal_page(request, "csat.html", status_code=404, ticket=None, token=token)
    return _portal_page(request, "csat.html", ticket=ticket, token=token)


# -- the signed-in customer's pages ------------------------------------------------------------


@get("/tickets/new", guards=[requires(Role.CUSTOMER)], include_in_schema=False)
async def new_ticket_page(request: Request[Any, Any, Any], db_session: AsyncSession, asset: int = 0) -> Template:
    assets = await portal.assets(db_session, _own(request))
    return _portal_page(request, "new_ticket.html", assets=assets, chosen=asset, kinds=portal.PORTAL_KINDS)


@get("/tickets/{ticket_id:int}", guards=[requires(Role.CUSTOMER)], include_in_schema=False)
async def ticket_page(request: Request[Any, Any, Any], db_session: AsyncSession, ticket_id: int) -> Template:
    try:
        detail = await portal.ticket(db_session, _own(request), ticket_id)
    except NotFound:  # someone else's ticket is not there at all, as in the API
        return _portal_page(request, "not_found.html", status_code=404)
    return _portal_page(request, "ticket.html", t=detail.ticket, messages=detail.messages)


# -- errors on portal pages ---------------------------------------------------------------------


def _wants_page(request: Request[Any, Any, Any]) -> bool:
    return "text/html" in request.headers.get("accept", "")


def _sign_in_url(request: Request[Any, Any, Any]) -> str:
    query = request.url.query
    return "/portal/login?next=" + quote(request.url.path + (f"?{query}" if query else ""), safe="/")


def _to_sign_in(request: Request[Any, Any, Any], exc: NotAuthorizedException) -> Response[Any]:
    """The portal's own sign-in, not the staff one, for a browser; scripts get the API's JSON 401."""
    if not _wants_page(request):
        return web_errors.not_authorized(request, exc)
    return Redirect(_sign_in_url(request))


def _not_a_customer(request: Request[Any, Any, Any], exc: PermissionDeniedException) -> Response[Any]:
    # Staff signed in on the same browser: the sign-in page explains and lets them switch accounts.
    if not _wants_page(request):
        return web_errors.http_error(request, exc)
    return Redirect(_sign_in_url(request))


def _slow_down(request: Request[Any, Any, Any], exc: TooManyRequestsException) -> Response[Any]:
    if not _wants_page(request):
        return web_errors.http_error(request, exc)
    return _portal_page(request, "too_many.html", status_code=429)


portal_router = Router(
    path="/portal",
    route_handlers=[
        portal_home,
        article_page,
        login_page,
        login_submit,
        register_page,
        logout,
        csat_page,
        new_ticket_page,
        ticket_page,
    ],
    # The same per-address budget as the portal API: page views and password guesses count too.
    middleware=[PORTAL_RATE.middleware],
    exception_handlers={
        NotAuthorizedException: _to_sign_in,
        PermissionDeniedException: _not_a_customer,
        TooManyRequestsException: _slow_down,
    },
)

PORTAL_ROUTES: list[Any] = [portal_router]
__all__ = ["PORTAL_ROUTES", "portal_js_strings"]
