"""Which product families customers own together, as lift: "owners of X are n times as likely to own Y".

`CoOwnership.build` counts, over (customer_id, product_model) pairs, how many customers own each family
and each pair of families. A family is the model up to its first "-", upper-cased ("rac-28nk" → "RAC"),
or whatever the `family` function given to `build` says; the recommender must then be given the same one.
The nightly job builds it from every asset and stores `to_json()`; the recommender loads it with
`from_json` and asks `lift(owned_families, target_family)`.

The lift of a target family t for an owned family a:

    P(t)       = n_t / N                          N: customers owning at least one family
    P(t | a)   = (n_at + k * P(t)) / (n_a + k)    add-k smoothing towards the base rate
    lift(a, t) = P(t | a) / P(t)

Smoothing adds k imaginary owners of a who own t at the base rate, so a small group is pulled towards
lift 1 (nothing learnt) while a large one keeps its own rate. On top of that, a pair owned together by
fewer than `min_support` customers is ignored (lift 1): two customers who happen to own a fridge and a
dehumidifier do not make a rule. `lift(owned, t)` is the largest lift(a, t) over the owned families with
enough support, 1.0 when there is none. Customers without any asset are not counted in N.

Lifts are precomputed for every ordered pair with enough support, so a lookup is one dict access per
owned family.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping
from typing import Any, Final

import msgspec

__all__ = [
    "DEFAULT_MIN_SUPPORT",
    "DEFAULT_SMOOTHING_K",
    "CoOwnership",
    "CoOwnershipCounts",
    "family_of",
]

DEFAULT_SMOOTHING_K: Final = 5.0
"""Imaginary customers at the base rate added to every owned family's group."""
DEFAULT_MIN_SUPPORT: Final = 5
"""Fewest customers owning both families for the pair to count at all."""
_VERSION: Final = 1


def family_of(product_model: str) -> str:
    """The product family: the model up to its first "-", upper-cased and stripped ("RAC-28NK" → "RAC")."""
    return product_model.strip().split("-", 1)[0].strip().upper()


class CoOwnershipCounts(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """The stored form: plain counts and the parameters they are read with."""

    customers: int
    families: dict[str, int]  # family -> customers owning it
    pairs: dict[str, dict[str, int]]  # pairs[a][b], a < b -> customers owning both; each pair once
    smoothing_k: float = DEFAULT_SMOOTHING_K
    min_support: int = DEFAULT_MIN_SUPPORT
    version: int = _VERSION


def _problems(counts: CoOwnershipCounts) -> list[str]:
    problems: list[str] = []
    if counts.version != _VERSION:
        problems.append(f"version: expected {_VERSION}, got {counts.version}")
    if counts.smoothing_k < 0:
        problems.append(f"smoothing_k: must be 0 or more, got {counts.smoothing_k}")
    if counts.min_support < 1:
        problems.append(f"min_support: must be 1 or more, got {counts.min_support}")
    problems.extend(
        f"families[{family!r}]: {n} is not between 1 and customers ({counts.customers})"
        for family, n in counts.families.items()
        if not 1 <= n <= counts.customers
    )
    for a, row in counts.pairs.items():
        for b, both in row.items():
            if not a < b or a not in counts.families or b not in counts.families:
                problems.append(f"pairs[{a!r}][{b!r}]: needs two known families in order")
            elif not 1 <= both <= min(counts.families[a], counts.families[b]):
                problems.append(f"pairs[{a!r}][{b!r}]: {both} is more than either family's owners, or under 1")
    return problems


def _smoothed_lift(both: int, owners: int, target_owners: int, customers: int, k: float) -> float:
    base = target_owners / customers
    return (both + k * base) / (owners + k) / base


def _lift_table(counts: CoOwnershipCounts) -> dict[str, dict[str, float]]:
    table: dict[str, dict[str, float]] = defaultdict(dict)
    n, k = counts.customers, counts.smoothing_k
    for a, row in counts.pairs.items():
        for b, both in row.items():
            if both < counts.min_support:
                continue
            n_a, n_b = counts.families[a], counts.families[b]
            table[a][b] = _smoothed_lift(both, n_a, n_b, n, k)
            table[b][a] = _smoothed_lift(both, n_b, n_a, n, k)
    return dict(table)


class CoOwnership:
    """Co-ownership counts with their lifts precomputed; build it, store it, look lifts up."""

    __slots__ = ("_lifts", "counts")

    def __init__(self, counts: CoOwnershipCounts) -> None:
        problems = _problems(counts)
        if problems:
            raise ValueError("invalid co-ownership counts: " + "; ".join(problems))
        self.counts = counts
        self._lifts = _lift_table(counts)

    @classmethod
    def build(
        cls,
        pairs: Iterable[tuple[Hashable, str]],
        *,
        family: Callable[[str], str] = family_of,
        smoothing_k: float = DEFAULT_SMOOTHING_K,
        min_support: int = DEFAULT_MIN_SUPPORT,
    ) -> CoOwnership:
        """Counts from (customer_id, product_model) pairs; repeats and empty families are ignored."""
        owned: dict[Hashable, set[str]] = defaultdict(set)
        for customer_id, model in pairs:
            name = family(model)
            if name:
                owned[customer_id].add(name)
        families: Counter[str] = Counter()
        together: dict[str, Counter[str]] = defaultdict(Counter)
        for names in owned.values():
            ordered = sorted(names)
            families.update(ordered)
            for i, a in enumerate(ordered[:-1]):
                together[a].update(ordered[i + 1 :])
        counts = CoOwnershipCounts(
            customers=len(owned),
            families=dict(sorted(families.items())),
            pairs={a: dict(sorted(row.items())) for a, row in sorted(together.items())},
            smoothing_k=smoothing_k,
            min_support=min_support,
        )
        return cls(counts)

    @property
    def customers(self) -> int:
        """Customers owning at least one family."""
        return self.counts.customers

    def owners(self, family: str) -> int:
        """Customers owning `family`."""
        return self.counts.families.get(family, 0)

    def owned_together(self, a: str, b: str) -> int:
        """Customers owning both `a` and `b` (0 for a family with itself)."""
        first, second = sorted((a, b))
        return self.counts.pairs.get(first, {}).get(second, 0)

    def best_lift(self, owned: Iterable[str], target: str) -> tuple[float, str | None]:
        """The largest smoothed lift of `target` over the owned families, and the family giving it.

        (1.0, None) when no owned family other than `target` has enough support; ties go to the
        alphabetically first family, so the reason shown is stable.
        """
        best: tuple[float, str | None] = (1.0, None)
        for family in sorted(set(owned)):
            value = self._lifts.get(family, {}).get(target) if family != target else None
            if value is not None and (best[1] is None or value > best[0]):
                best = (value, family)
        return best

    def lift(self, owned: Iterable[str], target: str) -> float:
        """The largest smoothed lift of `target` over the owned families; 1.0 when nothing is known."""
        return self.best_lift(owned, target)[0]

    def to_dict(self) -> dict[str, Any]:
        """The counts as plain JSON-ready data (for a JSONB column)."""
        data: dict[str, Any] = msgspec.to_builtins(self.counts)
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CoOwnership:
        """Back from `to_dict`; ValueError (msgspec.ValidationError is one) when the data is malformed."""
        return cls(msgspec.convert(data, CoOwnershipCounts))

    def to_json(self) -> bytes:
        """The counts as JSON."""
        return msgspec.json.encode(self.counts)

    @classmethod
    def from_json(cls, data: bytes | str) -> CoOwnership:
        """Back from `to_json`; ValueError when the JSON is malformed."""
        return cls(msgspec.json.decode(data, type=CoOwnershipCounts))
