"""The QA dashboard (`/qa`): repair alerts (stored flags, new ones live over `/ws/supervisor`), repair
anomalies, complaint trends and service quality as charts and tables.

The page is a shell: qa.js reads `/api/analytics/*` for the charts and `/api/tickets` for the drill-down,
so the numbers on screen are the API's and who may open the page is who may read the API (`QA`).
Charts are Chart.js, served from /static/vendor (no CDN); CSV files are made in the browser from the rows
shown, with a BOM so that Excel opens them as UTF-8.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from litestar import Request, Response, Router, get
from litestar.exceptions import PermissionDeniedException
from litestar.response import Template

from agent_ui import i18n
from agent_ui.pages import _page
from contact_center import clock, web_errors
from contact_center.analytics.controllers import QA
from contact_center.auth.guards import requires

DEFAULT_WEEKS = 12

# Texts qa.js shows, translated on the server like admin.js's (no i18n code in the browser).
QA_JS_STRINGS = {
    "failed": "Could not complete this:",
    "offline": "No connection: check your network and try again.",
    "loading": "Loading…",
    "no_rows": "Nothing to show for this period.",
    "flagged_units": "Flagged units",
    "first_contact_resolution": "First-contact resolution (%)",
    "csat": "CSAT (1–5)",
    "unit": "Unit",
    "model": "Model",
    "age_years": "Age (years)",
    "repairs": "Repairs",
    "expected": "Expected",
    "rate_ratio": "Rate ratio",
    "score": "Score",
    "topic": "Topic",
    "keywords": "Keywords",
    "total": "Total",
    "category": "Category",
    "product": "Product model",
    "channel": "Channel",
    "share": "Share",
    "not_recorded": "Not recorded",
    "other": "Other",
    "phone": "Phone",
    "web": "Web",
    "email": "Email",
    "line": "LINE",
    "store": "Store",
    "visit": "Visit",
    "chat": "Chat",
    "emerging": "Emerging",
    "emerging_since": "rising since the week of {week}",
    "agent": "Agent",
    "queue": "Queue",
    "week": "Week",
    "resolved": "Resolved",
    "fcr": "First-contact resolution",
    "reopen_rate": "Reopen rate",
    "rated": "Ratings",
    "calls": "Calls",
    "average_handle": "Average handle time (s)",
    "ticket": "Ticket",
    "created": "Created at",
    "kind": "Kind",
    "status": "Status",
    "subject": "Subject",
    "resolved_at": "Resolved at",
    "tickets_of_unit": "Tickets of unit {unit}",
    "tickets_of_model": "Tickets of the flagged {model} units",
    "complaints_of_week": "Complaints created in the week of {week}",
    "resolved_by": "Tickets resolved in the period: {label}",
    "shown_of_total": "{shown} of {total} tickets",
    "no_owner": "No one",
    "kind_unit": "Unit",
    "kind_model": "Model",
    "kind_technician": "Technician",
    "evidence_unit": "{repairs} repairs / {expected} expected (×{ratio})",
    "evidence_model": "{recent} recent repairs / {expected} expected (×{ratio})",
    "evidence_technician": "{reworks} of {repairs} repairs came back / {expected} expected (×{ratio})",
    "acknowledge": "Acknowledge",
    "acknowledged": "Acknowledged",
    "live": "Live",
    "reconnecting": "Reconnecting…",
}


def qa_js_strings() -> dict[str, str]:
    return {key: i18n.gettext(text) for key, text in QA_JS_STRINGS.items()}


def _qa_page(request: Request[Any, Any, Any], name: str, status_code: int = 200, **context: Any) -> Template:
    return _page(request, f"qa/{name}", status_code, js_strings=qa_js_strings, **context)


@get("/", guards=[requires(*QA)], include_in_schema=False)
async def dashboard(request: Request[Any, Any, Any]) -> Template:
    """The dashboard, its period defaulting to the last 12 weeks up to today (Taipei)."""
    today = clock.today()
    defaults = {"from": (today - dt.timedelta(weeks=DEFAULT_WEEKS)).isoformat(), "to": today.isoformat(),
                "as_of": today.isoformat()}  # fmt: skip
    return _qa_page(request, "dashboard.html", defaults=defaults)


def _forbidden(request: Request[Any, Any, Any], exc: PermissionDeniedException) -> Response[Any]:
    """A page for a browser, the API's JSON 403 for scripts (as on the admin pages)."""
    if "text/html" not in request.headers.get("accept", ""):
        return web_errors.http_error(request, exc)
    return _qa_page(request, "forbidden.html", status_code=403)


qa_router = Router(path="/qa", route_handlers=[dashboard], exception_handlers={PermissionDeniedException: _forbidden})

QA_ROUTES: list[Any] = [qa_router]
__all__ = ["QA_ROUTES", "qa_js_strings"]
