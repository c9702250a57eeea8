"""Canned replies (macros): written by leads in either language, with placeholders filled from the
ticket when an agent inserts one ({customer_name}, {ticket_id}, {subject}, {agent_name})."""

from __future__ import annotations

import string

import msgspec
from sqlalchemy.ext.asyncio import AsyncSession

from contact_center.bounded import LongText, Text16, Text100
from contact_center.errors import NotFound, ValidationFailed
from contact_center.models import Macro
from contact_center.tickets import repository
from contact_center.tickets import service as ticket_service

PLACEHOLDERS = ("customer_name", "ticket_id", "subject", "agent_name")
LANGS = ("zh-Hant", "en")
MAX_BODY = 5_000


class MacroOut(msgspec.Struct):
    id: int
    title: str
    body: str
    lang: str
    active: bool


class MacroIn(msgspec.Struct):
    title: Text100
    body: LongText
    lang: Text16 = "zh-Hant"
    active: bool = True


class Rendered(msgspec.Struct):
    macro_id: int
    text: str


def _schema(m: Macro) -> MacroOut:
    return MacroOut(id=m.id, title=m.title, body=m.body, lang=m.lang, active=m.active)


def _fields(body: str) -> list[str]:
    try:
        return [name for _, name, _, _ in string.Formatter().parse(body) if name is not None]
    except ValueError:
        raise ValidationFailed("body: an unmatched brace") from None


def _check(data: MacroIn) -> None:
    if not data.title.strip():
        raise ValidationFailed("title must not be empty")
    if not data.body.strip():
        raise ValidationFailed("body must not be empty")
    if len(data.body) > MAX_BODY:
        raise ValidationFailed("body must be at most {max_body} characters", max_body=MAX_BODY)
    if data.lang not in LANGS:
        raise ValidationFailed("{field} must be one of {choices}", field="lang", choices=", ".join(LANGS))
    unknown = sorted({name for name in _fields(data.body) if name not in PLACEHOLDERS})
    if unknown:
        raise ValidationFailed(
            "body: unknown placeholder {names}; use {choices}",
            names=", ".join(unknown),
            choices=", ".join(PLACEHOLDERS),
        )


async def macros(session: AsyncSession, *, active_only: bool = True) -> list[MacroOut]:
    return [_schema(m) for m in await repository.macros(session, active_only)]


async def create(session: AsyncSession, data: MacroIn, actor_id: int | None) -> MacroOut:
    _check(data)
    macro = Macro(title=data.title.strip(), body=data.body.strip(), lang=data.lang, active=data.active,
                  updated_by=actor_id)  # fmt: skip
    session.add(macro)
    await session.flush()
    return _schema(macro)


async def _get(session: AsyncSession, macro_id: int) -> Macro:
    macro = await session.get(Macro, macro_id)
    if macro is None:
        raise NotFound("no macro {macro_id}", macro_id=macro_id)
    return macro


async def update(session: AsyncSession, macro_id: int, data: MacroIn, actor_id: int | None) -> MacroOut:
    _check(data)
    macro = await _get(session, macro_id)
    macro.title, macro.body, macro.lang, macro.active = data.title.strip(), data.body.strip(), data.lang, data.active
    macro.updated_by = actor_id
    await session.flush()
    return _schema(macro)


async def delete(session: AsyncSession, macro_id: int) -> None:
    await session.delete(await _get(session, macro_id))


async def render(session: AsyncSession, macro_id: int, ticket_id: int, agent_name: str) -> Rendered:
    """The macro's text for this ticket: placeholders filled, `{{`/`}}` as literal braces."""
    macro = await _get(session, macro_id)
    ticket = await ticket_service.get(session, ticket_id)
    customer = await repository.customer_name(session, ticket.customer_id)
    values = {"customer_name": customer or "", "ticket_id": str(ticket.id), "subject": ticket.subject,
              "agent_name": agent_name}  # fmt: skip
    try:
        text = macro.body.format_map(values)
    except (KeyError, ValueError, IndexError):  # written before a check existed: insert it as written
        text = macro.body
    return Rendered(macro_id=macro.id, text=text)
