"""Deterministic demo data: customers with their appliances, purchases, tickets and contacts.

Every customer is generated from its own `random.Random(f"{seed}:{index}")`, so the output is
reproducible byte for byte, can be streamed in bounded memory, and any customer can be regenerated
on its own — which is how household members find the landline of the neighbour they live with.
"""

from __future__ import annotations

import contextlib
import datetime
import json
import pathlib
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from contact_center.seed import history, people
from contact_center.seed.sampling import TZ

KINDS = ("customers", "assets", "purchases", "tickets", "interactions")


@dataclass(frozen=True, slots=True)
class CustomerBundle:
    customer: dict[str, object]
    assets: list[dict[str, object]]
    purchases: list[dict[str, object]]
    tickets: list[dict[str, object]]
    interactions: list[dict[str, object]]


def build_bundle(seed: int, index: int, as_of: datetime.date) -> CustomerBundle:
    """Customer number `index` (0-based) of the data set for `seed`, complete with its history."""
    rng = random.Random(f"{seed}:{index}")
    end = datetime.datetime(as_of.year, as_of.month, as_of.day, 23, 59, tzinfo=TZ)
    customer, prof = people.customer(rng, seed, index, as_of)
    assets, purchases, units, spend = history.holdings(rng, prof, as_of)
    customer["value_tier"] = people.value_tier(spend, prof.heavy)
    tickets, handled = history.tickets(rng, prof, units, as_of, end)
    interactions = history.interactions(rng, prof, handled, as_of, end)
    return CustomerBundle(customer, assets, purchases, tickets, interactions)


def iter_bundles(customers: int, seed: int, as_of: datetime.date) -> Iterator[CustomerBundle]:
    """Bundles for customers 0..customers-1, one at a time, so memory stays flat for any size."""
    if customers < 0:
        raise ValueError(f"customers must not be negative: {customers}")
    return (build_bundle(seed, index, as_of) for index in range(customers))


def write_jsonl(
    directory: pathlib.Path,
    customers: int,
    seed: int,
    as_of: datetime.date,
    progress: Callable[[int], None] | None = None,
) -> dict[str, pathlib.Path]:
    """Writes customers.jsonl, assets.jsonl, purchases.jsonl, tickets.jsonl, interactions.jsonl in one pass;
    returns kind -> path. Calls progress(customers_done) every 1000 customers, and once more at the end."""
    directory.mkdir(parents=True, exist_ok=True)
    paths = {kind: directory / f"{kind}.jsonl" for kind in KINDS}
    # The same bytes as json.dumps(record, ensure_ascii=False), without building an encoder per record.
    encode = json.JSONEncoder(ensure_ascii=False, check_circular=False).encode
    with contextlib.ExitStack() as stack:
        files = [stack.enter_context(p.open("w", encoding="utf-8", newline="\n")) for p in paths.values()]
        for done, bundle in enumerate(iter_bundles(customers, seed, as_of), start=1):
            groups = ([bundle.customer], bundle.assets, bundle.purchases, bundle.tickets, bundle.interactions)
            for handle, records in zip(files, groups, strict=True):
                if records:
                    handle.write("\n".join(map(encode, records)) + "\n")
            if progress is not None and done % 1000 == 0:
                progress(done)
    if progress is not None and customers % 1000:
        progress(customers)
    return paths
