"""Taiwan public holidays (放假日) and make-up workdays (補班日), as editable data.

The dates follow the DGPA office calendar (行政院人事行政總處「政府行政機關辦公日曆表」) and the
2025 amendment of the 紀念日及節日實施條例, which added 除夕前一日 (小年夜), 孔子誕辰紀念日/教師節
(9/28), 臺灣光復暨金門古寧頭大捷紀念日 (10/25) and 行憲紀念日 (12/25), and made 勞動節 a holiday for
everyone.  A holiday falling on Saturday is compensated (補假) on the previous workday, on Sunday on
the next workday; 除夕/春節 days on a weekend may be compensated before or after.

* 2026 (民國115年) matches the published calendar (120 days off, no make-up workdays).
* 2027 (民國116年) is computed from the rules above and the lunar dates; the calendar was not
  published when this was written -- verify against the DGPA calendar (行政院人事行政總處).

Private companies may follow different rules (Labor Standards Act): edit these dicts, or build a
:class:`~contact_center.sla.calendar.BusinessCalendar` with your own ``holidays``/``extra_workdays``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence

from contact_center.clock import TAIPEI
from contact_center.sla.calendar import BusinessCalendar

__all__ = ["DEFAULT_WEEKLY", "HOLIDAYS", "MAKEUP_WORKDAYS", "taiwan_calendar"]

_D = dt.date

_OFFICE_HOURS: tuple[tuple[dt.time, dt.time], ...] = (
    (dt.time(9, 0), dt.time(12, 0)),
    (dt.time(13, 0), dt.time(18, 0)),
)

DEFAULT_WEEKLY: Mapping[int, Sequence[tuple[dt.time, dt.time]]] = dict.fromkeys(range(5), _OFFICE_HOURS)
"""Monday to Friday 09:00-12:00 and 13:00-18:00 (lunch 12:00-13:00)."""

HOLIDAYS: dict[int, dict[dt.date, str]] = {
    2026: {
        _D(2026, 1, 1): "元旦",
        # 除夕及春節連假 2/14 (Sat) - 2/22 (Sun); LNY (初一) is 2/17.
        _D(2026, 2, 16): "除夕",
        _D(2026, 2, 17): "春節",
        _D(2026, 2, 18): "春節",
        _D(2026, 2, 19): "春節",
        _D(2026, 2, 20): "除夕前一日補假",  # 小年夜 2/15 is a Sunday
        _D(2026, 2, 27): "和平紀念日補假",  # 2/28 is a Saturday
        _D(2026, 4, 3): "兒童節補假",  # 4/4 is a Saturday
        _D(2026, 4, 6): "民族掃墓節補假",  # 清明 4/5 is a Sunday
        _D(2026, 5, 1): "勞動節",
        _D(2026, 6, 19): "端午節",
        _D(2026, 9, 25): "中秋節",
        _D(2026, 9, 28): "孔子誕辰紀念日/教師節",
        _D(2026, 10, 9): "國慶日補假",  # 10/10 is a Saturday
        _D(2026, 10, 26): "臺灣光復暨金門古寧頭大捷紀念日補假",  # 10/25 is a Sunday
        _D(2026, 12, 25): "行憲紀念日",
    },
    # 2027: computed, verify against the DGPA calendar (行政院人事行政總處).
    2027: {
        _D(2027, 1, 1): "元旦",
        # LNY (初一) is 2/6 (Sat).  小年夜 2/4, 除夕 2/5, 初二 2/7 (Sun), 初三 2/8.
        _D(2027, 2, 4): "除夕前一日",
        _D(2027, 2, 5): "除夕",
        _D(2027, 2, 8): "春節",
        # 補假 for 初一 (Sat) and 初二 (Sun); the DGPA may place them before instead -- verify.
        _D(2027, 2, 9): "春節補假",
        _D(2027, 2, 10): "春節補假",
        _D(2027, 3, 1): "和平紀念日補假",  # 2/28 is a Sunday
        _D(2027, 4, 5): "民族掃墓節",  # 清明 4/5 (Mon)
        _D(2027, 4, 6): "兒童節補假",  # 4/4 is a Sunday, 4/5 already off -- verify
        _D(2027, 4, 30): "勞動節補假",  # 5/1 is a Saturday -- verify
        _D(2027, 6, 9): "端午節",
        _D(2027, 9, 15): "中秋節",
        _D(2027, 9, 28): "孔子誕辰紀念日/教師節",
        _D(2027, 10, 11): "國慶日補假",  # 10/10 is a Sunday
        _D(2027, 10, 25): "臺灣光復暨金門古寧頭大捷紀念日",
        _D(2027, 12, 24): "行憲紀念日補假",  # 12/25 is a Saturday
    },
}
"""Year -> {weekday date off -> zh-Hant name}.  Holidays on weekends are listed via their 補假 day."""

MAKEUP_WORKDAYS: dict[int, dict[dt.date, str]] = {
    # Since the 2025 amendment the DGPA no longer moves bridge days (調整放假) with a Saturday 補班;
    # the 2026 calendar has none.  2027: none expected -- verify against the DGPA calendar.
    # Example of an entry (2025): _D(2025, 2, 8): "補行上班",
    2026: {},
    2027: {},
}
"""Year -> {Saturday that is a workday -> description}."""


def taiwan_calendar(
    years: Iterable[int] = (2026, 2027),
    weekly: Mapping[int, Sequence[tuple[dt.time, dt.time]]] = DEFAULT_WEEKLY,
) -> BusinessCalendar:
    """A Taipei (+08:00) business calendar with the Taiwan holidays/make-up days of ``years``.

    Raises :class:`KeyError` for a year with no data (better than silently ignoring holidays).
    """
    holidays: set[dt.date] = set()
    makeup: set[dt.date] = set()
    for year in years:
        if year not in HOLIDAYS:
            raise KeyError(f"no Taiwan holiday data for {year}; add it to contact_center.sla.holidays_tw")
        holidays.update(HOLIDAYS[year])
        makeup.update(MAKEUP_WORKDAYS.get(year, {}))
    return BusinessCalendar(weekly=weekly, holidays=frozenset(holidays), extra_workdays=frozenset(makeup), tz=TAIPEI)
