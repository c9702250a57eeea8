"""Business-hours arithmetic for SLA deadlines.

A :class:`BusinessCalendar` knows the weekly opening hours, whole days off (holidays) and make-up
workdays (補班日).  It answers "is the queue open?", "when does it open next?", "how much business
time passed between two instants?" and "when has a given amount of business time elapsed?", the last
two optionally excluding *pauses* (e.g. the ticket was waiting for the customer).

Conventions:

* Every datetime argument must be timezone-aware; naive datetimes raise :class:`ValueError`.
  Results are returned in the calendar's ``tz`` (default fixed UTC+08:00, Asia/Taipei has no DST).
  Internally all arithmetic is done in UTC, so zones with DST also give correct durations.
* Weekly hours are ``(start, end)`` pairs of naive :class:`datetime.time`.  An ``end`` that is not
  after ``start`` means the interval runs past midnight into the next day, so ``time(0, 0)`` as end
  means "until midnight (24:00)" and ``(time(0, 0), time(0, 0))`` is a full 24-hour day.
  ``time.max`` as end is also accepted as 24:00.  An interval crossing midnight belongs to the day
  it starts on (a holiday on that day removes the whole shift).
* A holiday removes a day's hours.  A make-up workday uses the hours of ``makeup_weekday``
  (default Monday) whatever its own weekday is.  A date in both sets is a holiday.
* Pauses are half-open ``[from, to)`` ranges; they may overlap each other and closed hours.  A pause
  whose ``to`` is ``None`` is still open: the deadline cannot be known yet and :class:`OpenPause`
  (a :class:`ValueError`) is raised.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from contact_center.clock import TAIPEI

__all__ = ["TAIPEI", "BusinessCalendar", "OpenPause", "Pause"]


Pause = tuple[dt.datetime, dt.datetime | None]
_Span = tuple[dt.datetime, dt.datetime]  # UTC, start < end

_ONE_DAY = dt.timedelta(days=1)
_ZERO = dt.timedelta(0)


class OpenPause(ValueError):
    """A pause has no end yet (``to is None``): the SLA clock is stopped, no deadline can be computed."""


def _require_aware(value: dt.datetime, name: str) -> dt.datetime:
    if value.tzinfo is None or value.tzinfo.utcoffset(value) is None:
        raise ValueError(f"{name} must be timezone-aware, got naive {value!r}")
    return value.astimezone(dt.UTC)


def _normalise_pauses(pauses: Sequence[Pause]) -> list[_Span]:
    """Validate pauses, convert to UTC and merge overlapping/adjacent ones (sorted, disjoint)."""
    spans: list[_Span] = []
    for begin, end in pauses:
        begin_utc = _require_aware(begin, "pause start")
        if end is None:
            raise OpenPause(f"pause starting {begin.isoformat()} is still open; deadline unknown")
        end_utc = _require_aware(end, "pause end")
        if end_utc < begin_utc:
            raise ValueError(f"pause ends before it starts: {begin.isoformat()} > {end.isoformat()}")
        if end_utc > begin_utc:
            spans.append((begin_utc, end_utc))
    spans.sort()
    merged: list[_Span] = []
    for begin_utc, end_utc in spans:
        if merged and begin_utc <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end_utc))
        else:
            merged.append((begin_utc, end_utc))
    return merged


def _subtract(spans: Iterator[_Span], pauses: list[_Span]) -> Iterator[_Span]:
    """Yield the parts of the (sorted, disjoint) ``spans`` not covered by the merged ``pauses``."""
    first = 0
    for start, end in spans:
        while first < len(pauses) and pauses[first][1] <= start:
            first += 1
        cursor = start
        index = first
        while index < len(pauses) and pauses[index][0] < end and cursor < end:
            pause_start, pause_end = pauses[index]
            if pause_start > cursor:
                yield cursor, pause_start
            cursor = max(cursor, pause_end)
            index += 1
        if cursor < end:
            yield cursor, end


@dataclass(frozen=True)
class BusinessCalendar:
    """Weekly opening hours plus holidays and make-up workdays, in one timezone."""

    weekly: Mapping[int, Sequence[tuple[dt.time, dt.time]]] = field(compare=False)  # compared via ``_days``
    holidays: frozenset[dt.date] = frozenset()
    extra_workdays: frozenset[dt.date] = frozenset()
    tz: dt.tzinfo = TAIPEI
    makeup_weekday: int = 0
    _days: dict[int, tuple[tuple[dt.time, dt.time], ...]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        days: dict[int, tuple[tuple[dt.time, dt.time], ...]] = {}
        for weekday, hours in self.weekly.items():
            if weekday not in range(7):
                raise ValueError(f"weekday must be 0 (Mon) .. 6 (Sun), got {weekday!r}")
            for start, end in hours:
                if start.tzinfo is not None or end.tzinfo is not None:
                    raise ValueError("weekly hours must be naive times (the calendar tz applies)")
            if hours:
                days[weekday] = tuple(sorted(hours))
        if not days:
            raise ValueError("calendar has no opening hours at all")
        if self.makeup_weekday not in range(7):
            raise ValueError(f"makeup_weekday must be 0..6, got {self.makeup_weekday!r}")
        object.__setattr__(self, "_days", days)

    def __hash__(self) -> int:  # ``weekly`` may be an (unhashable) dict: hash its normalised copy instead
        return hash(
            (tuple(sorted(self._days.items())), self.holidays, self.extra_workdays, self.tz, self.makeup_weekday)
        )

    # -- public API ---------------------------------------------------------------------------

    def is_open(self, at: dt.datetime) -> bool:
        """True if ``at`` falls inside business hours (start inclusive, end exclusive)."""
        at_utc = _require_aware(at, "at")
        first = next(self._spans_from(at_utc))
        return first[0] <= at_utc

    def next_open(self, at: dt.datetime) -> dt.datetime:
        """``at`` itself if open, otherwise the next instant business hours begin (in ``tz``)."""
        at_utc = _require_aware(at, "at")
        return next(self._spans_from(at_utc))[0].astimezone(self.tz)

    def add(self, start: dt.datetime, duration: dt.timedelta, pauses: Sequence[Pause] = ()) -> dt.datetime:
        """The earliest instant at which ``duration`` of business time, excluding pauses, has elapsed.

        A zero duration returns ``start`` (in ``tz``).  A start outside hours counts from the next
        opening; a deadline that lands exactly on a closing time is that closing time.
        Raises :class:`OpenPause` if a pause is still open, :class:`ValueError` if ``duration < 0``.
        """
        start_utc = _require_aware(start, "start")
        merged = _normalise_pauses(pauses)
        if duration < _ZERO:
            raise ValueError(f"duration must not be negative, got {duration!r}")
        if duration == _ZERO:
            return start_utc.astimezone(self.tz)
        remaining = duration
        for span_start, span_end in _subtract(self._spans_from(start_utc), merged):
            length = span_end - span_start
            if length >= remaining:
                return (span_start + remaining).astimezone(self.tz)
            remaining -= length
        raise AssertionError("unreachable: business spans are infinite")  # pragma: no cover

    def elapsed(self, start: dt.datetime, end: dt.datetime, pauses: Sequence[Pause] = ()) -> dt.timedelta:
        """Business time in ``[start, end)`` minus time covered by pauses.  ``end < start`` is an error."""
        start_utc = _require_aware(start, "start")
        end_utc = _require_aware(end, "end")
        if end_utc < start_utc:
            raise ValueError(f"end {end.isoformat()} is before start {start.isoformat()}")
        merged = _normalise_pauses(pauses)
        total = _ZERO
        for span_start, span_end in _subtract(self._spans_from(start_utc), merged):
            if span_start >= end_utc:
                break
            total += min(span_end, end_utc) - span_start
        return total

    # -- internals ----------------------------------------------------------------------------

    def hours_on(self, day: dt.date) -> tuple[tuple[dt.time, dt.time], ...]:
        """The opening intervals that start on local date ``day`` (empty on holidays)."""
        if day in self.holidays:
            return ()
        weekday = self.makeup_weekday if day in self.extra_workdays else day.weekday()
        return self._days.get(weekday, ())

    def _day_spans(self, day: dt.date) -> list[_Span]:
        spans: list[_Span] = []
        for start, end in self.hours_on(day):
            local_start = dt.datetime.combine(day, start, tzinfo=self.tz)
            if end == dt.time.max:
                local_end = dt.datetime.combine(day + _ONE_DAY, dt.time(0), tzinfo=self.tz)
            elif end <= start:
                local_end = dt.datetime.combine(day + _ONE_DAY, end, tzinfo=self.tz)
            else:
                local_end = dt.datetime.combine(day, end, tzinfo=self.tz)
            spans.append((local_start.astimezone(dt.UTC), local_end.astimezone(dt.UTC)))
        return spans

    def _spans_from(self, at_utc: dt.datetime) -> Iterator[_Span]:
        """Yield sorted, disjoint business spans (UTC) ending after ``at_utc``, clipped to start at it.

        Infinite: the calendar has opening hours and holidays are finite.  Starts one local day early
        so a shift crossing midnight is found.  Adjacent spans (e.g. 24/7 days) are not merged.
        """
        cursor = at_utc
        day = at_utc.astimezone(self.tz).date() - _ONE_DAY
        while True:
            for start, end in sorted(self._day_spans(day)):
                start = max(start, cursor)
                if end > start:
                    yield start, end
                    cursor = end
            day += _ONE_DAY
