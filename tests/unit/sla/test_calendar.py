"""Business-hours SLA arithmetic: BusinessCalendar and the Taiwan holiday calendar."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from contact_center.clock import TAIPEI
from contact_center.sla.calendar import BusinessCalendar, OpenPause
from contact_center.sla.holidays_tw import DEFAULT_WEEKLY, HOLIDAYS, MAKEUP_WORKDAYS, taiwan_calendar

H = dt.timedelta(hours=1)
M = dt.timedelta(minutes=1)
OFFICE = BusinessCalendar(weekly=DEFAULT_WEEKLY)
TW = taiwan_calendar()
ALWAYS = BusinessCalendar(weekly={day: [(dt.time(0), dt.time(0))] for day in range(7)})


def tpe(y: int, mo: int, d: int, h: int = 0, mi: int = 0) -> dt.datetime:
    return dt.datetime(y, mo, d, h, mi, tzinfo=TAIPEI)


# -- add -----------------------------------------------------------------------------------------


def test_overnight_rollover_respects_lunch_break() -> None:
    # Tue 17:30 + 2h: 30 min today, then 09:00-10:30 next day.
    assert OFFICE.add(tpe(2026, 3, 3, 17, 30), 2 * H) == tpe(2026, 3, 4, 10, 30)
    # Tue 11:00 + 2h: 1h before lunch, 1h after -> 14:00.
    assert OFFICE.add(tpe(2026, 3, 3, 11), 2 * H) == tpe(2026, 3, 3, 14)
    # Tue 17:30 + 3.5h -> next day 09:00-12:00 (3h), then 13:00-13:00.
    assert OFFICE.add(tpe(2026, 3, 3, 17, 30), 3 * H + 30 * M) == tpe(2026, 3, 4, 12)


def test_friday_evening_rolls_to_monday() -> None:
    assert OFFICE.add(tpe(2026, 3, 6, 17), 4 * H) == tpe(2026, 3, 9, 12)
    assert OFFICE.add(tpe(2026, 3, 6, 17), 4 * H + M) == tpe(2026, 3, 9, 13, 1)


def test_start_outside_hours_counts_from_next_open() -> None:
    assert OFFICE.add(tpe(2026, 3, 4, 7), H) == tpe(2026, 3, 4, 10)  # before opening
    assert OFFICE.add(tpe(2026, 3, 4, 12, 20), H) == tpe(2026, 3, 4, 14)  # lunch
    assert OFFICE.add(tpe(2026, 3, 4, 22), H) == tpe(2026, 3, 5, 10)  # night
    assert OFFICE.add(tpe(2026, 3, 7, 10), H) == tpe(2026, 3, 9, 10)  # Saturday


def test_zero_duration_is_start_and_negative_raises() -> None:
    assert OFFICE.add(tpe(2026, 3, 7, 10), dt.timedelta(0)) == tpe(2026, 3, 7, 10)
    with pytest.raises(ValueError, match="negative"):
        OFFICE.add(tpe(2026, 3, 4, 10), -M)


def test_deadline_exactly_at_closing_is_closing_time() -> None:
    assert OFFICE.add(tpe(2026, 3, 4, 9), 8 * H) == tpe(2026, 3, 4, 18)


def test_lunar_new_year_2026_block() -> None:
    # Fri 2026-02-13 is the last workday before the 2/14-2/22 break; 2/23 (Mon) is the next.
    start = tpe(2026, 2, 13, 17)
    assert TW.add(start, 2 * H) == tpe(2026, 2, 23, 10)
    assert TW.next_open(tpe(2026, 2, 16, 10)) == tpe(2026, 2, 23, 9)
    for day in range(14, 23):
        assert not TW.is_open(tpe(2026, 2, day, 10))
    assert TW.elapsed(start, tpe(2026, 2, 23, 10)) == 2 * H


def test_multi_day_holidays_and_bridge_days_2026() -> None:
    # 4/3 (Fri) and 4/6 (Mon) are 補假 for 兒童節 / 清明 on the weekend.
    assert TW.add(tpe(2026, 4, 2, 18), H) == tpe(2026, 4, 7, 10)
    # Double Tenth on Saturday -> Fri 10/9 off.
    assert not TW.is_open(tpe(2026, 10, 9, 10))
    assert TW.is_open(tpe(2026, 10, 8, 10))


def test_makeup_saturday_counts_as_workday() -> None:
    saturday = dt.date(2025, 2, 8)
    cal = BusinessCalendar(weekly=DEFAULT_WEEKLY, extra_workdays=frozenset({saturday}))
    assert cal.is_open(tpe(2025, 2, 8, 10))
    assert not cal.is_open(tpe(2025, 2, 8, 12, 30))  # Monday's hours, lunch included
    assert cal.add(tpe(2025, 2, 7, 17), 2 * H) == tpe(2025, 2, 8, 10)
    assert OFFICE.add(tpe(2025, 2, 7, 17), 2 * H) == tpe(2025, 2, 10, 10)
    assert cal.elapsed(tpe(2025, 2, 7, 0), tpe(2025, 2, 10, 0)) == 16 * H


def test_holiday_wins_over_makeup_day() -> None:
    day = dt.date(2026, 3, 7)
    cal = BusinessCalendar(weekly=DEFAULT_WEEKLY, holidays=frozenset({day}), extra_workdays=frozenset({day}))
    assert not cal.is_open(tpe(2026, 3, 7, 10))


def test_long_duration_walks_intervals() -> None:
    # 100 business hours = 12.5 eight-hour days: Mon 2026-03-02 09:00 -> 12 full days + 4h.
    assert OFFICE.add(tpe(2026, 3, 2, 9), 100 * H) == tpe(2026, 3, 18, 14)
    far = OFFICE.add(tpe(2026, 1, 5, 9), 8 * H * 5 * 52 * 20)  # ~20 years of office time
    assert OFFICE.elapsed(tpe(2026, 1, 5, 9), far) == 8 * H * 5 * 52 * 20


# -- pauses --------------------------------------------------------------------------------------


def test_pause_stops_the_clock() -> None:
    start = tpe(2026, 3, 4, 9)
    pause = (tpe(2026, 3, 4, 10), tpe(2026, 3, 4, 11))
    assert OFFICE.add(start, 2 * H, [pause]) == tpe(2026, 3, 4, 12)
    assert OFFICE.add(start, 3 * H, [pause]) == tpe(2026, 3, 4, 14)
    assert OFFICE.elapsed(start, tpe(2026, 3, 4, 14), [pause]) == 3 * H


def test_pause_spanning_weekend() -> None:
    # Waiting for customer Fri 16:00 -> Mon 11:00: Fri 16-18 and Mon 9-11 are not counted.
    start = tpe(2026, 3, 6, 15)
    pause = (tpe(2026, 3, 6, 16), tpe(2026, 3, 9, 11))
    assert OFFICE.add(start, 2 * H, [pause]) == tpe(2026, 3, 9, 12)
    assert OFFICE.add(start, 3 * H, [pause]) == tpe(2026, 3, 9, 14)
    assert OFFICE.elapsed(start, tpe(2026, 3, 9, 14), [pause]) == 3 * H


def test_overlapping_pauses_count_once() -> None:
    start = tpe(2026, 3, 4, 9)
    pauses = [
        (tpe(2026, 3, 4, 10), tpe(2026, 3, 4, 11)),
        (tpe(2026, 3, 4, 10, 30), tpe(2026, 3, 4, 11, 30)),
        (tpe(2026, 3, 4, 10, 45), tpe(2026, 3, 4, 11)),  # contained
        (tpe(2026, 3, 4, 11, 30), tpe(2026, 3, 4, 11, 30)),  # empty
    ]
    assert OFFICE.elapsed(start, tpe(2026, 3, 4, 12), pauses) == 90 * M
    assert OFFICE.add(start, 2 * H, pauses) == tpe(2026, 3, 4, 13, 30)
    assert OFFICE.add(start, 2 * H, list(reversed(pauses))) == tpe(2026, 3, 4, 13, 30)


def test_pause_before_start_and_in_closed_hours_is_ignored() -> None:
    start = tpe(2026, 3, 4, 9)
    pauses = [(tpe(2026, 3, 3, 10), tpe(2026, 3, 4, 9)), (tpe(2026, 3, 4, 12), tpe(2026, 3, 4, 13))]
    assert OFFICE.add(start, 4 * H, pauses) == tpe(2026, 3, 4, 14)


def test_open_pause_raises() -> None:
    with pytest.raises(OpenPause):
        OFFICE.add(tpe(2026, 3, 4, 9), H, [(tpe(2026, 3, 4, 10), None)])
    with pytest.raises(ValueError):  # OpenPause is a ValueError
        OFFICE.elapsed(tpe(2026, 3, 4, 9), tpe(2026, 3, 4, 12), [(tpe(2026, 3, 4, 10), None)])


def test_reversed_pause_raises() -> None:
    with pytest.raises(ValueError, match="ends before"):
        OFFICE.add(tpe(2026, 3, 4, 9), H, [(tpe(2026, 3, 4, 11), tpe(2026, 3, 4, 10))])


# -- elapsed / is_open / next_open ---------------------------------------------------------------


def test_elapsed_basics() -> None:
    assert OFFICE.elapsed(tpe(2026, 3, 4, 8), tpe(2026, 3, 4, 20)) == 8 * H
    assert OFFICE.elapsed(tpe(2026, 3, 6, 17), tpe(2026, 3, 9, 10)) == 2 * H
    assert OFFICE.elapsed(tpe(2026, 3, 4, 10), tpe(2026, 3, 4, 10)) == dt.timedelta(0)
    with pytest.raises(ValueError, match="before start"):
        OFFICE.elapsed(tpe(2026, 3, 4, 10), tpe(2026, 3, 4, 9))


def test_is_open_and_next_open() -> None:
    assert OFFICE.is_open(tpe(2026, 3, 4, 9))
    assert not OFFICE.is_open(tpe(2026, 3, 4, 12))  # end is exclusive
    assert OFFICE.is_open(tpe(2026, 3, 4, 17, 59))
    assert not OFFICE.is_open(tpe(2026, 3, 7, 10))
    assert OFFICE.next_open(tpe(2026, 3, 4, 10)) == tpe(2026, 3, 4, 10)
    assert OFFICE.next_open(tpe(2026, 3, 4, 12)) == tpe(2026, 3, 4, 13)
    assert OFFICE.next_open(tpe(2026, 3, 6, 18)) == tpe(2026, 3, 9, 9)


def _inverse_calendars() -> list[BusinessCalendar]:
    night = {d: [(dt.time(22), dt.time(2)), (dt.time(8), dt.time(12))] for d in (0, 2, 4, 5)}
    return [OFFICE, TW, ALWAYS, BusinessCalendar(weekly=night, holidays=frozenset({dt.date(2026, 3, 4)}))]


@settings(max_examples=300, deadline=None)
@given(
    cal_index=st.integers(0, 3),
    start=st.datetimes(
        min_value=dt.datetime(2025, 12, 1), max_value=dt.datetime(2027, 12, 1), timezones=st.just(dt.UTC)
    ),
    minutes=st.integers(0, 60 * 200),
)
def test_elapsed_inverts_add(cal_index: int, start: dt.datetime, minutes: int) -> None:
    cal = _inverse_calendars()[cal_index]
    duration = dt.timedelta(minutes=minutes)
    deadline = cal.add(start, duration)
    assert deadline >= start
    assert cal.elapsed(start, deadline) == duration


def test_elapsed_inverts_add_with_random_pauses() -> None:
    rng = random.Random(20260217)
    base = tpe(2026, 1, 1)
    for _ in range(300):
        start = base + dt.timedelta(minutes=rng.randrange(0, 60 * 24 * 400))
        pauses: list[tuple[dt.datetime, dt.datetime | None]] = []
        for _ in range(rng.randrange(0, 4)):
            p_start = start + dt.timedelta(minutes=rng.randrange(-600, 60 * 24 * 10))
            pauses.append((p_start, p_start + dt.timedelta(minutes=rng.randrange(0, 60 * 24 * 3))))
        duration = dt.timedelta(minutes=rng.randrange(0, 60 * 60), seconds=rng.randrange(60))
        deadline = TW.add(start, duration, pauses)
        assert TW.elapsed(start, deadline, pauses) == duration
        if duration:  # earliest instant: a moment earlier is not enough
            assert TW.elapsed(start, deadline - dt.timedelta(microseconds=1), pauses) < duration


# -- 24/7, midnight-crossing shifts, time zones ------------------------------------------------


def test_always_open_equals_wall_clock() -> None:
    rng = random.Random(7)
    for _ in range(200):
        start = tpe(2026, 1, 1) + dt.timedelta(seconds=rng.randrange(0, 86400 * 700))
        duration = dt.timedelta(seconds=rng.randrange(0, 86400 * 30))
        assert ALWAYS.add(start, duration) == start + duration
        assert ALWAYS.elapsed(start, start + duration) == duration
        assert ALWAYS.is_open(start)


def test_time_max_means_midnight() -> None:
    cal = BusinessCalendar(weekly={day: [(dt.time(0), dt.time.max)] for day in range(7)})
    start = tpe(2026, 3, 4, 23, 30)
    assert cal.add(start, H) == tpe(2026, 3, 5, 0, 30)


def test_shift_crossing_midnight() -> None:
    # Night desk Mon-Fri 22:00-06:00 (the shift belongs to the day it starts).
    cal = BusinessCalendar(weekly={day: [(dt.time(22), dt.time(6))] for day in range(5)})
    assert cal.is_open(tpe(2026, 3, 7, 5))  # Friday's shift runs into Saturday morning
    assert not cal.is_open(tpe(2026, 3, 7, 23))
    assert cal.add(tpe(2026, 3, 6, 23), 8 * H) == tpe(2026, 3, 9, 23)
    assert cal.next_open(tpe(2026, 3, 2, 3)) == tpe(2026, 3, 2, 22)  # Sunday has no shift


def test_utc_input_gives_taipei_result() -> None:
    start_utc = dt.datetime(2026, 3, 4, 9, 30, tzinfo=dt.UTC)  # 17:30 in Taipei
    deadline = OFFICE.add(start_utc, 2 * H)
    assert deadline == tpe(2026, 3, 5, 10, 30)
    assert deadline.utcoffset() == dt.timedelta(hours=8)
    assert OFFICE.next_open(start_utc).utcoffset() == dt.timedelta(hours=8)
    assert OFFICE.is_open(dt.datetime(2026, 3, 4, 1, 0, tzinfo=dt.UTC))  # 09:00 Taipei
    assert not OFFICE.is_open(dt.datetime(2026, 3, 4, 0, 59, tzinfo=dt.UTC))


def test_naive_datetimes_raise() -> None:
    naive = dt.datetime(2026, 3, 4, 10)
    with pytest.raises(ValueError, match="timezone-aware"):
        OFFICE.add(naive, H)
    with pytest.raises(ValueError, match="timezone-aware"):
        OFFICE.elapsed(tpe(2026, 3, 4, 9), naive)
    with pytest.raises(ValueError, match="timezone-aware"):
        OFFICE.is_open(naive)
    with pytest.raises(ValueError, match="timezone-aware"):
        OFFICE.next_open(naive)
    with pytest.raises(ValueError, match="timezone-aware"):
        OFFICE.add(tpe(2026, 3, 4, 9), H, [(naive, tpe(2026, 3, 4, 11))])


def test_calendar_is_hashable_and_comparable() -> None:
    again = BusinessCalendar(weekly={day: list(hours) for day, hours in DEFAULT_WEEKLY.items()})
    assert again == OFFICE
    assert hash(again) == hash(OFFICE)
    assert len({OFFICE, again, TW}) == 2


def test_invalid_calendars_raise() -> None:
    with pytest.raises(ValueError, match="no opening hours"):
        BusinessCalendar(weekly={})
    with pytest.raises(ValueError, match="weekday"):
        BusinessCalendar(weekly={7: [(dt.time(9), dt.time(17))]})


# -- Taiwan data ---------------------------------------------------------------------------------


def test_taiwan_holiday_data_is_consistent() -> None:
    for year, days in HOLIDAYS.items():
        assert days, year
        for day, name in days.items():
            assert day.year == year and name
            assert day.weekday() < 5, f"{day} {name}: weekend holidays are listed by their 補假 day"
    for year, days in MAKEUP_WORKDAYS.items():
        for day in days:
            assert day.year == year and day.weekday() == 5
    assert HOLIDAYS[2026][dt.date(2026, 2, 17)] == "春節"
    assert HOLIDAYS[2027][dt.date(2027, 6, 9)] == "端午節"


def test_taiwan_calendar_years() -> None:
    only_2026 = taiwan_calendar(years=[2026])
    assert not only_2026.is_open(tpe(2026, 9, 28, 10))  # 教師節
    assert only_2026.is_open(tpe(2027, 6, 9, 10))  # 2027 not loaded
    with pytest.raises(KeyError):
        taiwan_calendar(years=[1999])
    custom = taiwan_calendar(weekly={5: [(dt.time(10), dt.time(14))]})
    assert custom.is_open(tpe(2026, 3, 7, 11))
