"""Which kind of records a file holds: from its name, else from the fields of its first record."""

from __future__ import annotations

import json
from pathlib import Path

# Dependency order: a record may only refer to kinds before it.
ORDER = ("customers", "assets", "purchases", "tickets", "interactions")
_NAME_HINTS = {
    "customer": "customers",
    "asset": "assets",
    "product": "assets",
    "purchase": "purchases",
    "order": "purchases",
    "ticket": "tickets",
    "case": "tickets",
    "interaction": "interactions",
    "contact": "interactions",
    "call": "interactions",
}


def from_fields(fields: set[str]) -> str | None:
    if {"kind", "subject"} <= fields or {"kind", "description", "customer_external_id"} <= fields:
        return "tickets"
    if "started_at" in fields and ("direction" in fields or "channel" in fields):
        return "interactions"
    if "purchased_at" in fields or "amount" in fields:
        return "purchases"
    if "customer_external_id" in fields and ({"serial", "installed_on", "warranty_until"} & fields):
        return "assets"
    if "name" in fields and "customer_external_id" not in fields:
        return "customers"
    return None


def detect(path: Path, max_lines: int = 50) -> str | None:
    stem = path.name.lower()
    for hint, kind in _NAME_HINTS.items():
        if hint in stem:
            return kind
    with path.open("rb") as handle:
        for _, line in zip(range(max_lines), handle, strict=False):
            try:
                obj = json.loads(line)
            except ValueError:
                continue
            if isinstance(obj, dict):
                return from_fields(set(obj))
    return None


def in_dependency_order(items: list[tuple[Path, str]]) -> list[tuple[Path, str]]:
    return sorted(items, key=lambda item: ORDER.index(item[1]))
