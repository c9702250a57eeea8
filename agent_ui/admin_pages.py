"""Admin pages (`/admin`): knowledge-base articles and synonyms, and the offer catalogue.

Lists and forms are rendered from the same service functions the JSON API uses; saving goes through
`/api/kb` and `/api/offers` from admin.js, so the API's checks are the only ones and its messages are
what the admin reads. Who may open a page is who may write through its API (`EDITORS`, `LEADS`).
"""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Request, Response, Router, get
from litestar.exceptions import PermissionDeniedException
from litestar.response import Template
from sqlalchemy.ext.asyncio import AsyncSession

from agent_ui import i18n
from agent_ui.pages import _page
from contact_center import web_errors
from contact_center.auth import service as auth_service
from contact_center.auth.guards import current_user, requires
from contact_center.errors import NotFound
from contact_center.kb import articles
from contact_center.kb.controllers import EDITORS
from contact_center.offers import service as offer_service
from contact_center.offers.controllers import LEADS
from contact_center.offers.reasons import TEMPLATE_PLACEHOLDERS
from contact_center.offers.rules import TIERS, OfferRules
from knowledge_base.synonyms import DEFAULT_GROUPS

PAGE_SIZE = 25
AUDIENCES = {"public": True, "internal": False}

# Texts admin.js shows, translated on the server like the desk's (no i18n code in the browser).
ADMIN_JS_STRINGS = {
    "failed": "Could not complete this:",
    "offline": "No connection: check your network and try again.",
    "fix_marked": "Please correct the marked fields:",
    "no_history": "No earlier versions yet.",
    "created": "Created",
    "changed": "Changed:",
    "previous_version": "Show the previous version",
    "system": "import or system",
    "title": "Title",
    "body": "Body",
    "lang": "Language",
    "tags": "Tags",
    "product": "Product",
    "category": "Category",
    "public": "Visibility",
    "status": "Status",
    "lang_zh-Hant": "Traditional Chinese",
    "lang_zh-Hans": "Simplified Chinese",
    "lang_en": "English",
    "draft": "Draft",
    "published": "Published",
    "visible_public": "Public",
    "visible_internal": "Internal",
    "ask_first": "Type a question a customer would ask.",
    "rank": "This article ranks {rank} of {total} results.",
    "not_ranked": "This article is not among the first {total} results for this question.",
    "no_results": "No article answers this question yet.",
    "draft_not_suggested": "Drafts are never suggested: publish the article to test it.",
    "delete_group": "Delete this synonym group?",
    "whole_number": "enter a whole number, or leave it empty",
}


def admin_js_strings() -> dict[str, str]:
    return {key: i18n.gettext(text) for key, text in ADMIN_JS_STRINGS.items()}


def _join(items: list[str]) -> str:
    return ("、" if i18n.current_locale().startswith("zh") else ", ").join(items)


def rule_summary(rules: OfferRules) -> list[str]:
    """The rules in the admin's words, one phrase per condition (rendered in the request's language)."""
    _, n_ = i18n.gettext, i18n.ngettext
    parts = []
    if rules.owns:
        parts.append(_("Owns %(models)s") % {"models": _join(rules.owns)})
    if rules.not_owns:
        parts.append(_("Does not own %(models)s") % {"models": _join(rules.not_owns)})
    low, high = rules.min_asset_age_years, rules.max_asset_age_years
    if low is not None and high is not None:
        parts.append(_("Product %(low)s–%(high)s years old") % {"low": low, "high": high})
    elif low is not None:
        parts.append(n_("Product at least %(num)s year old", "Product at least %(num)s years old", low) % {"num": low})
    elif high is not None:
        parts.append(n_("Product at most %(num)s year old", "Product at most %(num)s years old", high) % {"num": high})
    if (days := rules.warranty_ends_within_days) is not None:
        parts.append(n_("Warranty ends within %(num)s day", "Warranty ends within %(num)s days", days) % {"num": days})
    if (days := rules.warranty_ended_within_days) is not None:
        parts.append(n_("Warranty ended in the last %(num)s day", "Warranty ended in the last %(num)s days", days)
                     % {"num": days})  # fmt: skip
    if rules.min_repairs is not None or rules.repairs_within_months is not None:
        parts.append(_repairs(rules.min_repairs or 1, rules.repairs_within_months))
    if rules.abnormal_repairs is not None:
        parts.append(_("Product repaired abnormally often") if rules.abnormal_repairs
                     else _("Product not flagged for abnormal repairs"))  # fmt: skip
    if rules.tiers:
        parts.append(_("Tier: %(tiers)s") % {"tiers": _join([_(tier) for tier in rules.tiers])})
    if rules.cue_words:
        template = _("Only when heard: %(words)s") if rules.required_cue else _("Cue words: %(words)s")
        parts.append(template % {"words": _join(rules.cue_words)})
    return parts or [_("Every customer")]


def _repairs(count: int, months: int | None) -> str:
    # Without a window every repair counts (rules.py), so the phrase names no period.
    if months is None:
        return i18n.ngettext("At least %(num)s repair", "At least %(num)s repairs", count) % {"num": count}
    window = i18n.ngettext("in the last month", "in the last %(num)s months", months) % {"num": months}
    return i18n.ngettext("At least %(num)s repair %(window)s", "At least %(num)s repairs %(window)s", count) % {
        "num": count,
        "window": window,
    }


def _admin_page(request: Request[Any, Any, Any], name: str, status_code: int = 200, **context: Any) -> Template:
    return _page(request, f"admin/{name}", status_code, js_strings=admin_js_strings, **context)


def _not_found(request: Request[Any, Any, Any], back: str) -> Template:
    return _admin_page(request, "not_found.html", status_code=404, back=back)


# -- knowledge base ---------------------------------------------------------------------------------


@get("/kb", guards=[requires(*EDITORS)], include_in_schema=False)
async def kb_list(
    request: Request[Any, Any, Any],
    db_session: AsyncSession,
    q: str = "",
    status: str = "",
    lang: str = "",
    audience: str = "",
    offset: int = 0,
) -> Template:
    # Unknown filter values are dropped rather than refused: they come from hand-edited or stale links.
    found = await articles.search_list(
        db_session, q=q.strip() or None, status=status if status in articles.STATUSES else None,
        lang=lang if lang in articles.LANGS else None, public=AUDIENCES.get(audience), limit=PAGE_SIZE,
        offset=max(offset, 0),
    )  # fmt: skip
    filters = {"q": q.strip(), "status": status, "lang": lang, "audience": audience}
    return _admin_page(request, "kb_list.html", found=found, filters=filters, langs=articles.LANGS)


@get("/kb/new", guards=[requires(*EDITORS)], include_in_schema=False)
async def kb_new(request: Request[Any, Any, Any]) -> Template:
    return _admin_page(request, "kb_edit.html", article=None, langs=articles.LANGS, saved=False)


@get("/kb/{article_id:int}", guards=[requires(*EDITORS)], include_in_schema=False)
async def kb_edit(
    request: Request[Any, Any, Any], db_session: AsyncSession, article_id: int, saved: str = ""
) -> Template:
    try:
        article = articles.to_schema(await articles.get(db_session, article_id))
    except NotFound:
        return _not_found(request, "/admin/kb")
    return _admin_page(request, "kb_edit.html", article=article, data=msgspec.to_builtins(article),
                       langs=articles.LANGS, names=await _editor_names(request, db_session, article_id),
                       saved=bool(saved))  # fmt: skip


async def _editor_names(request: Request[Any, Any, Any], db_session: AsyncSession, article_id: int) -> dict[int, str]:
    """Display names of the people in the article's history: the revisions API carries only their ids."""
    user = current_user(request)
    names = {user.id: user.display_name} if user else {}  # the next save is theirs
    history = await articles.revisions(db_session, article_id)
    for actor_id in sorted({r.actor_id for r in history if r.actor_id is not None} - names.keys()):
        editor = await auth_service.current_user_by_id(db_session, actor_id)
        if editor is not None:  # a deactivated account shows as its number
            names[editor.id] = editor.display_name
    return names


@get("/kb/synonyms", guards=[requires(*EDITORS)], include_in_schema=False)
async def kb_synonyms(request: Request[Any, Any, Any], db_session: AsyncSession) -> Template:
    groups = await articles.synonym_groups(db_session)
    return _admin_page(request, "synonyms.html", groups=groups, built_in=DEFAULT_GROUPS)


# -- offers -----------------------------------------------------------------------------------------


@get("/offers", guards=[requires(*LEADS)], include_in_schema=False)
async def offer_list(request: Request[Any, Any, Any], db_session: AsyncSession, saved: str = "") -> Template:
    catalogue = await offer_service.offers(db_session)
    report = {row.offer_id: row for row in await offer_service.conversion(db_session)}
    return _admin_page(request, "offers.html", offers=catalogue, report=report, rule_summary=rule_summary,
                       saved=saved[:32])  # fmt: skip


@get("/offers/new", guards=[requires(*LEADS)], include_in_schema=False)
async def offer_new(request: Request[Any, Any, Any]) -> Template:
    return _offer_form(request, None)


@get("/offers/{offer_id:int}", guards=[requires(*LEADS)], include_in_schema=False)
async def offer_edit(request: Request[Any, Any, Any], db_session: AsyncSession, offer_id: int) -> Template:
    try:
        offer = await offer_service.offer(db_session, offer_id)
    except NotFound:
        return _not_found(request, "/admin/offers")
    return _offer_form(request, offer)


def _offer_form(request: Request[Any, Any, Any], offer: offer_service.OfferOut | None) -> Template:
    rules = offer.rules if offer else OfferRules()
    return _admin_page(request, "offer_edit.html", offer=offer, rules=rules, tiers=TIERS,
                       placeholders=sorted(TEMPLATE_PLACEHOLDERS))  # fmt: skip


# -- errors -----------------------------------------------------------------------------------------


def _forbidden(request: Request[Any, Any, Any], exc: PermissionDeniedException) -> Response[Any]:
    """A page saying so for a browser (the nav hides these links, but a bookmark or a shared link may
    still lead here); scripts get the API's JSON 403."""
    if "text/html" not in request.headers.get("accept", ""):
        return web_errors.http_error(request, exc)
    return _admin_page(request, "forbidden.html", status_code=403)


admin_router = Router(
    path="/admin",
    route_handlers=[kb_list, kb_new, kb_edit, kb_synonyms, offer_list, offer_new, offer_edit],
    exception_handlers={PermissionDeniedException: _forbidden},
)

ADMIN_ROUTES: list[Any] = [admin_router]
__all__ = ["ADMIN_ROUTES", "admin_js_strings", "rule_summary"]
