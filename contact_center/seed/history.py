"""A customer's history: assets and purchases, then tickets and the contacts around them."""

from __future__ import annotations

import datetime
import random
from typing import NamedTuple, cast

from contact_center.seed import vocabulary_catalogue as catalogue
from contact_center.seed import vocabulary_service as service
from contact_center.seed.people import Profile, Record
from contact_center.seed.sampling import DAY, HOUR, MINUTE, SECOND, Weighted, add_years, at, between, pick, weights
from contact_center.seed.vocabulary_people import TECHNICIANS

TICKETS_PER_YEAR = 1.95
TECH_KINDS = frozenset({"repair", "installation", "maintenance"})
PRIORITIES = ("low", "normal", "high", "urgent")

_PRODUCT = Weighted(catalogue.PRODUCTS, [p.weight for p in catalogue.PRODUCTS])
_FIRST_PRODUCT = Weighted(catalogue.PRODUCTS, [p.weight * (3 if p.line == "ac" else 1) for p in catalogue.PRODUCTS])
_EXTRAS = {line: [e for e in catalogue.EXTRAS if e.line == line] for line in catalogue.LINE_NAMES}
_TECHS = TECHNICIANS
_WORDS = service.CONTACT_WORDS
_AGENT = Weighted(service.DEMO_AGENTS + tuple(f"agent{n:02d}" for n in range(1, 31)), [4.0] * 3 + [1.0] * 30)
_ASSET_COUNT = Weighted((1, 2, 3, 4), (45, 33, 15, 7))
_PURCHASE_CHANNEL = weights("store:45 web:25 phone:10 dealer:20")
_TICKET_CHANNEL = weights("phone:45 line:20 web:13 email:8 store:14")
_OPEN_CHANNEL = {"phone": "call", "line": "line", "web": "web", "email": "email", "store": "visit"}
_ASSET_CATEGORY = {
    line: Weighted(cats, [c.weight for c in cats])
    for line in catalogue.LINE_NAMES
    for cats in [[c for c in service.CATEGORIES if line in c.lines]]
}
_LOOSE = [c for c in service.CATEGORIES if not c.lines]
_LOOSE_CATEGORY = Weighted(_LOOSE, [c.weight for c in _LOOSE])
# Chance a drawn date is kept: air conditioners break in summer, heat pumps in winter.
_SEASON = {
    "ac": (0.3, 0.3, 0.4, 0.6, 0.9, 1, 1, 1, 0.9, 0.6, 0.4, 0.3),
    "dehumidifier": (0.5, 0.6, 0.9, 1, 1, 0.9, 0.7, 0.6, 0.6, 0.6, 0.5, 0.5),
    "heatpump": (1, 1, 0.8, 0.6, 0.4, 0.3, 0.3, 0.3, 0.4, 0.6, 0.8, 1),
}
_ALWAYS = (1.0,) * 12
_RESOLVE_HOURS = {
    "inquiry": (0.05, 48),
    "billing": (2, 240),
    "complaint": (4, 336),
    "repair": (6, 504),
    "maintenance": (24, 336),
    "cancellation": (0.5, 96),
    "installation": (24, 240),
}
_RESPONSE_MINUTES = {
    "phone": (0, 3),
    "store": (0, 10),
    "line": (5, 360),
    "web": (30, 2880),
    "email": (30, 2880),
}
_SATISFACTION = Weighted((1, 2, 3, 4, 5), (2, 3, 10, 35, 50))
_COMPLAINT_SATISFACTION = Weighted((1, 2, 3, 4, 5), (20, 25, 30, 15, 10))


class Unit(NamedTuple):
    external_id: str
    product: catalogue.Product
    installed: datetime.date


def _price(rng: random.Random, low: int, high: int) -> int:
    # Shop prices: whole hundreds, often 10 below (29,890).
    return (low + int(rng.random() * (high - low))) // 100 * 100 - (10 if rng.random() < 0.3 else 0)


def _sale(
    rng: random.Random, prof: Profile, day: datetime.date, item: catalogue.Product | catalogue.Extra
) -> tuple[datetime.datetime, Record]:
    model, sku = (item.model, None) if isinstance(item, catalogue.Product) else (None, item.sku)
    channel = _PURCHASE_CHANNEL.pick(rng)
    moment = at(day, *((7, 24) if channel == "web" else (11, 21) if channel == "store" else (9, 19)), rng)
    return moment, {
        "external_id": "",
        "customer_external_id": prof.external_id,
        "product_model": model,
        "sku": sku,
        "item_name": item.name,
        "amount": _price(rng, item.low, item.high),
        "purchased_at": moment.isoformat(),
        "channel": channel,
    }


def _asset(rng: random.Random, prof: Profile, unit: Unit, care: datetime.date | None) -> Record:
    p = unit.product
    return {
        "external_id": unit.external_id,
        "customer_external_id": prof.external_id,
        "product_model": p.model,
        "product_name": p.name,
        "serial": f"{p.model.replace('-', '')}{unit.installed:%y%m}{rng.randrange(10**6):06d}",
        "installed_on": unit.installed.isoformat(),
        "warranty_until": add_years(unit.installed, p.warranty_years).isoformat(),
        "maintenance_until": care.isoformat() if care else None,
    }


def holdings(
    rng: random.Random, prof: Profile, as_of: datetime.date
) -> tuple[list[Record], list[Record], list[Unit], int]:
    """Assets with the purchases that brought them, then accessories and maintenance contracts."""
    count = 4 if prof.heavy else min(4, _ASSET_COUNT.pick(rng) + prof.company)
    bought = sorted([prof.since] + [between(rng, prof.since, as_of) for _ in range(count - 1)])
    units: list[Unit] = []
    sales: list[tuple[datetime.datetime, Record]] = []
    for n, day in enumerate(bought):
        product = (_FIRST_PRODUCT if n == 0 else _PRODUCT).pick(rng)
        installed = min(day + DAY * rng.randint(1, 14), as_of)
        units.append(Unit(f"A{prof.position * 4 + n + 1:08d}", product, installed))
        sales.append(_sale(rng, prof, day, product))
    care: dict[str, datetime.date] = {}
    for _ in range(min(6 - count, pick(rng, (0, 0, 0, 0, 1, 1, 1, 2, 2, 3)) + 2 * prof.heavy)):
        unit = pick(rng, units)
        extra = pick(rng, _EXTRAS[unit.product.line])
        day = between(rng, unit.installed, as_of)
        sales.append(_sale(rng, prof, day, extra))
        if extra.plan_years:
            care[unit.external_id] = max(care.get(unit.external_id, day), add_years(day, extra.plan_years))
    sales.sort(key=lambda sale: sale[0])
    for n, (_, record) in enumerate(sales):
        record["external_id"] = f"P{prof.position * 10 + n + 1:09d}"
    spend = sum(cast(int, record["amount"]) for _, record in sales)
    assets = [_asset(rng, prof, unit, care.get(unit.external_id)) for unit in units]
    return assets, [record for _, record in sales], units, spend


class Plan(NamedTuple):
    category: service.Category
    unit: Unit | None
    channel: str
    created: datetime.datetime
    resolved: datetime.datetime | None  # known in advance only for installations


class Life(NamedTuple):
    status: str
    responded: datetime.datetime | None
    resolved: datetime.datetime | None
    closed: datetime.datetime | None


def _office_hours(rng: random.Random, moment: datetime.datetime) -> datetime.datetime:
    """A time during a technician's working day, on or after `moment`."""
    slot = at(moment.date(), 9, 18, rng)
    return slot if slot >= moment else slot + DAY


def _ticket_count(rng: random.Random, prof: Profile, as_of: datetime.date) -> int:
    if prof.heavy:
        return rng.randint(150, 400)
    years = (as_of - prof.history_from).days / 365.25
    rate = TICKETS_PER_YEAR * (1.5 if prof.company else 1.0) * rng.gammavariate(1.5, 1 / 1.5)
    return int(years * rate + rng.random())


def _install_plan(rng: random.Random, prof: Profile, unit: Unit) -> Plan:
    created = at(max(prof.history_from, unit.installed - DAY * rng.randint(1, 10)), 9, 20, rng)
    installed = max(at(unit.installed, 10, 18, rng), created + 2 * HOUR)
    return Plan(service.INSTALL_CATEGORY, unit, _TICKET_CHANNEL.pick(rng), created, installed)


def _plan(rng: random.Random, prof: Profile, units: list[Unit], as_of: datetime.date) -> Plan:
    unit: Unit | None = None
    day = as_of
    for attempt in range(3):
        day = between(rng, prof.history_from, as_of)
        owned = [u for u in units if u.installed < day]
        if not owned or rng.random() < 0.22:
            unit = None
            break
        unit = pick(rng, owned)
        if attempt == 2 or rng.random() < _SEASON.get(unit.product.line, _ALWAYS)[day.month - 1]:
            break
    category = _LOOSE_CATEGORY.pick(rng) if unit is None else _ASSET_CATEGORY[unit.product.line].pick(rng)
    channel = _TICKET_CHANNEL.pick(rng)
    created = at(day, *((9, 21) if channel in ("phone", "store") else (7, 24)), rng)
    return Plan(category, unit, channel, created, None)


def _life(rng: random.Random, plan: Plan, end: datetime.datetime) -> Life:
    """Status and milestones; the last weeks' tickets are still open because their work is not done yet."""
    kind = plan.category.kind
    low, high = _RESPONSE_MINUTES[plan.channel]
    responded = plan.created + MINUTE * (low + int(rng.random() * (high - low)))
    if responded > end:
        return Life("new", None, None, None)
    resolved = plan.resolved
    if resolved is None:
        low_h, high_h = _RESOLVE_HOURS[kind]
        resolved = plan.created + MINUTE * int(60 * (low_h + (high_h - low_h) * rng.random() ** 2))
        if kind in TECH_KINDS:
            resolved = _office_hours(rng, resolved)
    resolved = max(resolved, responded)
    if resolved > end or rng.random() < 0.003:  # a few old tickets were simply never closed
        return Life("pending" if rng.random() < 0.4 else "open", responded, None, None)
    closed = resolved + MINUTE * int(rng.random() * 72 * 60)
    if closed > end or ((end - resolved).days < 7 and rng.random() < 0.5):
        return Life("resolved", responded, resolved, None)
    return Life("closed", responded, resolved, closed)


class Slots(dict[str, str]):
    """Template slots filled on first use, so a text costs only the draws it needs."""

    def __init__(self, rng: random.Random, unit: Unit | None, region: str) -> None:
        super().__init__(model=unit.product.model if unit else "")
        self.rng = rng
        self.line = unit.product.line if unit else ""
        self.region = region

    def __missing__(self, key: str) -> str:
        if key == "tech":  # someone who came before, as customers say it: 王師傅
            value = pick(self.rng, _TECHS[self.region])[0] + "師傅"
        else:
            value = pick(self.rng, service.SLOTS.get(f"{self.line}.{key}") or service.SLOTS[key])
        self[key] = value
        return value


def iso(moment: datetime.datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _priority(rng: random.Random, base: str, company: bool) -> str:
    level, x = PRIORITIES.index(base), rng.random()
    level += 1 if x < 0.1 or (company and x < 0.3) else -1 if x > 0.95 else 0
    return PRIORITIES[max(0, min(level, len(PRIORITIES) - 1))]


def _texts(rng: random.Random, prof: Profile, plan: Plan) -> tuple[str, str]:
    """Subject and description, sharing their slots so both speak of the same unit."""
    category = plan.category
    slots = Slots(rng, plan.unit, prof.region)
    subject = pick(rng, category.subjects).format_map(slots)
    text = pick(rng, category.texts).format_map(slots)
    stop = "" if text[-1] in "？。！" else "？" if text[-1] in "嗎呢" else "。"
    if category.kind == "repair":
        text += stop + pick(rng, service.SLOTS["repair_extra"]).format_map(slots)
        closer = pick(rng, service.SLOTS["repair_closer"])
    else:
        text, closer = text + stop, pick(rng, service.SLOTS["closer"])
    return subject, pick(rng, service.SLOTS["opener"]) + text + closer


def _ticket(rng: random.Random, prof: Profile, plan: Plan, life: Life, external_id: str) -> tuple[Record, str | None]:
    """The ticket record and the technician sent, if any."""
    kind = plan.category.kind
    subject, description = _texts(rng, prof, plan)
    dispatched = kind in TECH_KINDS and life.status != "new" and rng.random() < 0.9
    technician = pick(rng, _TECHS[prof.region]) if dispatched else None
    rated = life.status == "closed" and rng.random() < 0.45
    scale = _COMPLAINT_SATISFACTION if kind == "complaint" else _SATISFACTION
    return {
        "external_id": external_id,
        "customer_external_id": prof.external_id,
        "asset_external_id": plan.unit.external_id if plan.unit else None,
        "kind": kind,
        "category": plan.category.label,
        "subject": subject,
        "description": description,
        "status": life.status,
        "priority": _priority(rng, plan.category.priority, prof.company),
        "channel": plan.channel,
        "created_at": plan.created.isoformat(),
        "first_response_at": iso(life.responded),
        "resolved_at": iso(life.resolved),
        "closed_at": iso(life.closed),
        "technician": technician,
        "satisfaction": scale.pick(rng) if rated else None,
    }, technician


class Handled(NamedTuple):
    ticket_id: str
    plan: Plan
    life: Life
    technician: str | None


def tickets(
    rng: random.Random, prof: Profile, units: list[Unit], as_of: datetime.date, end: datetime.datetime
) -> tuple[list[Record], list[Handled]]:
    plans = [_install_plan(rng, prof, unit) for unit in units if unit.installed >= prof.history_from]
    count = max(_ticket_count(rng, prof, as_of), len(plans))
    plans += [_plan(rng, prof, units, as_of) for _ in range(count - len(plans))]
    plans.sort(key=lambda plan: plan.created)
    records: list[Record] = []
    handled: list[Handled] = []
    for n, plan in enumerate(plans):
        life = _life(rng, plan, end)
        ticket_id = f"T{prof.position * 1000 + n + 1:010d}"
        record, technician = _ticket(rng, prof, plan, life, ticket_id)
        records.append(record)
        handled.append(Handled(ticket_id, plan, life, technician))
    return records, handled


Contact = tuple[datetime.datetime, Record]


def _contact(
    rng: random.Random,
    prof: Profile,
    started: datetime.datetime,
    ticket_id: str | None,
    channel: str,
    direction: str,
    summary: str,
    seconds: int | None,
) -> Contact:
    return started, {
        "external_id": "",
        "customer_external_id": prof.external_id,
        "ticket_external_id": ticket_id,
        "channel": channel,
        "direction": direction,
        "started_at": started.isoformat(),
        "duration_seconds": seconds,
        "agent": _AGENT.pick(rng),
        "phone": pick(rng, prof.phones) if channel == "call" else None,
        "summary": summary,
    }


def _call_seconds(rng: random.Random) -> int:
    return 40 + int(rng.random() ** 2 * 900)


def _visit(rng: random.Random, prof: Profile, item: Handled, end: datetime.datetime) -> list[Contact]:
    """The technician at the door: the visit that resolved the ticket, or one still in progress."""
    plan, life = item.plan, item.life
    # Dispatch systems log most visits as contacts, and a visit may still be ahead for an open ticket.
    if not item.technician or rng.random() < 0.35 or not (life.resolved or rng.random() < 0.5):
        return []
    seconds = 1200 + int(rng.random() * 4200)
    visit = life.resolved - seconds * SECOND if life.resolved else _office_hours(rng, plan.created + DAY)
    if not plan.created < visit <= end:
        return []
    part = pick(rng, service.SLOTS[f"{plan.unit.product.line if plan.unit else 'ac'}.part"])
    result = pick(rng, _WORDS[f"visit_{plan.category.kind}"]).format(part=part)
    summary = f"{item.technician}師傅到府：{result}"
    return [_contact(rng, prof, visit, item.ticket_id, "visit", "out", summary, seconds)]


def _follow_ups(rng: random.Random, prof: Profile, item: Handled, end: datetime.datetime) -> list[Contact]:
    """The courtesy call after closing and the customer chasing progress."""
    plan, life, kind = item.plan, item.life, item.plan.category.kind
    out = _visit(rng, prof, item, end)
    if life.closed and (kind in TECH_KINDS or kind == "complaint") and rng.random() < 0.3:
        when = at((life.closed + DAY * rng.randint(1, 3)).date(), 10, 18, rng)
        if when <= end:
            summary = pick(rng, _WORDS["follow_up"])
            out.append(_contact(rng, prof, when, item.ticket_id, "call", "out", summary, _call_seconds(rng)))
    stop = life.resolved or end
    if kind in ("repair", "billing", "complaint") and stop - plan.created > 3 * DAY and rng.random() < 0.25:
        when = _office_hours(rng, plan.created + (stop - plan.created) / 2)
        if when <= min(stop, end):
            summary = pick(rng, _WORDS["chaser"])
            out.append(_contact(rng, prof, when, item.ticket_id, "call", "in", summary, _call_seconds(rng)))
    return out


def interactions(
    rng: random.Random, prof: Profile, handled: list[Handled], as_of: datetime.date, end: datetime.datetime
) -> list[Record]:
    contacts: list[Contact] = []
    for item in handled:
        plan = item.plan
        channel = _OPEN_CHANNEL[plan.channel]
        call = channel == "call"
        started = plan.created - MINUTE * rng.randint(1, 4) if call else plan.created
        summary = f"{_WORDS[channel][0]}{_WORDS[plan.category.kind][0]}：{plan.category.label}"
        seconds = _call_seconds(rng) if call else None
        if channel == "visit":  # walked into a store
            seconds = 300 + int(rng.random() * 1500)
        contacts.append(_contact(rng, prof, started, item.ticket_id, channel, "in", summary, seconds))
        contacts += _follow_ups(rng, prof, item, end)
    for _ in range(int((as_of - prof.history_from).days / 365.25 * 0.25 + rng.random())):
        channel, direction, summary = pick(rng, service.STANDALONE)
        started = at(between(rng, prof.history_from, as_of), 9, 21, rng)
        seconds = _call_seconds(rng) if channel == "call" else None
        contacts.append(_contact(rng, prof, started, None, channel, direction, summary, seconds))
    contacts.sort(key=lambda contact: contact[0])
    for n, (_, record) in enumerate(contacts):
        record["external_id"] = f"I{prof.position * 10000 + n + 1:011d}"
    return [record for _, record in contacts]
