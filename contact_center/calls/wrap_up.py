"""After the call: the dispositions leads keep, and the wrap-up an agent saves — on the call, on the
customer's contact record and, as an internal note, on the call's ticket."""

from __future__ import annotations

import msgspec
from sqlalchemy.ext.asyncio import AsyncSession

from contact_center import clock
from contact_center.calls import repository
from contact_center.calls import schemas as s
from contact_center.calls.screen_pop import to_schema
from contact_center.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from contact_center.models import Disposition
from contact_center.tickets import service as ticket_service
from contact_center.tickets.schemas import TicketMessageCreate

WRAPPABLE = ("answered", "ended")
CODE_CHARACTERS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_")


def _schema(d: Disposition) -> s.Disposition:
    return s.Disposition(id=d.id, code=d.code, label_zh=d.label_zh, label_en=d.label_en, position=d.position,
                         active=d.active)  # fmt: skip


def label(d: Disposition | s.Disposition, locale: str) -> str:
    return d.label_zh if locale.startswith("zh") else d.label_en


async def dispositions(session: AsyncSession, *, active_only: bool = True) -> list[s.Disposition]:
    return [_schema(d) for d in await repository.dispositions(session, active_only)]


def _check_labels(label_zh: str | None, label_en: str | None) -> None:
    for field, value in (("label_zh", label_zh), ("label_en", label_en)):
        if value is not None and not value.strip():
            raise ValidationFailed("{field} must not be empty", field=field)


async def create_disposition(session: AsyncSession, data: s.DispositionCreate) -> s.Disposition:
    code = data.code.strip().lower()
    if not code or not set(code) <= CODE_CHARACTERS:
        raise ValidationFailed("code must use a-z, 0-9 and _ only")
    _check_labels(data.label_zh, data.label_en)
    if await repository.disposition_by_code(session, code) is not None:
        raise Conflict("code: a disposition {code} exists already", code=code)
    row = Disposition(code=code, label_zh=data.label_zh.strip(), label_en=data.label_en.strip(),
                      position=data.position, active=data.active)  # fmt: skip
    session.add(row)
    await session.flush()
    return _schema(row)


async def update_disposition(session: AsyncSession, disposition_id: int, data: s.DispositionUpdate) -> s.Disposition:
    """Changes labels, order or whether agents may still choose it; the code stays (reports use it)."""
    row = await session.get(Disposition, disposition_id)
    if row is None:
        raise NotFound("no disposition {disposition_id}", disposition_id=disposition_id)
    changes = {k: v for k, v in msgspec.structs.asdict(data).items() if v is not msgspec.UNSET}
    _check_labels(changes.get("label_zh"), changes.get("label_en"))
    for field, value in changes.items():
        setattr(row, field, value.strip() if isinstance(value, str) else value)
    await session.flush()
    return _schema(row)


async def wrap_up(
    session: AsyncSession, call_row_id: int, data: s.WrapUpCreate, user_id: int, *, lead: bool, locale: str = "zh-Hant"
) -> s.Call:
    """Saves the disposition and note once; the call's agent (or a lead) only."""
    call = await repository.get_call_by_row(session, call_row_id, for_update=True)
    if call is None:
        raise NotFound("no call {call_row_id}", call_row_id=call_row_id)
    if call.agent_id != user_id and not lead:
        raise PermissionDenied("only the agent who took the call can wrap it up")
    if call.state not in WRAPPABLE:
        raise Conflict("a {state} call cannot be wrapped up", state=call.state)
    if (call.extra or {}).get("wrap_up"):
        raise Conflict("this call is wrapped up already")
    disposition = await repository.disposition_by_code(session, data.disposition)
    if disposition is None or not disposition.active:
        raise ValidationFailed("disposition: no active disposition {code}", code=data.disposition)
    note = (data.note or "").strip() or None
    now = clock.now()
    call.extra = {**(call.extra or {}), "wrap_up": {"disposition": disposition.code, "note": note, "by": user_id,
                                                   "at": now.isoformat()}}  # fmt: skip
    text = label(disposition, locale) + (
        f"：{note}" if locale.startswith("zh") and note else f": {note}" if note else ""
    )
    for contact in await repository.contacts_of_call(session, call.call_id):
        contact.summary = "\n".join(part for part in (contact.summary, text) if part)
        contact.extra = {**(contact.extra or {}), "disposition": disposition.code}
    if call.ticket_id is not None:
        await ticket_service.add_message(
            session, call.ticket_id, TicketMessageCreate(body=text, internal=True), user_id
        )
    await session.flush()
    return to_schema(call)
