"""Customer value on hand-made purchases: RFM quintiles, the pyramid's cut-offs, gains and losses."""

from __future__ import annotations

import datetime as dt

from contact_center.analytics.value import PurchaseFact, customer_value, rfm

AS_OF = dt.date(2026, 10, 31)


def test_rfm_scores_and_pyramid_tiers_follow_value() -> None:
    purchases = [PurchaseFact(c, 1000 * c, AS_OF - dt.timedelta(days=10 * (21 - c))) for c in range(1, 21)]
    purchases.append(PurchaseFact(99, 5000, AS_OF - dt.timedelta(days=800)))  # outside the 24-month window
    scores = {s.customer_id: s for s in rfm(purchases, AS_OF)}
    assert 99 not in scores and len(scores) == 20
    assert scores[20].tier == "vip" and scores[20].m == 5 and scores[20].r == 5
    assert [scores[c].tier for c in (19, 18, 17)] == ["gold", "gold", "gold"]
    assert scores[1].tier == "basic" and scores[1].m == 1 and scores[1].r == 1
    assert sum(1 for s in scores.values() if s.tier == "standard") == 6


def test_gains_and_losses_month_on_month() -> None:
    last_month = AS_OF - dt.timedelta(days=40)
    this_month = AS_OF - dt.timedelta(days=5)
    purchases = [
        PurchaseFact(1, 1000, last_month), PurchaseFact(1, 500, this_month),  # spending more
        PurchaseFact(2, 1000, last_month),  # the same: nothing new
        PurchaseFact(3, 800, this_month),  # activated
        PurchaseFact(4, 700, AS_OF - dt.timedelta(days=24 * 30 + 20)),  # fell out of the window: lapsed
    ]  # fmt: skip
    value = customer_value(purchases, AS_OF, customers=10)
    moves = {m.kind: m.customers for m in value.movements}
    assert moves == {"activated": 1, "more": 1, "same": 1, "less": 0, "lapsed": 1}
    assert sum(level.customers for level in value.pyramid) == 10
    assert value.pyramid[0].tier == "vip" and value.pyramid[0].customers == 1


def test_no_purchases_is_an_empty_pyramid_not_an_error() -> None:
    value = customer_value([], AS_OF, customers=3)
    assert [level.customers for level in value.pyramid] == [0, 0, 0, 3]
    assert all(m.customers == 0 for m in value.movements)
