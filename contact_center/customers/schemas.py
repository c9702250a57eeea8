from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec

from contact_center.bounded import LongText, Text16, Text32, Text64, Text200, Text255, Text300


class Phone(msgspec.Struct):
    e164: str
    display: str
    raw: str
    label: str | None = None


class ImportantDate(msgspec.Struct):
    label: Text32
    date: dt.date


class Customer(msgspec.Struct):
    id: int
    name: str
    phones: list[Phone]
    emails: list[str]
    value_tier: str
    external_id: str | None = None
    birthday: dt.date | None = None
    important_dates: list[dict[str, Any]] = []
    city: str | None = None
    address: str | None = None
    preferences: str | None = None
    taboos: str | None = None
    notes: str | None = None
    customer_since: dt.date | None = None
    created_at: dt.datetime | None = None
    updated_at: dt.datetime | None = None


class PhoneIn(msgspec.Struct):
    number: Text64
    label: Text32 | None = None


class CustomerCreate(msgspec.Struct):
    name: Text200
    phones: list[PhoneIn | Text64] = []
    emails: list[Text255] = []
    external_id: Text64 | None = None
    birthday: dt.date | None = None
    important_dates: list[ImportantDate] = []
    city: Text64 | None = None
    address: Text300 | None = None
    preferences: LongText | None = None
    taboos: LongText | None = None
    notes: LongText | None = None
    value_tier: Text16 = "standard"


class CustomerUpdate(msgspec.Struct):
    """Only the fields sent are changed; `phones`, when sent, replaces the whole list."""

    name: Text200 | msgspec.UnsetType = msgspec.UNSET
    phones: list[PhoneIn | Text64] | msgspec.UnsetType = msgspec.UNSET
    emails: list[Text255] | msgspec.UnsetType = msgspec.UNSET
    birthday: dt.date | None | msgspec.UnsetType = msgspec.UNSET
    important_dates: list[ImportantDate] | msgspec.UnsetType = msgspec.UNSET
    city: Text64 | None | msgspec.UnsetType = msgspec.UNSET
    address: Text300 | None | msgspec.UnsetType = msgspec.UNSET
    preferences: LongText | None | msgspec.UnsetType = msgspec.UNSET
    taboos: LongText | None | msgspec.UnsetType = msgspec.UNSET
    notes: LongText | None | msgspec.UnsetType = msgspec.UNSET
    value_tier: Text16 | msgspec.UnsetType = msgspec.UNSET


class LookupResult(msgspec.Struct):
    phone: str
    e164: str | None
    customers: list[Customer]


class AssetRepairFlag(msgspec.Struct):
    """The unit is repaired abnormally often for its model and age (a repair flag not cleared)."""

    repairs: int
    expected: float  # repairs a unit of its model and age would have had
    rate_ratio: float
    first_flagged_on: dt.date
    status: str  # open | acknowledged


class AssetView(msgspec.Struct):
    id: int
    product_model: str
    external_id: str | None
    product_name: str | None
    serial: str | None
    installed_on: dt.date | None
    warranty_until: dt.date | None
    maintenance_until: dt.date | None
    # in_warranty | expiring (≤ 30 days left) | expired | unknown
    warranty_state: str
    warranty_days_left: int | None
    maintenance_state: str
    repairs: int
    last_repair_at: dt.datetime | None
    repair_flag: AssetRepairFlag | None = None


class TicketBrief(msgspec.Struct):
    id: int
    kind: str
    status: str
    priority: str
    subject: str
    created_at: dt.datetime
    external_id: str | None = None
    category: str | None = None
    channel: str | None = None
    asset_id: int | None = None
    technician: str | None = None
    closed_at: dt.datetime | None = None
    satisfaction: int | None = None


class InteractionBrief(msgspec.Struct):
    id: int
    channel: str
    direction: str
    started_at: dt.datetime
    duration_seconds: int | None = None
    agent: str | None = None
    summary: str | None = None
    ticket_id: int | None = None


class PurchaseBrief(msgspec.Struct):
    id: int
    amount: int
    purchased_at: dt.datetime
    product_model: str | None = None
    sku: str | None = None
    channel: str | None = None


class RepairSummary(msgspec.Struct):
    total: int
    last_12_months: int
    last_repair_at: dt.datetime | None


class Satisfaction(msgspec.Struct):
    average: float | None
    rated: int
    last: int | None


class Value(msgspec.Struct):
    lifetime_amount: int
    purchases: int
    last_purchase_at: dt.datetime | None


class TicketPage(msgspec.Struct):
    items: list[TicketBrief]
    total: int
    limit: int
    offset: int


class CustomerHistory(msgspec.Struct):
    """The single customer view: everything an agent needs while the phone rings."""

    customer: Customer
    assets: list[AssetView]
    open_tickets: list[TicketBrief]
    open_tickets_total: int
    tickets: TicketPage
    interactions: list[InteractionBrief]
    interactions_total: int
    purchases: list[PurchaseBrief]
    value: Value
    repairs: RepairSummary
    satisfaction: Satisfaction
    kinds: dict[str, int]
