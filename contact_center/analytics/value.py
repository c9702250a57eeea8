"""Customer value (seed 004): recency / frequency / monetary scores, the customer pyramid, and customer
gains and losses month on month. Pure: purchases in, figures out.

- Value is what a customer spent in the last `WINDOW_MONTHS` months (TWD).
- RFM scores are quintiles 1-5 among customers who bought in the window (5 = most recent, most
  frequent, highest value).
- The pyramid ranks those customers by value: the top 5 % are `vip`, the next 15 % `gold`, the next
  30 % `standard`, the rest `basic`; a customer with no purchase in the window is `basic` too.
- Gains and losses compare each customer's value over the window ending this month with the window
  ending the month before: activated (nothing before, something now), spending more, the same or
  less, lapsed (something before, nothing now).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping

import msgspec

WINDOW_MONTHS = 24
TIER_SHARES = (("vip", 0.05), ("gold", 0.15), ("standard", 0.30))  # the rest: basic
SAME_BAND = 0.05  # ±5 % counts as spending the same


class PurchaseFact(msgspec.Struct, frozen=True):
    customer_id: int
    amount: int
    purchased_on: dt.date


class Rfm(msgspec.Struct, frozen=True):
    customer_id: int
    recency_days: int
    frequency: int
    value: int
    r: int
    f: int
    m: int
    tier: str


class PyramidLevel(msgspec.Struct, frozen=True):
    tier: str
    customers: int
    value: int
    share_of_value: float
    min_value: int


class Movement(msgspec.Struct, frozen=True):
    kind: str  # activated | more | same | less | lapsed
    customers: int
    value_before: int
    value_now: int


class CustomerValue(msgspec.Struct, frozen=True):
    as_of: dt.date
    customers: int
    pyramid: list[PyramidLevel]
    movements: list[Movement]  # the month ending as_of against the month before


def _months_back(day: dt.date, months: int) -> dt.date:
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    return dt.date(year, month + 1, min(day.day, 28))


def _quintile(sorted_values: list[int], value: int) -> int:
    """1-5 by the share of customers with a smaller value."""
    below = sum(1 for v in sorted_values if v < value)
    return min(5, 1 + 5 * below // max(len(sorted_values), 1))


def _window(purchases: Iterable[PurchaseFact], end: dt.date) -> dict[int, list[PurchaseFact]]:
    start = _months_back(end, WINDOW_MONTHS)
    by_customer: dict[int, list[PurchaseFact]] = defaultdict(list)
    for p in purchases:
        if start < p.purchased_on <= end:
            by_customer[p.customer_id].append(p)
    return by_customer


def rfm(purchases: Iterable[PurchaseFact], as_of: dt.date) -> list[Rfm]:
    """Scores and tier for every customer who bought in the window, best value first."""
    window = _window(purchases, as_of)
    facts = [(c, (as_of - max(p.purchased_on for p in ps)).days, len(ps), sum(p.amount for p in ps))
             for c, ps in window.items()]  # fmt: skip
    recencies = sorted(-r for _, r, _, _ in facts)
    frequencies = sorted(f for _, _, f, _ in facts)
    values = sorted(v for _, _, _, v in facts)
    ranked = sorted(facts, key=lambda x: (-x[3], x[0]))
    tiers: dict[int, str] = {}
    start = 0
    for tier, share in TIER_SHARES:
        size = max(1, round(share * len(ranked))) if ranked else 0
        for c, *_ in ranked[start : start + size]:
            tiers[c] = tier
        start += size
    return [Rfm(customer_id=c, recency_days=r, frequency=f, value=v, r=_quintile(recencies, -r),
                f=_quintile(frequencies, f), m=_quintile(values, v), tier=tiers.get(c, "basic"))
            for c, r, f, v in ranked]  # fmt: skip


def _totals(purchases: list[PurchaseFact], end: dt.date) -> Mapping[int, int]:
    return {c: sum(p.amount for p in ps) for c, ps in _window(purchases, end).items()}


def customer_value(purchases: Iterable[PurchaseFact], as_of: dt.date, customers: int) -> CustomerValue:
    """The pyramid as of a day and the month's gains and losses; `customers`: all on record."""
    facts = list(purchases)
    scores = rfm(facts, as_of)
    total = sum(s.value for s in scores) or 1
    pyramid = []
    for tier in ("vip", "gold", "standard", "basic"):
        members = [s for s in scores if s.tier == tier]
        value = sum(s.value for s in members)
        count = len(members) + (customers - len(scores) if tier == "basic" else 0)  # no purchase: basic
        pyramid.append(PyramidLevel(tier=tier, customers=count, value=value, share_of_value=round(value / total, 4),
                                    min_value=min((s.value for s in members), default=0)))  # fmt: skip
    now, before = _totals(facts, as_of), _totals(facts, _months_back(as_of, 1))
    buckets: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for c in set(now) | set(before):
        b, n = before.get(c, 0), now.get(c, 0)
        if b == 0:
            kind = "activated"
        elif n == 0:
            kind = "lapsed"
        elif abs(n - b) <= SAME_BAND * b:
            kind = "same"
        else:
            kind = "more" if n > b else "less"
        buckets[kind].append((b, n))
    movements = [Movement(kind=k, customers=len(buckets[k]), value_before=sum(b for b, _ in buckets[k]),
                          value_now=sum(n for _, n in buckets[k]))
                 for k in ("activated", "more", "same", "less", "lapsed")]  # fmt: skip
    return CustomerValue(as_of=as_of, customers=customers, pyramid=pyramid, movements=movements)
