"""Which offers an agent should mention to this customer now, best first, each with its reasons.

`recommend` keeps the offers that `rules.evaluate` finds eligible and that the customer has not recently
answered, scores them and returns the best `limit`:

    score = BASE                                                      1.0 for being eligible at all
          + CUE_WEIGHT      * (1 - 2 ** -cues)                        cue words heard: 1 → 1/2, 2 → 3/4 …
          + LIFT_WEIGHT     * clamp(ln(lift) / ln(LIFT_CAP), 0, 1)     co-ownership; lift <= 1 adds nothing
          + EVIDENCE_WEIGHT * evidence                                how strongly the rules hold, 0..1

with `evidence` the strongest of:

- repairs: 1 - 2 ** -(count - minimum + 1), count being the repairs in the rule's window: meeting the
  minimum gives 1/2, each repair beyond it halves the rest;
- warranty: 1 - days / (window + 1), days being those left (or since it ended): the closer, the stronger;
- age: 1 - 2 ** -(years - min_asset_age_years + 1);
- abnormal repairs: 1 - expected / count, the share of the unit's repairs beyond what its model and age
  explain (4 repairs where 0.8 are expected: 0.8).

Each term is bounded, so the score lies in [1, 1 + CUE_WEIGHT + LIFT_WEIGHT + EVIDENCE_WEIGHT). What the
customer says now weighs most, what similar customers own next, the strength of the rule evidence least:
it only orders offers that all passed their rules. Scores are rounded to 4 decimals, and ties go to the
lower offer code, so the order is the same on every call.

Answers recorded on the customer suppress an offer: accepted, never again for the same product (any
offer whose product_model is the accepted offer's); "later", for LATER_SNOOZE_DAYS; declined, for
DECLINE_SNOOZE_DAYS, both counted from the answer's date.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Mapping, Sequence
from typing import Final, TypeAlias

import msgspec

from contact_center.offers.coownership import CoOwnership, family_of
from contact_center.offers.reasons import (
    ABNORMAL_REPAIRS,
    ASSET_AGE,
    CO_OWNED,
    RECENT_REPAIRS,
    REPEAT_REPAIRS,
    TOTAL_REPAIRS,
    WARRANTY_ENDED,
    WARRANTY_ENDING,
    Reason,
)
from contact_center.offers.rules import CustomerFacts, Offer, OfferRules, evaluate

__all__ = [
    "ACCEPT",
    "BASE",
    "CUE_WEIGHT",
    "DECLINE",
    "DECLINE_SNOOZE_DAYS",
    "EVIDENCE_WEIGHT",
    "LATER",
    "LATER_SNOOZE_DAYS",
    "LIFT_CAP",
    "LIFT_REASON_MIN",
    "LIFT_WEIGHT",
    "RESPONSES",
    "Recommendation",
    "ResponseLog",
    "evidence",
    "recommend",
    "score",
    "suppressed",
]

ACCEPT: Final = "accept"
DECLINE: Final = "decline"
LATER: Final = "later"
RESPONSES: Final = (ACCEPT, DECLINE, LATER)
"""The answers a customer can give to an offer."""

LATER_SNOOZE_DAYS: Final = 7
DECLINE_SNOOZE_DAYS: Final = 90

BASE: Final = 1.0
CUE_WEIGHT: Final = 1.0
LIFT_WEIGHT: Final = 0.75
EVIDENCE_WEIGHT: Final = 0.5
LIFT_CAP: Final = 4.0
"""A lift at which the co-ownership term is full; more adds nothing."""
LIFT_REASON_MIN: Final = 1.5
"""The lift from which co-ownership is shown as a reason; below it, it only nudges the score."""

ResponseLog: TypeAlias = Mapping[str, tuple[str, dt.date]]
"""Offer code -> (response, date answered): the customer's latest answer to each offer."""


class Recommendation(msgspec.Struct, frozen=True):
    """An offer to mention, its score, and why."""

    offer_code: str
    score: float
    reasons: list[Reason]
    cues: list[str]
    lift: float
    matched_asset_id: int | None = None


def _halving(steps: int) -> float:
    return 1.0 - 2.0 ** -max(steps, 0)


def evidence(rules: OfferRules, reasons: Sequence[Reason]) -> float:
    """How strongly the rules hold, 0..1, from the reasons `evaluate` gave (see the module docstring)."""
    strongest = 0.0
    for reason in reasons:
        value = 0.0
        params = reason.params
        if reason.code in (REPEAT_REPAIRS, RECENT_REPAIRS, TOTAL_REPAIRS):
            minimum = 1 if rules.min_repairs is None else rules.min_repairs
            value = _halving(_int(params, "count") - minimum + 1)
        elif reason.code == WARRANTY_ENDING:
            value = 1.0 - _int(params, "days") / ((rules.warranty_ends_within_days or 0) + 1)
        elif reason.code == WARRANTY_ENDED:
            value = 1.0 - _int(params, "days") / ((rules.warranty_ended_within_days or 0) + 1)
        elif reason.code == ASSET_AGE and rules.min_asset_age_years is not None:
            value = _halving(_int(params, "years") - rules.min_asset_age_years + 1)
        elif reason.code == ABNORMAL_REPAIRS and _int(params, "count") > 0:
            expected = params.get("expected", 0.0)
            value = 1.0 - (expected if isinstance(expected, float | int) else 0.0) / _int(params, "count")
        strongest = max(strongest, min(max(value, 0.0), 1.0))
    return strongest


def _int(params: Mapping[str, object], key: str) -> int:
    value = params.get(key, 0)
    return value if isinstance(value, int) else 0


def score(cues: int, lift: float, strength: float) -> float:
    """The ranking score for a number of cue words heard, a co-ownership lift and an evidence strength."""
    lift_term = min(max(math.log(lift) / math.log(LIFT_CAP), 0.0), 1.0) if lift > 0 else 0.0
    total = BASE + CUE_WEIGHT * _halving(cues) + LIFT_WEIGHT * lift_term + EVIDENCE_WEIGHT * strength
    return round(total, 4)


def suppressed(offers: Sequence[Offer], responses: ResponseLog, today: dt.date) -> dict[str, str]:
    """Offer code -> why it is held back ("accepted", "declined", "later"), for offers the customer answered.

    Raises ValueError for an answer that is not one of RESPONSES.
    """
    accepted_products: set[str] = set()
    by_code = {offer.code: offer for offer in offers}
    held: dict[str, str] = {}
    for code, (response, day) in responses.items():
        if response not in RESPONSES:
            raise ValueError(f"unknown response {response!r} to offer {code!r}; expected one of {RESPONSES}")
        waited = (today - day).days
        if response == ACCEPT:
            held[code] = "accepted"
            if code in by_code:
                accepted_products.add(by_code[code].product_model.strip().casefold())
        elif response == DECLINE and waited < DECLINE_SNOOZE_DAYS:
            held[code] = "declined"
        elif response == LATER and waited < LATER_SNOOZE_DAYS:
            held[code] = "later"
    for offer in offers:
        if offer.product_model.strip().casefold() in accepted_products:
            held.setdefault(offer.code, "accepted")
    return held


def _lift(
    offer: Offer, facts: CustomerFacts, coownership: CoOwnership | None, family: Callable[[str], str]
) -> tuple[float, Reason | None]:
    if coownership is None:
        return 1.0, None
    target = family(offer.product_model)
    owned = {family(asset.product_model) for asset in facts.assets} - {target}
    value, via = coownership.best_lift(owned, target)
    if via is None or value < LIFT_REASON_MIN:
        return value, None
    return value, Reason(CO_OWNED, {"family": via, "target": target, "lift": round(value, 1)})


def recommend(
    offers: Sequence[Offer],
    facts: CustomerFacts,
    text: str = "",
    coownership: CoOwnership | None = None,
    limit: int = 3,
    *,
    recent_responses: ResponseLog | None = None,
    family: Callable[[str], str] = family_of,
) -> list[Recommendation]:
    """The best `limit` eligible, unanswered offers for this customer, best first (see the module docstring).

    `family` must be the function the co-ownership counts were built with.
    """
    held = suppressed(offers, recent_responses or {}, facts.today)
    ranked: list[Recommendation] = []
    seen: set[str] = set()
    for offer in offers:
        if offer.code in held or offer.code in seen:
            continue
        seen.add(offer.code)
        verdict = evaluate(offer, facts, text)
        if not verdict.eligible:
            continue
        lift, lift_reason = _lift(offer, facts, coownership, family)
        reasons = [*verdict.reasons, lift_reason] if lift_reason is not None else list(verdict.reasons)
        ranked.append(
            Recommendation(
                offer_code=offer.code,
                score=score(len(verdict.cues), lift, evidence(offer.rules, verdict.reasons)),
                reasons=reasons,
                cues=verdict.cues,
                lift=round(lift, 3),
                matched_asset_id=verdict.matched_asset_id,
            )
        )
    ranked.sort(key=lambda r: (-r.score, r.offer_code))
    return ranked[: max(limit, 0)]
