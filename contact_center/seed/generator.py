"""Deterministic demo data: customers with their appliances, purchases, tickets and contacts.

Every customer is generated from its own `random.Random(f"{seed}:{index}")`, so the output is
reproducible byte for byte, can be streamed in bounded memory, and any customer can be regenerated
on its own — which is how household members find the landline of the neighbour they live with.
"""

from __future__ import annotations

import bisect
import contextlib
import datetime
import itertools
import json
import pathlib
import random
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Generic, NamedTuple, TypeVar, cast

from contact_center.seed import vocabulary as vocab

KINDS = ("customers", "assets", "purchases", "tickets", "interactions")

Record = dict[str, object]
T = TypeVar("T")
TZ = datetime.timezone(datetime.timedelta(hours=8))
DAY = datetime.timedelta(days=1)
MINUTE = datetime.timedelta(minutes=1)
HOUR = datetime.timedelta(hours=1)
SECOND = datetime.timedelta(seconds=1)

HEAVY_EVERY = 500  # one customer in 500 is a landlord or company with 150-400 tickets
HOUSEHOLD_P = 0.03  # half find a landline to share; with the anchor, ~3% of customers share one
HISTORY_YEARS = 6
TICKETS_PER_YEAR = 1.95
TECH_KINDS = frozenset({"repair", "installation", "maintenance"})
PRIORITIES = ("low", "normal", "high", "urgent")


@dataclass(frozen=True, slots=True)
class CustomerBundle:
    customer: dict[str, object]
    assets: list[dict[str, object]]
    purchases: list[dict[str, object]]
    tickets: list[dict[str, object]]
    interactions: list[dict[str, object]]


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


def _weights(spec: str) -> Weighted[str]:
    pairs = [item.split(":") for item in spec.split()]
    return Weighted([k for k, _ in pairs], [float(w) for _, w in pairs])


_CITY = Weighted(vocab.CITIES, [c.weight for c in vocab.CITIES])
_SURNAME = Weighted(vocab.SURNAMES, [s.weight for s in vocab.SURNAMES])
_PRODUCT = Weighted(vocab.PRODUCTS, [p.weight for p in vocab.PRODUCTS])
_FIRST_PRODUCT = Weighted(vocab.PRODUCTS, [p.weight * (3 if p.line == "ac" else 1) for p in vocab.PRODUCTS])
_EXTRAS = {line: [e for e in vocab.EXTRAS if e.line == line] for line in vocab.LINE_NAMES}
_TECHS = vocab.TECHNICIANS
_WORDS = vocab.CONTACT_WORDS
_AGENT = Weighted(vocab.DEMO_AGENTS + tuple(f"agent{n:02d}" for n in range(1, 31)), [4.0] * 3 + [1.0] * 30)
_ASSET_COUNT = Weighted((1, 2, 3, 4), (45, 33, 15, 7))
_PURCHASE_CHANNEL = _weights("store:45 web:25 phone:10 dealer:20")
_TICKET_CHANNEL = _weights("phone:45 line:20 web:13 email:8 store:14")
_OPEN_CHANNEL = {"phone": "call", "line": "line", "web": "web", "email": "email", "store": "visit"}
_ASSET_CATEGORY = {
    line: Weighted(cats, [c.weight for c in cats])
    for line in vocab.LINE_NAMES
    for cats in [[c for c in vocab.CATEGORIES if line in c.lines]]
}
_LOOSE = [c for c in vocab.CATEGORIES if not c.lines]
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


def is_heavy(seed: int, index: int) -> bool:
    # A fixed fraction of indices, so any 2,000 consecutive customers contain exactly four.
    return (index + seed) % HEAVY_EVERY == HEAVY_EVERY // 2


class Core(NamedTuple):
    """The draws a household shares; replayable from (seed, index) alone."""

    company: bool
    surname: vocab.Surname
    city: vocab.City
    address: str
    landline: tuple[str, str]
    has_landline: bool
    kin: bool  # a household member carrying the same surname (child, sibling) rather than a spouse's


def _address(rng: random.Random, city: vocab.City) -> str:
    parts = vocab.ADDRESS_PARTS
    road = pick(rng, parts["road"]) + (pick(rng, parts["section"]) if rng.random() < 0.3 else "")
    lane = f"{rng.randint(1, 300)}巷" if rng.random() < 0.35 else ""
    alley = f"{rng.randint(1, 30)}弄" if lane and rng.random() < 0.3 else ""
    number = f"{rng.randint(1, 400)}" + (f"之{rng.randint(1, 5)}" if rng.random() < 0.1 else "")
    floor = f"{rng.randint(2, 15)}樓" if rng.random() < 0.6 else ""
    return f"{pick(rng, city.districts)}{road}{lane}{alley}{number}號{floor}"


def _own_core(rng: random.Random, heavy: bool) -> tuple[bool, Core]:
    follower = rng.random() < HOUSEHOLD_P and not heavy
    company = (heavy and rng.random() < 0.6) or rng.random() < 0.05
    city = _CITY.pick(rng)
    lead = pick(rng, city.leads)
    subscriber = lead + f"{rng.randrange(10 ** (city.digits - len(lead))):0{city.digits - len(lead)}d}"
    has_landline = rng.random() < (0.95 if company else 0.5)
    core = Core(
        company,
        _SURNAME.pick(rng),
        city,
        _address(rng, city),
        (city.area, subscriber),
        has_landline,
        rng.random() < 0.7,
    )
    return follower, core


def household_core(seed: int, index: int, rng: random.Random) -> Core:
    """This customer's core, moved into the previous customer's household when it joins one.

    The previous customer's core is replayed from its own seed, so the shared landline needs no
    state carried between customers and any customer can still be generated on its own.
    """
    follower, own = _own_core(rng, is_heavy(seed, index))
    if not follower or index == 0:
        return own
    # Chains (three family members in a row) recurse; each link has a 3% chance, so depth stays tiny.
    anchor = household_core(seed, index - 1, random.Random(f"{seed}:{index - 1}"))
    if not anchor.has_landline:
        return own
    surname = anchor.surname if own.kin and not anchor.company else own.surname
    return own._replace(
        company=False,
        surname=surname,
        city=anchor.city,
        address=anchor.address,
        landline=anchor.landline,
        has_landline=True,
    )


def _mobile(rng: random.Random) -> str:
    digits = pick(rng, vocab.MOBILE_PREFIXES) + f"{int(rng.random() * 10**6):06d}"
    return pick(rng, vocab.PHONE_FORMATS["mobile"]).format(
        prefix=digits[:4], national=digits[1:4], middle=digits[4:7], last=digits[7:]
    )


def _landline(rng: random.Random, area: str, subscriber: str, company: bool) -> str:
    cut = {8: 4, 7: 3}.get(len(subscriber), len(subscriber))
    head, tail = subscriber[:cut], subscriber[cut:]
    text = pick(rng, vocab.PHONE_FORMATS["landline"]).format(
        area=area,
        national=area[1:],
        number=subscriber,
        grouped=f"{head}-{tail}" if tail else head,
        spaced=f"{head} {tail}" if tail else head,
    )
    return text + (f"#{10 + int(rng.random() * 30)}" if company and rng.random() < 0.2 else "")


def _phones(rng: random.Random, core: Core) -> list[str]:
    landline = [_landline(rng, *core.landline, core.company)] if core.has_landline else []
    if core.company:
        mobiles = 1 if rng.random() < 0.6 or not landline else 0
    else:
        mobiles = (2 if rng.random() < 0.15 else 1) if rng.random() < 0.92 or not landline else 0
    phones = [_mobile(rng) for _ in range(mobiles)]
    return phones + landline if rng.random() < 0.6 else landline + phones


def _email(rng: random.Random, core: Core, stem: str, number: int) -> str:
    # Every local part ends in the customer number after a letter, so no two customers share an address.
    if core.company:
        roman = vocab.COMPANY_NAMES[stem]
        local = pick(rng, (f"service.{roman}{number}", f"{roman}{number}", f"info.{roman}{number}"))
    else:
        parts = [vocab.GIVEN_ROMAN[c] for c in stem]
        full, initials, sur = "".join(parts), "".join(p[0] for p in parts), core.surname.roman
        local = pick(
            rng,
            (
                f"{full}.{sur}{number}",
                f"{sur}.{full}{number}",
                f"{initials}{sur}{number}",
                f"{sur}{full}{number}",
                f"{full}_{sur}{number}",
                f"{sur}{initials}{number}",
            ),
        )
    return f"{local}@{pick(rng, vocab.EMAIL_DOMAINS)}"


class Profile(NamedTuple):
    """What later stages need to know about the customer."""

    position: int  # the customer index; ids of its records derive from it
    external_id: str
    heavy: bool
    company: bool
    region: str
    since: datetime.date
    history_from: datetime.date
    phones: list[str]


def _identity(rng: random.Random, core: Core, as_of: datetime.date) -> tuple[str, str, datetime.date]:
    """Display name, name stem (for e-mail) and date of birth."""
    born = as_of - DAY * int(365.25 * (22 + 63 * rng.betavariate(2, 2.5)) + rng.random() * 365)
    if core.company:
        stem = pick(rng, tuple(vocab.COMPANY_NAMES))
        return stem + pick(rng, vocab.COMPANY_KINDS), stem, born
    gender = "m" if rng.random() < 0.5 else "f"
    cohort = 0 if born.year < 1965 else 1 if born.year < 1985 else 2
    names = vocab.GIVEN_NAMES
    if rng.random() < 0.7:
        given = pick(rng, names[f"{gender}{cohort}"])
    else:
        given = pick(rng, names[f"{gender}+first"]) + pick(rng, names[f"{gender}+second"])
    return core.surname.text + given, given, born


def _remarks(rng: random.Random, core: Core, heavy: bool, born: datetime.date, as_of: datetime.date) -> Record:
    company, words = core.company, vocab.REMARKS
    notes = words["landlord_note"][0] if heavy and not company else None
    if notes is None and rng.random() < 0.2:
        notes = pick(rng, words["company_note" if company else "note"])
    dates = []
    if rng.random() < 0.25:
        label = pick(rng, words["company_date" if company else "person_date"])
        first = add_years(as_of, -30) if company else add_years(born, 20)
        dates.append({"label": label, "date": between(rng, first, as_of - DAY * 30).isoformat()})
    return {
        "important_dates": dates,
        "city": core.city.name,
        "address": core.address,
        "preferences": pick(rng, words["preference"]) if rng.random() < 0.4 else None,
        "taboos": pick(rng, words["taboo"]) if rng.random() < 0.15 else None,
        "notes": notes,
    }


def _customer(rng: random.Random, seed: int, index: int, as_of: datetime.date) -> tuple[Record, Profile]:
    core = household_core(seed, index, rng)
    heavy = is_heavy(seed, index)
    name, stem, born = _identity(rng, core, as_of)
    phones = _phones(rng, core)
    email = _email(rng, core, stem, index + 1) if rng.random() < 0.6 else None
    birthday = born.isoformat() if not core.company and rng.random() < 0.85 else None
    since = as_of - DAY * (7 + int(rng.random() * 365 * (9 if heavy else 15)) + (365 * 6 if heavy else 0))
    if not core.company:  # nobody buys an air conditioner at twelve
        since = max(since, add_years(born, 20))
    external_id = f"C{index + 1:07d}"
    record: Record = {
        "external_id": external_id,
        "name": name,
        "phones": phones,
        "email": email,
        "birthday": birthday,
        **_remarks(rng, core, heavy, born, as_of),
        "value_tier": "standard",  # set once the purchases are known
        "customer_since": since.isoformat(),
    }
    history_from = max(since, add_years(as_of, -HISTORY_YEARS))
    profile = Profile(index, external_id, heavy, core.company, core.city.region, since, history_from, phones)
    return record, profile


class Unit(NamedTuple):
    external_id: str
    product: vocab.Product
    installed: datetime.date


def _price(rng: random.Random, low: int, high: int) -> int:
    # Shop prices: whole hundreds, often 10 below (29,890).
    return (low + int(rng.random() * (high - low))) // 100 * 100 - (10 if rng.random() < 0.3 else 0)


def _sale(
    rng: random.Random, prof: Profile, day: datetime.date, item: vocab.Product | vocab.Extra
) -> tuple[datetime.datetime, Record]:
    model, sku = (item.model, None) if isinstance(item, vocab.Product) else (None, item.sku)
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


def _holdings(
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


def _tier(spend: int, heavy: bool) -> str:
    if heavy or spend >= 150_000:
        return "vip"
    return "gold" if spend >= 80_000 else "standard" if spend >= 30_000 else "basic"


class Plan(NamedTuple):
    category: vocab.Category
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
    return Plan(vocab.INSTALL_CATEGORY, unit, _TICKET_CHANNEL.pick(rng), created, installed)


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
            value = pick(self.rng, vocab.SLOTS.get(f"{self.line}.{key}") or vocab.SLOTS[key])
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
        text += stop + pick(rng, vocab.SLOTS["repair_extra"]).format_map(slots)
        closer = pick(rng, vocab.SLOTS["repair_closer"])
    else:
        text, closer = text + stop, pick(rng, vocab.SLOTS["closer"])
    return subject, pick(rng, vocab.SLOTS["opener"]) + text + closer


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


def _tickets(
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
    part = pick(rng, vocab.SLOTS[f"{plan.unit.product.line if plan.unit else 'ac'}.part"])
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


def _interactions(
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
        channel, direction, summary = pick(rng, vocab.STANDALONE)
        started = at(between(rng, prof.history_from, as_of), 9, 21, rng)
        seconds = _call_seconds(rng) if channel == "call" else None
        contacts.append(_contact(rng, prof, started, None, channel, direction, summary, seconds))
    contacts.sort(key=lambda contact: contact[0])
    for n, (_, record) in enumerate(contacts):
        record["external_id"] = f"I{prof.position * 10000 + n + 1:011d}"
    return [record for _, record in contacts]


def build_bundle(seed: int, index: int, as_of: datetime.date) -> CustomerBundle:
    """Customer number `index` (0-based) of the data set for `seed`, complete with its history."""
    rng = random.Random(f"{seed}:{index}")
    end = datetime.datetime(as_of.year, as_of.month, as_of.day, 23, 59, tzinfo=TZ)
    customer, prof = _customer(rng, seed, index, as_of)
    assets, purchases, units, spend = _holdings(rng, prof, as_of)
    customer["value_tier"] = _tier(spend, prof.heavy)
    tickets, handled = _tickets(rng, prof, units, as_of, end)
    interactions = _interactions(rng, prof, handled, as_of, end)
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
