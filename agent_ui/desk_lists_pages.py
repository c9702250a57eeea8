"""What leads keep for the desk (`/admin/desk`): canned replies (macros) and call dispositions.

Server-rendered forms (htmx, plain posts without JavaScript) over the same domain services as
`/api/macros` and `/api/dispositions`; a refused change comes back as the same section with the message.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from litestar import Request, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from agent_ui.pages import _page
from contact_center import web_errors
from contact_center.auth.guards import current_user, requires
from contact_center.calls import schemas as call_schemas
from contact_center.calls import wrap_up
from contact_center.errors import DomainError
from contact_center.models import Role
from contact_center.tickets import macros

LEADS = (Role.ADMIN, Role.SUPERVISOR)
FORM = Body(media_type=RequestEncodingType.URL_ENCODED)


async def _context(db_session: AsyncSession) -> dict[str, Any]:
    return {
        "macros": await macros.macros(db_session, active_only=False),
        "dispositions": await wrap_up.dispositions(db_session, active_only=False),
        "placeholders": macros.PLACEHOLDERS,
    }


def _answer(
    request: Request[Any, Any, Any], part: str, context: dict[str, Any], error: DomainError | None = None, **extra: Any
) -> Template | Redirect:
    """The section a form changed (a plain post goes back to the page), or it with the refusal (422)."""
    if error is not None:
        return _page(request, part, status_code=422, error=web_errors.error_text(request, error), **context, **extra)
    if request.headers.get("hx-request") != "true":
        return Redirect("/admin/desk", status_code=303)
    return _page(request, part, **context, **extra)


@get("/admin/desk", guards=[requires(*LEADS)], include_in_schema=False)
async def desk_lists(request: Request[Any, Any, Any], db_session: AsyncSession) -> Template:
    return _page(request, "admin/desk_lists.html", **await _context(db_session))


@dataclass
class MacroForm:
    title: str = ""
    body: str = ""
    lang: str = "zh-Hant"
    active: str = ""


def _macro_in(data: MacroForm) -> macros.MacroIn:
    return macros.MacroIn(title=data.title, body=data.body, lang=data.lang, active=data.active in ("1", "on"))


@post("/admin/desk/macros", guards=[requires(*LEADS)], include_in_schema=False, status_code=200)
async def add_macro(
    request: Request[Any, Any, Any], db_session: AsyncSession, data: Annotated[MacroForm, FORM]
) -> Template | Redirect:
    user = current_user(request)
    try:
        await macros.create(db_session, _macro_in(data), user.id if user else None)
    except DomainError as exc:
        return _answer(request, "admin/_macros_list.html", await _context(db_session), error=exc,
                       draft=data)  # fmt: skip
    return _answer(request, "admin/_macros_list.html", await _context(db_session), saved=True)


@post("/admin/desk/macros/{macro_id:int}", guards=[requires(*LEADS)], include_in_schema=False, status_code=200)
async def edit_macro(
    request: Request[Any, Any, Any], db_session: AsyncSession, macro_id: int, data: Annotated[MacroForm, FORM]
) -> Template | Redirect:
    user = current_user(request)
    try:
        await macros.update(db_session, macro_id, _macro_in(data), user.id if user else None)
    except DomainError as exc:
        return _answer(request, "admin/_macros_list.html", await _context(db_session), error=exc)
    return _answer(request, "admin/_macros_list.html", await _context(db_session), saved=True)


@post("/admin/desk/macros/{macro_id:int}/delete", guards=[requires(*LEADS)], include_in_schema=False,
      status_code=200)  # fmt: skip
async def delete_macro(request: Request[Any, Any, Any], db_session: AsyncSession, macro_id: int) -> Template | Redirect:
    try:
        await macros.delete(db_session, macro_id)
    except DomainError as exc:
        return _answer(request, "admin/_macros_list.html", await _context(db_session), error=exc)
    return _answer(request, "admin/_macros_list.html", await _context(db_session))


@dataclass
class DispositionForm:
    code: str = ""
    label_zh: str = ""
    label_en: str = ""
    position: int = 0
    active: str = ""


@post("/admin/desk/dispositions", guards=[requires(*LEADS)], include_in_schema=False, status_code=200)
async def add_disposition(
    request: Request[Any, Any, Any], db_session: AsyncSession, data: Annotated[DispositionForm, FORM]
) -> Template | Redirect:
    new = call_schemas.DispositionCreate(code=data.code, label_zh=data.label_zh, label_en=data.label_en,
                                         position=data.position, active=True)  # fmt: skip
    try:
        await wrap_up.create_disposition(db_session, new)
    except DomainError as exc:
        return _answer(request, "admin/_dispositions_list.html", await _context(db_session),
                       error=exc, draft=data)  # fmt: skip
    return _answer(request, "admin/_dispositions_list.html", await _context(db_session), saved=True)


@post("/admin/desk/dispositions/{disposition_id:int}", guards=[requires(*LEADS)], include_in_schema=False,
      status_code=200)  # fmt: skip
async def edit_disposition(
    request: Request[Any, Any, Any], db_session: AsyncSession, disposition_id: int,
    data: Annotated[DispositionForm, FORM],
) -> Template | Redirect:  # fmt: skip
    change = call_schemas.DispositionUpdate(label_zh=data.label_zh, label_en=data.label_en, position=data.position,
                                            active=data.active in ("1", "on"))  # fmt: skip
    try:
        await wrap_up.update_disposition(db_session, disposition_id, change)
    except DomainError as exc:
        return _answer(request, "admin/_dispositions_list.html", await _context(db_session),
                       error=exc)  # fmt: skip
    return _answer(request, "admin/_dispositions_list.html", await _context(db_session), saved=True)


DESK_LIST_ROUTES: list[Any] = [desk_lists, add_macro, edit_macro, delete_macro, add_disposition, edit_disposition]
