"""Business calendars as data: the SLA arithmetic loads them by name; admins list and edit them.

A changed calendar applies to deadlines computed from then on (new tickets, a new priority, a
reopened or resumed ticket); deadlines already set are kept, so an edit never moves a promise made
to a customer behind the agents' backs.
"""

from __future__ import annotations

import datetime as dt
import re

import msgspec
import structlog
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from contact_center.bounded import Text16, Text200
from contact_center.clock import TAIPEI
from contact_center.db.cache import PerDatabase
from contact_center.errors import Conflict, NotFound, ValidationFailed
from contact_center.models import BusinessCalendarRow, SlaPolicy
from contact_center.sla.calendar import BusinessCalendar
from contact_center.sla.holidays_tw import taiwan_calendar

log = structlog.get_logger(__name__)

NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,31}$")
TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
MAX_DAYS = 2000  # holidays + make-up days: decades of calendar, not a pasted spreadsheet by mistake


class Calendar(msgspec.Struct):
    name: str
    description: str
    weekly: dict[str, list[list[str]]]  # "0" (Monday) .. "6": [["09:00", "12:00"], ...]
    holidays: dict[str, str]  # "2026-01-01": "元旦"
    makeup_workdays: dict[str, str]
    updated_at: dt.datetime


class CalendarWrite(msgspec.Struct, forbid_unknown_fields=True):
    weekly: dict[Text16, list[list[Text16]]]
    description: Text200 = ""
    holidays: dict[dt.date, Text200] = {}
    makeup_workdays: dict[dt.date, Text200] = {}


_loaded: PerDatabase[BusinessCalendar] = PerDatabase()


def _time(text: str) -> dt.time:
    if not TIME.match(text):
        raise ValidationFailed("opening hours must be HH:MM (00:00-23:59), got {text!r}", text=text)
    return dt.time.fromisoformat(text)


def _weekly(weekly: dict[str, list[list[str]]]) -> dict[int, list[tuple[dt.time, dt.time]]]:
    hours: dict[int, list[tuple[dt.time, dt.time]]] = {}
    for day, spans in weekly.items():
        if day not in {str(d) for d in range(7)}:
            raise ValidationFailed("weekly days are 0 (Monday) to 6 (Sunday), got {day!r}", day=day)
        for span in spans:
            if len(span) != 2:
                raise ValidationFailed("an opening span is [start, end], got {span!r}", span=span)
        hours[int(day)] = [(_time(start), _time(end)) for start, end in spans]
    return hours


def _build(weekly: dict[str, list[list[str]]], holidays: dict[str, str], makeup: dict[str, str]) -> BusinessCalendar:
    try:
        return BusinessCalendar(
            weekly=_weekly(weekly),
            holidays=frozenset(dt.date.fromisoformat(d) for d in holidays),
            extra_workdays=frozenset(dt.date.fromisoformat(d) for d in makeup),
            tz=TAIPEI,
        )
    except ValueError as error:  # the arithmetic's own checks: no hours at all, bad weekday
        raise ValidationFailed(str(error)) from error


def _schema(row: BusinessCalendarRow) -> Calendar:
    return Calendar(name=row.name, description=row.description, weekly=row.weekly, holidays=row.holidays,
                    makeup_workdays=row.makeup_workdays, updated_at=row.updated_at)  # fmt: skip


async def calendar_for(session: AsyncSession, name: str) -> BusinessCalendar:
    """The named calendar for the deadline arithmetic (remembered for a few seconds)."""
    found, calendar = _loaded.get(session, name)
    if found and calendar is not None:
        return calendar
    row = (await session.execute(select(BusinessCalendarRow).where(BusinessCalendarRow.name == name))).scalar()
    if row is None:
        # Deleting a calendar in use is refused, so only a hand-edited database gets here: count in
        # the shipped Taiwan office calendar rather than refuse every new ticket.
        log.warning("sla.calendar_missing", calendar=name)
        return _loaded.put(session, taiwan_calendar(), name)
    return _loaded.put(session, _build(row.weekly, row.holidays, row.makeup_workdays), name)


async def calendars(session: AsyncSession) -> list[Calendar]:
    rows = await session.execute(select(BusinessCalendarRow).order_by(BusinessCalendarRow.name))
    return [_schema(r) for r in rows.scalars()]


async def _row(session: AsyncSession, name: str) -> BusinessCalendarRow:
    row = (await session.execute(select(BusinessCalendarRow).where(BusinessCalendarRow.name == name))).scalar()
    if row is None:
        raise NotFound("no calendar {name!r}", name=name)
    return row


async def calendar(session: AsyncSession, name: str) -> Calendar:
    return _schema(await _row(session, name))


async def exists(session: AsyncSession, name: str) -> bool:
    query = select(BusinessCalendarRow.id).where(BusinessCalendarRow.name == name)
    return (await session.execute(query)).first() is not None


async def put(session: AsyncSession, name: str, data: CalendarWrite) -> Calendar:
    """Creates or replaces a calendar: weekly hours, holidays, make-up workdays."""
    if not NAME.match(name):
        raise ValidationFailed("a calendar name is 1-32 lower-case letters, digits, '-' or '_'")
    if len(data.holidays) + len(data.makeup_workdays) > MAX_DAYS:
        raise ValidationFailed("at most {max_days} holidays and make-up workdays together", max_days=MAX_DAYS)
    both = sorted(set(data.holidays) & set(data.makeup_workdays))
    if both:
        raise ValidationFailed("{value} cannot be both a holiday and a make-up workday", value=both[0].isoformat())
    for day, label in (*data.holidays.items(), *data.makeup_workdays.items()):
        if not label.strip() or len(label) > 100:
            raise ValidationFailed("{value} needs a name of 1-100 characters", value=day.isoformat())
    holidays = {d.isoformat(): label.strip() for d, label in sorted(data.holidays.items())}
    makeup = {d.isoformat(): label.strip() for d, label in sorted(data.makeup_workdays.items())}
    _build(data.weekly, holidays, makeup)  # refuses what the arithmetic could not use
    if len(data.description) > 200:
        raise ValidationFailed("description: at most 200 characters")
    row = (await session.execute(select(BusinessCalendarRow).where(BusinessCalendarRow.name == name))).scalar()
    if row is None:
        row = BusinessCalendarRow(name=name)
        session.add(row)
    row.description, row.weekly, row.holidays, row.makeup_workdays = data.description, data.weekly, holidays, makeup
    await session.flush()
    _loaded.forget()
    return _schema(row)


async def delete(session: AsyncSession, name: str) -> None:
    row = await _row(session, name)
    used = (await session.execute(select(SlaPolicy.name).where(SlaPolicy.calendar == name).limit(1))).scalar()
    if used is not None:
        raise Conflict(
            "calendar {name!r} is used by SLA policy {used!r}: change the policy first", name=name, used=used
        )
    await session.delete(row)
    _loaded.forget()
