"""Seeded draws shared by the generator: weighted choice, picks, and dates and times in Taiwan."""

from __future__ import annotations

import bisect
import datetime
import itertools
import random
from collections.abc import Sequence
from typing import Generic, TypeVar

T = TypeVar("T")
TZ = datetime.timezone(datetime.timedelta(hours=8))
DAY = datetime.timedelta(days=1)
MINUTE = datetime.timedelta(minutes=1)
HOUR = datetime.timedelta(hours=1)
SECOND = datetime.timedelta(seconds=1)


class Weighted(Generic[T]):
    """Weighted choice by bisection: random.choices rebuilds its table on every call."""

    __slots__ = ("cum", "items", "last")

    def __init__(self, items: Sequence[T], weights: Sequence[float]) -> None:
        self.items = tuple(items)
        self.cum = list(itertools.accumulate(weights))
        self.last = len(self.items) - 1

    def pick(self, rng: random.Random) -> T:
        return self.items[bisect.bisect(self.cum, rng.random() * self.cum[-1], 0, self.last)]


def pick(rng: random.Random, items: Sequence[T]) -> T:
    return items[int(rng.random() * len(items))]


def weights(spec: str) -> Weighted[str]:
    pairs = [item.split(":") for item in spec.split()]
    return Weighted([k for k, _ in pairs], [float(w) for _, w in pairs])


def add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def at(day: datetime.date, first_hour: int, last_hour: int, rng: random.Random) -> datetime.datetime:
    minute = int(rng.random() * (last_hour - first_hour) * 60)
    return datetime.datetime(day.year, day.month, day.day, first_hour + minute // 60, minute % 60, tzinfo=TZ)


def between(rng: random.Random, first: datetime.date, last: datetime.date) -> datetime.date:
    return first + DAY * int(rng.random() * ((last - first).days + 1))
