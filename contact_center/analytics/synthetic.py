"""Seeded synthetic repair tickets with planted anomalies and decoys, and the ground truth to grade them.

Three years of tickets for a fleet of appliances from the demo catalogue. Each unit fails as a
non-homogeneous Poisson process (drawn by thinning) with hazard

    rate[model] * frailty[unit] * age_curve(age) * season[line, year, month] * lemon * batch

- age_curve(a) = 1 + 1.2 exp(-a / 0.2) + wear * max(0, a - 4)^1.3: infant failures, then wear-out;
- frailty ~ Gamma(4, 1/4): units differ (site, use, water), so counts are overdispersed;
- season: air conditioners fail in summer, heat pumps in winter, dehumidifiers in spring, with a
  different intensity every year (a hot summer is not a defect);
- one model is new (launched 20 months ago, sales climbing, all units young).

Planted, with decoys that a naive rule would flag:

- lemons: 0.25% of units with 5-9x hazard from installation and >= 1.5 years in the window;
  decoys: busy customers whose units collect 20-40 billing, inquiry, complaint and maintenance
  tickets and report every failure two or three times, and old units of the fragile models;
- batch-defect models: units of two models installed in the last two years get 4x hazard in the
  last ~60 days (one of them an in-season line); decoys: two always-fragile models (3x, stable),
  one of them in season, plus the seasonal surge of every other model of that line;
- sloppy technicians: two whose repairs come back within 30 days 12% of the time (peers 2-6%);
  decoys: two busy technicians with 3.5x the volume at normal rework, one of them the specialist
  for a fragile model, whose units come back more often whoever repairs them, and a new hire with
  a handful of repairs.

Complaint texts, with planted emerging and seasonal topics, come from `synthetic_complaints` and
are re-exported here so one module names all the demo anomalies.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import random

import msgspec

from contact_center.analytics.repairs import RepairRecord
from contact_center.analytics.synthetic_complaints import ComplaintData, ComplaintTruth, PlantedTopic, complaint_tickets
from contact_center.seed.vocabulary_people import TECHNICIANS

__all__ = [
    "MODELS",
    "ComplaintData",
    "ComplaintTruth",
    "ModelProfile",
    "PlantedTopic",
    "RepairData",
    "RepairTruth",
    "complaint_tickets",
    "repair_tickets",
]

DAY = dt.timedelta(days=1)
HISTORY_DAYS = 3 * 365 + 1
LEMON_FACTOR = 10.0  # a lemon fails ten times as often as its siblings of the same model and age...
LEMON_MIN_REPAIRS = 10.0  # ...and is expected to fail at least this often in the window
BATCH_DAYS = 3 * 365  # units installed this recently carry the defective part
BATCH_FACTOR = 5.0
SLOPPY_REWORK = 0.18
BUSY_REWORK = 0.07  # peers draw theirs from 0.02-0.06


class ModelProfile(msgspec.Struct, frozen=True):
    model: str
    line: str
    rate: float  # repairs per unit-year in mid-life
    share: float  # sales weight
    wear: float = 0.12


MODELS: tuple[ModelProfile, ...] = (
    ModelProfile("RAC-22NK", "ac", 0.20, 5),
    ModelProfile("RAC-28NK", "ac", 0.22, 9),
    ModelProfile("RAC-36NK", "ac", 0.24, 10),
    ModelProfile("RAC-50NK", "ac", 0.26, 7),
    ModelProfile("RAC-41NH", "ac", 0.25, 6),  # the new model
    ModelProfile("WAC-28C", "ac", 0.28, 3),
    ModelProfile("CAC-90D", "ac", 0.30, 0.5),  # a small model: shrinkage matters
    ModelProfile("WM-12V", "washer", 0.18, 5),
    ModelProfile("WM-16V", "washer", 0.20, 5),
    ModelProfile("NR-B371", "fridge", 0.14, 5),
    ModelProfile("NR-C485", "fridge", 0.16, 4),
    ModelProfile("DH-18T", "dehumidifier", 0.18, 5),
    ModelProfile("WP-RO500", "purifier", 0.26, 4),
    ModelProfile("HP-200L", "heatpump", 0.28, 3),
    ModelProfile("AP-30E", "airpurifier", 0.12, 4),
)
NEW_MODEL = "RAC-41NH"
SMALL_MODEL = "CAC-90D"
_SEASON = {
    "ac": (0.3, 0.3, 0.4, 0.6, 1.0, 1.6, 1.9, 1.9, 1.4, 0.8, 0.5, 0.3),
    "dehumidifier": (0.7, 0.9, 1.3, 1.4, 1.5, 1.3, 0.9, 0.8, 0.8, 0.8, 0.8, 0.8),
    "heatpump": (1.7, 1.6, 1.2, 0.9, 0.6, 0.5, 0.5, 0.5, 0.6, 0.9, 1.3, 1.7),
    "fridge": (0.8, 0.8, 0.9, 1.0, 1.1, 1.2, 1.3, 1.3, 1.1, 1.0, 0.8, 0.7),
}
_FLAT = (1.0,) * 12
_REGIONS = {"north": 0.45, "central": 0.25, "south": 0.25, "east": 0.05}
_NOISE_PER_YEAR = {"billing": 0.12, "inquiry": 0.25, "complaint": 0.05, "maintenance": 0.25}
_BUSY_KINDS = ("billing", "inquiry", "complaint", "maintenance", "billing", "inquiry")


class RepairTruth(msgspec.Struct, frozen=True):
    """What was planted, to grade a scan against."""

    lemons: frozenset[str]
    busy_customer_units: frozenset[str]
    batch_models: frozenset[str]
    fragile_models: frozenset[str]
    sloppy_technicians: frozenset[str]
    busy_technicians: frozenset[str]
    new_hires: frozenset[str]
    defect_start: dt.date


class RepairData(msgspec.Struct, frozen=True):
    records: list[RepairRecord]
    as_of: dt.date
    data_start: dt.date
    truth: RepairTruth


@dataclasses.dataclass(slots=True)
class _Unit:
    asset_id: str
    profile: ModelProfile
    installed: dt.date
    region: str
    frailty: float
    lemon: float = 1.0
    busy: bool = False
    known_install: bool = True


@dataclasses.dataclass(slots=True)
class _World:
    rng: random.Random
    as_of: dt.date
    start: dt.date
    season: dict[tuple[str, int, int], float]
    rates: dict[str, float]
    batch: frozenset[str]
    defect_start: dt.date
    techs: dict[str, list[str]]
    weight: dict[str, float]
    rework: dict[str, float]
    specialist: dict[tuple[str, str], str]  # (region, model) -> technician
    tickets: list[tuple[dt.date, str, _Unit, str | None]] = dataclasses.field(default_factory=list)


def _age_curve(age_years: float, wear: float) -> float:
    return 1.0 + 1.2 * math.exp(-age_years / 0.2) + wear * math.pow(max(0.0, age_years - 4.0), 1.3)


def _seasons(rng: random.Random, start: dt.date, as_of: dt.date) -> dict[tuple[str, int, int], float]:
    """Monthly factors per line and year: the line's shape with a yearly intensity and monthly noise."""
    out: dict[tuple[str, int, int], float] = {}
    for line in sorted({p.line for p in MODELS}):
        shape = _SEASON.get(line, _FLAT)
        for year in range(start.year, as_of.year + 1):
            intensity = rng.uniform(0.85, 1.15)
            for month in range(1, 13):
                peak = 1.0 + (shape[month - 1] - 1.0) * intensity
                out[(line, year, month)] = max(0.1, peak * rng.uniform(0.93, 1.07))
    return out


def _hazard(world: _World, unit: _Unit, day: dt.date) -> float:
    p = unit.profile
    age = (day - unit.installed).days / 365.25
    batch = BATCH_FACTOR if p.model in world.batch and day >= world.defect_start and _in_batch(world, unit) else 1.0
    season = world.season[(p.line, day.year, day.month)]
    return world.rates[p.model] * unit.frailty * unit.lemon * batch * season * _age_curve(age, p.wear)


def _in_batch(world: _World, unit: _Unit) -> bool:
    return (world.as_of - unit.installed).days <= BATCH_DAYS


def _expected_failures(world: _World, unit: _Unit) -> float:
    """The unit's expected failures in the window, by weekly steps."""
    lo = max(unit.installed, world.start)
    days = range(0, (world.as_of - lo).days + 1, 7)
    return sum(_hazard(world, unit, lo + DAY * d) for d in days) * 7 / 365.25


def _failures(world: _World, unit: _Unit) -> list[dt.date]:
    """Failure days of one unit by thinning a homogeneous process at an upper bound of the hazard."""
    lo = max(unit.installed, world.start)
    span = (world.as_of - lo).days + 1
    if span <= 0:
        return []
    p = unit.profile
    oldest = (world.as_of - unit.installed).days / 365.25
    batch = BATCH_FACTOR if p.model in world.batch else 1.0
    bound = world.rates[p.model] * unit.frailty * unit.lemon * batch * 2.5 * max(2.2, _age_curve(oldest, p.wear))
    days: list[dt.date] = []
    rng = world.rng
    t = rng.expovariate(bound / 365.25)
    while t < span:
        day = lo + DAY * int(t)
        if rng.random() * bound < _hazard(world, unit, day):
            days.append(day)
        t += rng.expovariate(bound / 365.25)
    return days


def _dispatch(world: _World, unit: _Unit, avoid: str | None = None) -> str:
    special = world.specialist.get((unit.region, unit.profile.model))
    if special and special != avoid and world.rng.random() < 0.7:
        return special
    names = [t for t in world.techs[unit.region] if t != avoid]
    return world.rng.choices(names, [world.weight[t] for t in names])[0]


def _repair(world: _World, unit: _Unit, day: dt.date, tech: str | None = None, depth: int = 0) -> None:
    """A repair ticket, its duplicate reports, and the rework it may cause."""
    rng = world.rng
    if tech is None and rng.random() < 0.92:
        tech = _dispatch(world, unit)
    world.tickets.append((day, "repair", unit, tech))
    copies = rng.choice((1, 2, 2, 3)) if unit.busy else int(rng.random() < 0.06)
    for _ in range(copies):
        again = day + DAY * rng.randint(0, 2)
        if again <= world.as_of:
            world.tickets.append((again, "repair", unit, None))
    if tech is not None and depth < 3 and rng.random() < world.rework[tech]:
        back = day + DAY * rng.randint(4, 30)
        if back <= world.as_of:
            again_tech = tech if rng.random() < 0.4 else _dispatch(world, unit, avoid=tech)
            _repair(world, unit, back, again_tech, depth + 1)


def _noise(world: _World, unit: _Unit) -> None:
    """Installation, maintenance, billing, inquiry and complaint tickets: never repairs."""
    rng = world.rng
    if unit.installed >= world.start:
        world.tickets.append((max(world.start, unit.installed - DAY * rng.randint(0, 7)), "installation", unit, None))
    lo = max(unit.installed, world.start)
    years = max(0.0, (world.as_of - lo).days / 365.25)
    per_year = dict(_NOISE_PER_YEAR)
    count = sum(_poisson(rng, rate * years) for rate in per_year.values())
    kinds = rng.choices(list(per_year), list(per_year.values()), k=count)
    if unit.busy:
        kinds += rng.choices(_BUSY_KINDS, k=rng.randint(20, 40))
    for kind in kinds:
        day = lo + DAY * rng.randint(0, max(0, (world.as_of - lo).days))
        tech = _dispatch(world, unit) if kind == "maintenance" else None
        world.tickets.append((day, kind, unit, tech))


def _poisson(rng: random.Random, mean: float) -> int:
    count, t = 0, rng.expovariate(1.0)
    while t < mean:
        count += 1
        t += rng.expovariate(1.0)
    return count


def _fleet(rng: random.Random, as_of: dt.date, units: int) -> list[_Unit]:
    profiles = [p for p in MODELS]
    shares = [p.share for p in profiles]
    fleet: list[_Unit] = []
    for n in range(units):
        profile = rng.choices(profiles, shares)[0]
        if profile.model == NEW_MODEL:
            back = int(600 * math.sqrt(rng.random()))  # sales climbing since launch
        else:
            back = int(-math.log(1 - rng.random() * (1 - math.exp(-12 * 0.12))) / 0.12 * 365.25)
        region = rng.choices(list(_REGIONS), list(_REGIONS.values()))[0]
        unit = _Unit(f"A{n + 1:08d}", profile, as_of - DAY * (back + 3), region, rng.gammavariate(4.0, 0.25))
        unit.known_install = rng.random() > 0.03
        fleet.append(unit)
    return fleet


def _plant_units(world: _World, fleet: list[_Unit]) -> None:
    rng = world.rng
    settled = [u for u in fleet if (world.as_of - u.installed).days >= 548]
    for unit in rng.sample(settled, max(3, len(fleet) // 400)):
        unit.frailty = 1.0
        siblings = _expected_failures(world, unit)
        unit.lemon = max(LEMON_MIN_REPAIRS, LEMON_FACTOR * siblings) * rng.uniform(1.0, 1.4) / siblings
    healthy = [u for u in fleet if u.lemon == 1.0 and u.installed <= world.start]
    for unit in rng.sample(healthy, max(3, len(fleet) // 250)):
        unit.busy = True


def _technicians(rng: random.Random) -> tuple[dict[str, list[str]], dict[str, float], dict[str, float], list[str]]:
    techs = {region: list(names) for region, names in TECHNICIANS.items()}
    everyone = [t for names in techs.values() for t in names]
    weight = {t: 1.0 for t in everyone}
    rework = {t: rng.uniform(0.02, 0.06) for t in everyone}
    picked = rng.sample([t for region in ("north", "central", "south") for t in techs[region]], 5)
    sloppy, busy, hire = picked[:2], picked[2:4], picked[4]
    for t in sloppy:
        rework[t] = SLOPPY_REWORK
    for t in busy:
        # Busy and a shade worse than most: with this volume a rate ratio near 1.2 is "significant".
        weight[t] = 3.5
        rework[t] = BUSY_REWORK
    weight[hire] = 0.05
    rework[hire] = 0.15
    return techs, weight, rework, [*sloppy, *busy, hire]


def repair_tickets(seed: int, as_of: dt.date, *, units: int = 20_000) -> RepairData:
    """Three years of tickets up to `as_of` for `units` units, with planted anomalies and decoys."""
    rng = random.Random(seed)
    start = as_of - DAY * (HISTORY_DAYS - 1)
    regular = [p.model for p in MODELS if p.model not in (NEW_MODEL, SMALL_MODEL)]
    in_season = [p.model for p in MODELS if p.model in regular and _SEASON.get(p.line, _FLAT)[as_of.month - 1] >= 1.3]
    first = rng.choice(in_season or regular)
    second = rng.choice([m for m in regular if m != first and _line(m) != _line(first)])
    others = [m for m in regular if m not in (first, second)]
    fragile = rng.sample([m for m in in_season if m in others] or others, 1)
    fragile += rng.sample([m for m in regular if m not in (first, second, *fragile)], 1)
    rates = {p.model: p.rate * (3.0 if p.model in fragile else 1.0) for p in MODELS}
    techs, weight, rework, special = _technicians(rng)
    specialist = {(region, fragile[0]): special[2] for region in techs if special[2] in techs[region]}
    world = _World(
        rng=rng,
        as_of=as_of,
        start=start,
        season=_seasons(rng, start - DAY * 366 * 12, as_of),
        rates=rates,
        batch=frozenset((first, second)),
        defect_start=as_of - DAY * rng.randint(50, 70),
        techs=techs,
        weight=weight,
        rework=rework,
        specialist=specialist,
    )
    fleet = _fleet(rng, as_of, units)
    _plant_units(world, fleet)
    for unit in fleet:
        for day in _failures(world, unit):
            _repair(world, unit, day)
        _noise(world, unit)
    return RepairData(
        records=_records(world),
        as_of=as_of,
        data_start=start,
        truth=RepairTruth(
            lemons=frozenset(u.asset_id for u in fleet if u.lemon > 1.0),
            busy_customer_units=frozenset(u.asset_id for u in fleet if u.busy),
            batch_models=world.batch,
            fragile_models=frozenset(fragile),
            sloppy_technicians=frozenset(special[:2]),
            busy_technicians=frozenset(special[2:4]),
            new_hires=frozenset(special[4:]),
            defect_start=world.defect_start,
        ),
    )


def _line(model: str) -> str:
    return next(p.line for p in MODELS if p.model == model)


def _records(world: _World) -> list[RepairRecord]:
    world.tickets.sort(key=lambda t: (t[0], t[2].asset_id))
    return [
        RepairRecord(
            ticket_id=f"T{n + 1:010d}",
            asset_id=unit.asset_id,
            product_model=unit.profile.model,
            kind=kind,
            created_at=day,
            technician=tech,
            installed_on=unit.installed if unit.known_install else None,
        )
        for n, (day, kind, unit, tech) in enumerate(world.tickets)
        if world.start <= day <= world.as_of
    ]
