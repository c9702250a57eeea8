"""The business's clock. Our customers are in Taiwan (+08:00 all year, no daylight saving): a "day" —
today, a birthday, the day a repair was reported, a holiday — is a Taipei day whatever zone the server
runs in (a UTC server's date is the day before from 00:00 to 08:00 Taipei)."""

from __future__ import annotations

import datetime as dt

TAIPEI = dt.timezone(dt.timedelta(hours=8), "Asia/Taipei")


def today() -> dt.date:
    """Today in Taipei."""
    return dt.datetime.now(TAIPEI).date()


def local_date(at: dt.datetime) -> dt.date:
    """The Taipei day of an instant."""
    return at.astimezone(TAIPEI).date()


def day_start(day: dt.date) -> dt.datetime:
    """The instant (UTC) a Taipei day begins: date filters given in days select by it."""
    return dt.datetime.combine(day, dt.time(), TAIPEI).astimezone(dt.UTC)


def now() -> dt.datetime:
    """The current instant, in UTC (how every time is stored and computed): the one clock services read, so
    a test or a replay can move it in one place."""
    return dt.datetime.now(dt.UTC)
