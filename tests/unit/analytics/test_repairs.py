"""Abnormal repair frequency on small hand-made fleets: each rule, its decoy, the incremental check, edges."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator

import msgspec
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contact_center.analytics.repairs import (
    Baselines,
    FleetUnit,
    RepairAnomalies,
    RepairRecord,
    check_unit,
    scan,
)

AS_OF = dt.date(2025, 8, 15)
START = dt.date(2022, 8, 16)
SPAN = (AS_OF - START).days
_ids = itertools.count(1)


def ticket(
    asset: str,
    day: dt.date,
    *,
    model: str = "RAC-28NK",
    kind: str = "repair",
    tech: str | None = None,
    installed: dt.date | None = dt.date(2020, 1, 1),
) -> RepairRecord:
    return RepairRecord(next(_ids), asset, model, kind, day, tech, installed)


def models_fleet(
    model: str, units: int, pattern: tuple[int, ...], installed: dt.date, prefix: str
) -> Iterator[RepairRecord]:
    """`units` units registered at the data start, unit u repaired pattern[u % len] times, evenly spread."""
    for u in range(units):
        asset = f"{prefix}{u:04d}"
        yield ticket(asset, START, model=model, kind="inquiry", installed=installed)
        count = pattern[u % len(pattern)]
        for j in range(count):
            offset = (u * 53 + j * (SPAN // max(count, 1))) % SPAN
            yield ticket(asset, START + dt.timedelta(days=offset), model=model, installed=installed)


def base_fleet() -> list[RepairRecord]:
    return list(models_fleet("RAC-28NK", 300, (0, 0, 1, 1, 1, 2, 2, 3), dt.date(2020, 1, 1), "A"))


def lemon(asset: str = "LEMON") -> list[RepairRecord]:
    return [ticket(asset, START + dt.timedelta(days=90 * k + 5)) for k in range(12)]


def busy_customer(asset: str = "BUSY") -> list[RepairRecord]:
    """Two real failures, each reported three times over two days, and thirty tickets that are not repairs."""
    out = []
    for failure in (dt.date(2023, 5, 2), dt.date(2024, 10, 20)):
        out += [ticket(asset, failure + dt.timedelta(days=d), tech="王志明" if d == 0 else None) for d in (0, 1, 2)]
    kinds = itertools.cycle(("billing", "inquiry", "complaint", "maintenance"))
    out += [ticket(asset, START + dt.timedelta(days=35 * k), kind=next(kinds)) for k in range(30)]
    return out


def flagged_assets(found: RepairAnomalies) -> set[int | str]:
    return {f.asset_id for f in found.assets}


# --- units -------------------------------------------------------------------------------------------


def test_a_lemon_is_flagged_with_its_evidence() -> None:
    found = scan([*base_fleet(), *lemon()], AS_OF)
    assert flagged_assets(found) == {"LEMON"}
    flag = found.assets[0]
    assert flag.repairs == 12
    assert flag.expected < 2.0 and flag.rate_ratio > 6
    assert flag.age_years == 5.6 and flag.exposure_years > 2.9
    assert 0 < flag.p_value < flag.p_adjusted <= 0.1 and flag.score > 4


def test_a_busy_but_healthy_customer_is_not_a_lemon() -> None:
    found = scan([*base_fleet(), *busy_customer(), *lemon()], AS_OF)
    assert "BUSY" not in flagged_assets(found)
    assert "LEMON" in flagged_assets(found)


def test_an_old_unit_of_a_fragile_model_is_judged_against_old_units_of_that_model() -> None:
    young = models_fleet("WAC-28C", 150, (0, 1, 1, 2), dt.date(2023, 1, 10), "Y")
    old = models_fleet("WAC-28C", 150, (3, 4, 5, 6, 7, 8), dt.date(2013, 3, 1), "O")
    records = [*base_fleet(), *young, *old]
    assert not {a for a in flagged_assets(scan(records, AS_OF)) if str(a).startswith("O")}
    # The same eight repairs on a young unit of an ordinary model are abnormal.
    young_lemon = [ticket("YOUNG8", START + dt.timedelta(days=120 * k + 9), installed=START) for k in range(8)]
    assert "YOUNG8" in flagged_assets(scan([*records, *young_lemon], AS_OF))


def test_the_incremental_check_agrees_with_the_full_scan() -> None:
    records = [*base_fleet(), *lemon(), *busy_customer()]
    baselines = Baselines.build(records, AS_OF)
    found = {f.asset_id: f for f in scan(records, AS_OF).assets}
    for asset in ("LEMON", "BUSY", "A0007"):
        mine = [r for r in records if r.asset_id == asset]
        assert check_unit(baselines, mine, AS_OF) == found.get(asset)
    assert check_unit(baselines, lemon(), AS_OF) is not None


def test_units_without_tickets_count_in_the_exposure_when_the_installed_base_is_given() -> None:
    records = [*base_fleet(), *lemon()]
    quiet = [FleetUnit(f"Q{u:04d}", "RAC-28NK", dt.date(2020, 1, 1)) for u in range(3000)]
    with_base = Baselines.build(records, AS_OF, fleet=quiet)
    without = Baselines.build(records, AS_OF)
    assert with_base.rates().sum() < without.rates().sum()
    assert with_base.units == without.units + 3000


def test_unknown_install_dates_use_the_models_rate_over_the_whole_window() -> None:
    records = [*base_fleet(), *[msgspec.structs.replace(r, installed_on=None) for r in lemon("NODATE")]]
    flag = next(f for f in scan(records, AS_OF).assets if f.asset_id == "NODATE")
    assert flag.age_years is None and flag.exposure_years > 2.9


# --- models ------------------------------------------------------------------------------------------


def steady(model: str, units: int, every_days: float, until: dt.date, prefix: str) -> list[RepairRecord]:
    """One repair every `every_days` days from the data start to `until`, cycling through the units."""
    out = [ticket(f"{prefix}{u:04d}", START, model=model, kind="installation") for u in range(units)]
    t, i = 0.0, 0
    while START + dt.timedelta(days=int(t)) <= until:
        out.append(ticket(f"{prefix}{i % units:04d}", START + dt.timedelta(days=int(t)), model=model))
        t += every_days
        i += 1
    return out


def test_a_batch_defect_is_flagged_and_an_always_fragile_model_is_not() -> None:
    recent = AS_OF - dt.timedelta(days=60)
    batch = steady("WM-16V", 300, 2.5, recent - dt.timedelta(days=1), "B")
    batch += steady("WM-16V", 300, 0.8, AS_OF, "B")[300:][-75:]  # three times the rate in the last 61 days
    fragile = steady("NR-B371", 300, 0.8, AS_OF, "F")
    found = scan([*batch, *fragile], AS_OF)
    assert [f.product_model for f in found.models] == ["WM-16V"]
    flag = found.models[0]
    assert flag.reference == "same_window_earlier_years"
    assert flag.recent_repairs >= 70 and flag.rate_ratio > 2.5
    assert flag.recent_units == 300
    assert flag.window_end == AS_OF and (flag.window_end - flag.window_start).days == 60


def test_a_model_that_is_seasonal_is_compared_with_the_same_season() -> None:
    summer = (6, 7, 8)
    records = [ticket(f"S{u:04d}", START, model="RAC-36NK", kind="installation") for u in range(200)]
    day, i = START, 0
    while day <= AS_OF:
        per_day = 3 if day.month in summer else 1
        records += [ticket(f"S{(i + k) % 200:04d}", day, model="RAC-36NK") for k in range(per_day)]
        i += per_day
        day += dt.timedelta(days=1)
    assert scan(records, AS_OF).models == []


# --- technicians ------------------------------------------------------------------------------------


def jobs(tech: str, count: int, reworks: int, model: str = "M1") -> list[RepairRecord]:
    """`count` repairs on distinct units, the first `reworks` of them repaired again ten days later."""
    out = []
    for k in range(count):
        asset = f"{tech}-{model}-{k}"
        day = dt.date(2023, 9, 1) + dt.timedelta(days=(k * 7) % 600)
        out += [ticket(asset, day, model=model, tech=tech), ticket(asset, day, model=model, kind="installation")]
        if k < reworks:
            out.append(ticket(asset, day + dt.timedelta(days=10), model=model, tech="返修組"))
    return out


def test_a_sloppy_technician_is_flagged_and_a_busy_one_is_not() -> None:
    records = [r for t in range(10) for r in jobs(f"T{t:02d}", 60, 3)]
    records += jobs("SLOPPY", 60, 18) + jobs("BUSY", 300, 15) + jobs("NEWBIE", 8, 4)
    found = scan(records, AS_OF)
    assert [f.technician for f in found.technicians] == ["SLOPPY"]
    flag = found.technicians[0]
    assert (flag.repairs, flag.reworks) == (60, 18)
    assert flag.rework_rate == 0.3 and flag.peer_rate < 0.1 and flag.rate_ratio > 3


def test_a_fragile_models_specialist_is_compared_on_that_model() -> None:
    records = [r for t in range(10) for r in jobs(f"T{t:02d}", 60, 3) + jobs(f"T{t:02d}", 20, 4, model="FR")]
    records += jobs("SPECIALIST", 100, 20, model="FR")
    assert scan(records, AS_OF).technicians == []


def test_repairs_of_the_last_thirty_days_are_not_judged_yet() -> None:
    records = [r for t in range(10) for r in jobs(f"T{t:02d}", 60, 3)]
    late = [ticket(f"L{k}", AS_OF - dt.timedelta(days=5), tech="LATE") for k in range(60)]
    late += [ticket(f"L{k}", AS_OF - dt.timedelta(days=1)) for k in range(30)]
    assert scan([*records, *late], AS_OF).technicians == []


# --- edges -------------------------------------------------------------------------------------------


def test_no_data() -> None:
    assert scan([], AS_OF) == RepairAnomalies(AS_OF, [], [], [])
    baselines = Baselines.build([], AS_OF)
    assert baselines.units == 0
    assert check_unit(baselines, [], AS_OF) is None
    assert check_unit(baselines, lemon(), AS_OF) is None  # empty baselines cover no days before as_of


def test_one_model_only_and_tickets_after_as_of_are_ignored() -> None:
    future = [ticket("LEMON", AS_OF + dt.timedelta(days=k + 1)) for k in range(20)]
    found = scan([*base_fleet(), *future], AS_OF)
    assert found.assets == [] and found.models == []


def test_check_unit_takes_one_unit() -> None:
    baselines = Baselines.build(base_fleet(), AS_OF)
    try:
        check_unit(baselines, [*lemon("X"), *lemon("Y")], AS_OF)
    except ValueError as error:
        assert "one unit" in str(error)
    else:
        raise AssertionError("expected ValueError")


def test_a_new_model_unknown_to_the_baselines_is_judged_against_the_fleet() -> None:
    baselines = Baselines.build([*base_fleet(), *lemon()], AS_OF)
    stranger = [
        ticket("NEW", START + dt.timedelta(days=60 * k + 3), model="CAC-90D", installed=START) for k in range(15)
    ]
    flag = check_unit(baselines, stranger, AS_OF)
    assert flag is not None and flag.product_model == "CAC-90D"


records_strategy = st.lists(
    st.builds(
        RepairRecord,
        ticket_id=st.integers(0, 10**6),
        asset_id=st.sampled_from(["A1", "A2", "A3", "A4", 5, 6]),
        product_model=st.sampled_from(["M1", "M2", "M3"]),
        kind=st.sampled_from(["repair", "repair", "billing", "inquiry", "installation"]),
        created_at=st.dates(dt.date(2021, 1, 1), dt.date(2025, 12, 31)),
        technician=st.none() | st.sampled_from(["T1", "T2", "T3"]),
        installed_on=st.none() | st.dates(dt.date(2012, 1, 1), dt.date(2025, 12, 31)),
    ),
    max_size=60,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(records_strategy, st.dates(dt.date(2022, 1, 1), dt.date(2025, 12, 31)))
def test_scan_never_raises_flags_only_what_it_was_given_and_agrees_with_check_unit(
    records: list[RepairRecord], as_of: dt.date
) -> None:
    found = scan(records, as_of)
    repaired = [r for r in records if r.kind == "repair" and r.created_at <= as_of]
    assert flagged_assets(found) <= {r.asset_id for r in repaired}
    assert {f.product_model for f in found.models} <= {r.product_model for r in records}
    assert {f.technician for f in found.technicians} <= {r.technician for r in repaired}
    baselines = Baselines.build(records, as_of)
    by_asset = {f.asset_id: f for f in found.assets}
    for asset in {r.asset_id for r in records}:
        mine = [r for r in records if r.asset_id == asset]
        assert check_unit(baselines, mine, as_of) == by_asset.get(asset)
