"""Page routes: sign-in, the agent desk (customer search) and the customer view."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from litestar import Request, Response, get, post
from litestar.datastructures import CacheControlHeader
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.response import File, Redirect, Template
from litestar.static_files import create_static_files_router
from litestar.template.config import TemplateConfig
from sqlalchemy.ext.asyncio import AsyncSession

from agent_ui import i18n, labels
from contact_center import clock
from contact_center.access.web import log_access
from contact_center.auth import service as auth_service
from contact_center.auth.controllers import caller_address, second_factor
from contact_center.auth.guards import STAFF, current_user, public, requires
from contact_center.auth.middleware import end_session, start_session
from contact_center.auth.throttle import TooManyAttempts
from contact_center.auth.two_factor import OtpRequired
from contact_center.customers import history as customer_history
from contact_center.customers import service as customer_service
from contact_center.errors import NotAuthenticated, PermissionDenied
from contact_center.messages import LANG_COOKIE
from contact_center.models import Role
from contact_center.phones import display as phone_display
from contact_center.tasks import service as task_service

HERE = Path(__file__).parent


# Texts the desktop's JavaScript shows, translated on the server (no i18n code in the browser).
JS_STRINGS = {
    "ws_connecting": "Connecting…", "ws_connected": "Connected", "ws_reconnecting": "Reconnecting…",
    "offline": "Not connected: try again in a moment.", "dialling": "Dialling", "dial_ok": "Call placed to",
    "dial_failed": "The call could not be placed:",
    "dial_not_connected": "telephony not connected; try again when the phone system is back.",
    "state_available": "Available", "state_away": "Away",
    "state_wrap_up": "Wrap-up", "state_offline": "Offline", "low": "low", "normal": "normal", "high": "high",
    "urgent": "urgent", "repairs": "Repairs", "open_tickets": "Open tickets",
    "recent_tickets": "Ticket history",
    "products": "Products owned", "satisfaction": "Satisfaction", "none": "None", "name": "Name",
    "shared_number": "Several customers share this number: who is calling?", "unknown_caller": "Unknown caller",
    "create_customer": "Create customer", "find_customer": "Find a customer by name or number",
    "attach_number": "Attach this number", "withheld": "Number withheld", "call_ringing": "Ringing",
    "call_offered": "Waiting", "call_answered": "On call", "call_ended": "Ended", "call_abandoned": "Abandoned",
    "change_answered": "On call", "change_missed": "Missed", "change_transferred": "Transferred",
    "change_abandoned": "Caller hung up", "change_ended": "Ended", "ticket_subject": "Ticket subject",
    "kind": "Kind", "create_ticket": "Create ticket", "ticket_created": "Ticket created", "contacts": "Contacts",
    "reminder": "Follow-up due", "task_done": "Recorded", "sla_warning": "Deadline approaching:",
    "no_suggestions": "No matching article yet: keep typing.", "helpful": "Helpful", "not_helpful": "Not helpful",
    "thanks_feedback": "Thanks: later suggestions will use it.", "internal": "internal",
    "suggested_answers": "Suggested answers", "offers": "Offers", "no_offers": "No offer fits this customer now.",
    "repair_anomaly": "Abnormal repair frequency (repairs / expected)",
    "repair_flag": "Abnormal repair frequency: {repairs} repairs / {expected} expected",
    "repair_flag_since": "Flagged since",
    "repair_flag_episodes": "Failures counted over three years; reports of one unit within 3 days count once",
    "repair_anomaly_model": "Model repaired more often than before",
    "repair_anomaly_technician": "Technician's repairs come back often",
    "repair_flags_found": "The repair scan found {n} new flags: see the QA alerts",
    "insert_into_reply": "Insert into reply", "inserted": "Inserted",
    "is_viewing": "{name} has this ticket open", "is_typing": "{name} is typing…",
    "wb_waiting": "waiting", "wb_longest_wait": "longest wait",
    "wb_service_level": "answered in 20 s (target {target}%)",
    "wb_abandoned": "abandoned", "wb_answered": "Calls answered", "wb_aht": "Average handle time", "wb_calls": "Calls",
    "wb_resolved": "Resolved", "wb_open": "Open", "wb_unassigned": "Unassigned", "wb_reassign": "Reassign ticket {id}",
    "wb_reassigned": "Reassigned",
    "shared_number_short": "Shared number", "loading_history": "Loading the customer's history…",
    "call_wrap_up": "Wrap-up", "show_customer": "Customer", "dismiss": "Dismiss", "close": "Close",
    "disposition": "Disposition", "choose_disposition": "Choose a disposition…", "wrapup_note": "Wrap-up note",
    "wrapup_save": "Save wrap-up", "wrapup_saved": "Wrap-up saved",
    "offer_accept": "Accepted", "offer_later": "Later", "offer_decline": "Declined", "offer_recorded": "Recorded",
    **{word: word for word in ("inquiry", "repair", "complaint", "billing", "installation", "maintenance",
                               "cancellation", "new", "open", "pending", "on_hold", "resolved", "closed", "vip",
                               "gold", "standard", "basic", "in_warranty", "expiring", "expired", "unknown",
                               "call", "email", "web", "line", "visit")},
}  # fmt: skip


def js_strings() -> dict[str, str]:
    return {**labels.all_labels(), **{key: i18n.gettext(text) for key, text in JS_STRINGS.items()}}


def when(value: dt.datetime | dt.date | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """An instant as a Taipei time, whatever zone the server runs in (times are stored in UTC)."""
    if value is None:
        return ""
    if not isinstance(value, dt.datetime):
        return value.strftime(fmt.split(" ")[0])
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(clock.TAIPEI).strftime(fmt)


def minutes_left(due: dt.datetime | None, now: dt.datetime) -> int | None:
    """Whole minutes to a deadline, negative once it passed (rounded towards the past)."""
    if due is None:
        return None
    if due.tzinfo is None:
        due = due.replace(tzinfo=dt.UTC)
    return math.floor((due - now).total_seconds() / 60)


def _install(engine: JinjaTemplateEngine) -> None:
    env = engine.engine
    env.add_extension("jinja2.ext.i18n")
    env.install_gettext_callables(i18n.gettext, i18n.ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.globals["current_locale"] = i18n.current_locale
    env.globals["phone_display"] = phone_display
    env.globals["LOCALES"] = i18n.LOCALES
    env.globals["js_strings"] = js_strings
    env.globals["taipei"] = clock.TAIPEI
    env.globals["minutes_left"] = minutes_left
    env.filters["when"] = when
    env.globals["label"] = labels.label


def template_config() -> TemplateConfig[JinjaTemplateEngine]:
    return TemplateConfig(directory=HERE / "templates", engine=JinjaTemplateEngine, engine_callback=_install)


def _page(request: Request[Any, Any, Any], name: str, status_code: int = 200, **context: Any) -> Template:
    i18n.set_locale(i18n.negotiate(request.cookies.get(LANG_COOKIE), request.headers.get("accept-language")))
    return Template(name, context={"user": current_user(request), **context}, status_code=status_code)


HOMES = {Role.AGENT: "/desk/tickets", Role.SUPERVISOR: "/wallboard", Role.QA: "/qa", Role.ADMIN: "/admin/kb",
         Role.CUSTOMER: "/portal"}  # fmt: skip


def home_for(role: str | None) -> str:
    """Where each role starts its day: agents their tickets, supervisors the wallboard, QA its dashboard."""
    return HOMES.get(Role(role), "/desk") if role is not None and role in Role._value2member_map_ else "/login"


def _safe_next(target: str | None, role: str | None = None) -> str:
    """A local path to go on to (an open redirect would let a phishing link bounce through our sign-in);
    none given: the role's home, or "/" (which sends each role home) before we know who it is."""
    if target and target.startswith("/") and not target.startswith("//") and target != "/":
        return target
    return home_for(role) if role else "/"


@dataclass
class LoginForm:
    username: str = ""
    password: str = ""
    otp: str = ""
    next: str = ""


@get("/login", guards=[public], include_in_schema=False)
async def login_page(request: Request[Any, Any, Any], next: str | None = None) -> Template:
    return _page(request, "login.html", next=_safe_next(next))


@post("/login", guards=[public], include_in_schema=False)
async def login_submit(
    request: Request[Any, Any, Any],
    db_session: AsyncSession,
    data: Annotated[LoginForm, Body(media_type=RequestEncodingType.URL_ENCODED)],
) -> Template | Redirect:
    try:
        user = await auth_service.sign_in(db_session, request.app.state.login_throttle, data.username.strip(),
                                          data.password, caller_address(request), data.otp.strip() or None,
                                          second_factor(request))  # fmt: skip
    except OtpRequired:
        return _page(request, "login.html", status_code=401, otp_required=True, username=data.username.strip(),
                     next=_safe_next(data.next))  # fmt: skip
    except PermissionDenied:
        return _page(request, "login.html", status_code=403, needs_setup=True, next=_safe_next(data.next))
    except TooManyAttempts as exc:
        response = _page(
            request, "login.html", status_code=429, error=True, retry_after=exc.retry_after, next=_safe_next(data.next)
        )
        response.headers["Retry-After"] = str(exc.retry_after)
        return response
    except NotAuthenticated:
        return _page(request, "login.html", status_code=401, error=True, next=_safe_next(data.next))
    start_session(request, user.id)
    return Redirect(_safe_next(data.next, user.role))


@post("/logout", guards=[public], include_in_schema=False)
async def logout(request: Request[Any, Any, Any]) -> Redirect:
    await end_session(request)
    return Redirect("/login")


@get("/lang/{locale:str}", guards=[public], include_in_schema=False)
async def choose_language(request: Request[Any, Any, Any], locale: str) -> Redirect:
    response = Redirect(_safe_next(request.headers.get("referer", "").partition(request.url.netloc)[2] or None))
    if locale in i18n.LOCALES:
        response.set_cookie(LANG_COOKIE, locale, max_age=365 * 86400, samesite="lax")
    return response


@get("/", guards=[public], include_in_schema=False)
async def home(request: Request[Any, Any, Any]) -> Redirect:
    user = current_user(request)
    return Redirect(home_for(user.role) if user else "/login")


@get("/desk", guards=[requires(*STAFF)], include_in_schema=False)
async def desk(
    request: Request[Any, Any, Any], db_session: AsyncSession, q: str | None = None, offset: int = 0
) -> Template:
    results = None
    if q and q.strip():
        results = await customer_service.search(db_session, q=q, city=None, tier=None, limit=25, offset=max(offset, 0))
    user = current_user(request)
    tasks = await task_service.worklist(db_session, user.id if user else None, "open", 20, 0)
    customers = {
        cid: customer_service.to_schema(await customer_service.get(db_session, cid))
        for cid in {t.customer_id for t in tasks.items if t.customer_id}
    }
    return _page(request, "desk.html", q=q or "", results=results, tasks=tasks, task_customers=customers)


@get("/desk/customers/{customer_id:int}", guards=[requires(*STAFF)], include_in_schema=False)
async def customer_page(
    request: Request[Any, Any, Any],
    db_session: AsyncSession,
    customer_id: int,
    offset: int = 0,
) -> Template:
    view = await customer_history.history(db_session, customer_id, tickets_limit=20, tickets_offset=max(offset, 0))
    log_access(request, db_session, customer_id)
    return _page(request, "customer.html", h=view)


@get("/wallboard", guards=[requires(Role.ADMIN, Role.SUPERVISOR, Role.QA)], include_in_schema=False)
async def wallboard_page(request: Request[Any, Any, Any], tv: bool = False) -> Template:
    """The supervisor's board; `?tv=1` is the same board for a screen on the wall (big, no controls)."""
    user = current_user(request)
    controls = not tv and user is not None and user.role in (Role.ADMIN, Role.SUPERVISOR)
    return _page(request, "wallboard.html", tv=tv, controls=controls)


@get("/favicon.ico", guards=[public], include_in_schema=False, cache_control=CacheControlHeader(max_age=86400))
async def favicon() -> File:
    """For clients that ask for /favicon.ico whatever the page says (the pages link the SVG)."""
    return File(HERE / "static" / "favicon.ico", media_type="image/x-icon", content_disposition_type="inline")


static_files = create_static_files_router(
    path="/static", directories=[HERE / "static"], guards=[public], include_in_schema=False
)

ROUTES: list[Any] = [
    login_page,
    login_submit,
    logout,
    choose_language,
    home,
    desk,
    customer_page,
    wallboard_page,
    static_files,
    favicon,
]
__all__ = ["ROUTES", "Response", "template_config"]
