"""The customer record: profile, household, name, phones, address, e-mail and remarks."""

from __future__ import annotations

import datetime
import random
from typing import NamedTuple

from contact_center.seed import vocabulary_people as vocab
from contact_center.seed.sampling import DAY, Weighted, add_years, between, pick

Record = dict[str, object]

HEAVY_EVERY = 500  # one customer in 500 is a landlord or company with 150-400 tickets
HOUSEHOLD_P = 0.03  # half find a landline to share; with the anchor, ~3% of customers share one
HISTORY_YEARS = 6

_CITY = Weighted(vocab.CITIES, [c.weight for c in vocab.CITIES])
_SURNAME = Weighted(vocab.SURNAMES, [s.weight for s in vocab.SURNAMES])


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


def customer(rng: random.Random, seed: int, index: int, as_of: datetime.date) -> tuple[Record, Profile]:
    """The customer record, its value tier still a placeholder, and the profile its history is drawn from."""
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


def value_tier(spend: int, heavy: bool) -> str:
    """The tier a customer earns by what they have spent; landlords and companies with many units are VIPs."""
    if heavy or spend >= 150_000:
        return "vip"
    return "gold" if spend >= 80_000 else "standard" if spend >= 30_000 else "basic"
