"""One JSON object of an import file → one row for our tables, or a `RecordError` saying what is wrong.

Known fields map to columns; every other field is kept in the row's `extra`, so nothing the old
system knew is dropped. References to other records stay as external ids here; the importer
resolves them in bulk.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from contact_center import phones as phone_numbers
from contact_center.clock import TAIPEI
from contact_center.tickets.workflow import OPEN_STATUSES, PRIORITIES, STATUSES

Row = dict[str, Any]


class RecordError(ValueError):
    """This line cannot be imported; the message says why, in terms of the file's fields."""


def _text(obj: dict[str, Any], field: str, *, required: bool = False, limit: int = 300) -> str | None:
    value = obj.get(field)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise RecordError(f"{field} is required")
        return None
    if isinstance(value, (dict, list, bool)):
        raise RecordError(f"{field} must be text")
    text = str(value).strip()
    if len(text) > limit:
        raise RecordError(f"{field} is longer than {limit} characters")
    return text


def _date(obj: dict[str, Any], field: str) -> dt.date | None:
    value = _text(obj, field, limit=40)
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        raise RecordError(f"{field} is not a date (YYYY-MM-DD): {value!r}") from None


def _datetime(obj: dict[str, Any], field: str, *, required: bool = False) -> dt.datetime | None:
    value = _text(obj, field, required=required, limit=40)
    if value is None:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        raise RecordError(f"{field} is not an ISO 8601 date-time: {value!r}") from None
    # The contract asks for an offset; a bare local time from a Taiwanese system means Taiwan time.
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=TAIPEI)


def _int(obj: dict[str, Any], field: str, low: int | None = None, high: int | None = None) -> int | None:
    value = obj.get(field)
    if value is None or value == "":
        return None
    try:
        number = int(float(value)) if isinstance(value, (int, float, str)) and not isinstance(value, bool) else None
    except ValueError:
        number = None
    if number is None or (low is not None and number < low) or (high is not None and number > high):
        bounds = f" between {low} and {high}" if low is not None and high is not None else ""
        raise RecordError(f"{field} must be a whole number{bounds}: {value!r}")
    return number


def _extra(obj: dict[str, Any], known: frozenset[str]) -> dict[str, Any]:
    return {k: v for k, v in obj.items() if k not in known}


def _list_of_text(obj: dict[str, Any], field: str) -> list[str]:
    value = obj.get(field)
    if value is None:
        return []
    items = value if isinstance(value, list) else [value]
    return [str(v).strip() for v in items if v is not None and str(v).strip()]


CUSTOMER_FIELDS = frozenset(
    {
        "external_id",
        "name",
        "phones",
        "phone",
        "email",
        "emails",
        "birthday",
        "important_dates",
        "city",
        "address",
        "preferences",
        "taboos",
        "notes",
        "value_tier",
        "customer_since",
    }
)
VALUE_TIERS = frozenset({"vip", "gold", "standard", "basic"})


def customer(obj: dict[str, Any]) -> tuple[Row, list[tuple[str, str]]]:
    """A customer row and its phones as (e164, original text); invalid numbers are an error."""
    phones: list[tuple[str, str]] = []
    for raw in _list_of_text(obj, "phones") + _list_of_text(obj, "phone"):
        e164 = phone_numbers.to_e164(raw)
        if e164 is None:
            raise RecordError(f"not a valid phone number: {raw!r}")
        if e164 not in {p[0] for p in phones}:
            phones.append((e164, raw[:64]))
    tier = (_text(obj, "value_tier", limit=16) or "standard").lower()
    dates = obj.get("important_dates") or []
    if not isinstance(dates, list):
        raise RecordError("important_dates must be a list")
    row: Row = {
        "external_id": _text(obj, "external_id", required=True, limit=64),
        "name": _text(obj, "name", required=True, limit=200),
        "emails": _list_of_text(obj, "emails") + _list_of_text(obj, "email"),
        "birthday": _date(obj, "birthday"),
        "important_dates": dates,
        "city": _text(obj, "city", limit=64),
        "address": _text(obj, "address"),
        "preferences": _text(obj, "preferences", limit=2000),
        "taboos": _text(obj, "taboos", limit=2000),
        "notes": _text(obj, "notes", limit=10000),
        "value_tier": tier if tier in VALUE_TIERS else "standard",
        "customer_since": _date(obj, "customer_since"),
        "extra": _extra(obj, CUSTOMER_FIELDS),
    }
    return row, phones


ASSET_FIELDS = frozenset(
    {
        "external_id",
        "customer_external_id",
        "product_model",
        "product_name",
        "serial",
        "installed_on",
        "warranty_until",
        "maintenance_until",
    }
)


def asset(obj: dict[str, Any]) -> Row:
    return {
        "external_id": _text(obj, "external_id", required=True, limit=64),
        "customer_external_id": _text(obj, "customer_external_id", required=True, limit=64),
        "product_model": _text(obj, "product_model", required=True, limit=64),
        "product_name": _text(obj, "product_name", limit=200),
        "serial": _text(obj, "serial", limit=64),
        "installed_on": _date(obj, "installed_on"),
        "warranty_until": _date(obj, "warranty_until"),
        "maintenance_until": _date(obj, "maintenance_until"),
        "extra": _extra(obj, ASSET_FIELDS),
    }


PURCHASE_FIELDS = frozenset(
    {"external_id", "customer_external_id", "product_model", "sku", "amount", "purchased_at", "channel"}
)


def purchase(obj: dict[str, Any]) -> Row:
    row: Row = {
        "external_id": _text(obj, "external_id", required=True, limit=64),
        "customer_external_id": _text(obj, "customer_external_id", required=True, limit=64),
        "product_model": _text(obj, "product_model", limit=64),
        "sku": _text(obj, "sku", limit=64),
        "amount": _int(obj, "amount", 0, 10**11) or 0,
        "purchased_at": _datetime(obj, "purchased_at", required=True),
        "channel": _text(obj, "channel", limit=32),
        "extra": _extra(obj, PURCHASE_FIELDS),
    }
    if row["product_model"] is None and row["sku"] is None:
        raise RecordError("product_model or sku is required")
    return row


TICKET_FIELDS = frozenset(
    {
        "external_id",
        "customer_external_id",
        "asset_external_id",
        "kind",
        "subject",
        "description",
        "created_at",
        "closed_at",
        "resolved_at",
        "first_response_at",
        "technician",
        "channel",
        "satisfaction",
        "status",
        "priority",
        "category",
    }
)


def _status(obj: dict[str, Any], closed_at: dt.datetime | None, extra: dict[str, Any]) -> str:
    status = (_text(obj, "status", limit=32) or "").lower().replace(" ", "_")
    if status in STATUSES:
        return status
    if status:
        extra["original_status"] = obj.get("status")
    return "closed" if closed_at else "open"


def ticket(obj: dict[str, Any]) -> Row:
    extra = _extra(obj, TICKET_FIELDS)
    closed_at = _datetime(obj, "closed_at")
    status = _status(obj, closed_at, extra)
    priority = (_text(obj, "priority", limit=16) or "normal").lower()
    if priority not in PRIORITIES:
        extra["original_priority"] = obj.get("priority")
        priority = "normal"
    description = _text(obj, "description", limit=100_000) or ""
    subject = _text(obj, "subject", limit=300) or description[:60].strip()
    if not subject:
        raise RecordError("subject or description is required")
    resolved_at = _datetime(obj, "resolved_at") or (closed_at if status not in OPEN_STATUSES else None)
    return {
        "external_id": _text(obj, "external_id", required=True, limit=64),
        "customer_external_id": _text(obj, "customer_external_id", required=True, limit=64),
        "asset_external_id": _text(obj, "asset_external_id", limit=64),
        "kind": (_text(obj, "kind", required=True, limit=32) or "").lower(),
        "subject": subject,
        "description": description,
        "status": status,
        "priority": priority,
        "channel": _text(obj, "channel", limit=32),
        "category": _text(obj, "category", limit=100),
        "created_at": _datetime(obj, "created_at", required=True),
        "first_response_at": _datetime(obj, "first_response_at"),
        "resolved_at": resolved_at,
        "closed_at": closed_at,
        "technician": _text(obj, "technician", limit=100),
        "satisfaction": _int(obj, "satisfaction", 1, 5),
        "extra": extra,
    }


INTERACTION_FIELDS = frozenset(
    {
        "external_id",
        "customer_external_id",
        "ticket_external_id",
        "channel",
        "direction",
        "started_at",
        "duration_seconds",
        "agent",
        "summary",
        "phone",
        "call_id",
    }
)


def interaction(obj: dict[str, Any]) -> Row:
    direction = (_text(obj, "direction", limit=8) or "in").lower()
    if direction not in {"in", "out"}:
        raise RecordError(f"direction must be in or out: {direction!r}")
    return {
        "external_id": _text(obj, "external_id", required=True, limit=64),
        "customer_external_id": _text(obj, "customer_external_id", limit=64),
        "ticket_external_id": _text(obj, "ticket_external_id", limit=64),
        "channel": (_text(obj, "channel", required=True, limit=16) or "").lower(),
        "direction": direction,
        "started_at": _datetime(obj, "started_at", required=True),
        "duration_seconds": _int(obj, "duration_seconds", 0, 10**7),
        "agent_name": _text(obj, "agent", limit=100),
        "phone": phone_numbers.to_e164(_text(obj, "phone", limit=64)),
        "call_id": _text(obj, "call_id", limit=64),
        "summary": _text(obj, "summary", limit=10000),
        "extra": _extra(obj, INTERACTION_FIELDS),
    }


CONVERTERS: dict[str, Callable[[dict[str, Any]], Any]] = {
    "customers": customer,
    "assets": asset,
    "purchases": purchase,
    "tickets": ticket,
    "interactions": interaction,
}
