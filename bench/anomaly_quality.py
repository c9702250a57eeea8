"""Quality and speed of the abnormal-repair-frequency rules on synthetic tickets with planted anomalies.

    .venv/bin/python bench/anomaly_quality.py [--seeds 1 2 3 4 5] [--units 20000] [--perf-units 330000]

For each seed, `synthetic.repair_tickets` writes three years of tickets for a fleet of appliances
(~60,000 tickets for 20,000 units, 15 models, 41 technicians) ending on a date that moves through the
seasons, with lemons, batch-defect models and sloppy technicians planted among decoys: busy
customers who report every failure two or three times and file 20-40 other tickets, old units and
always-fragile models (one of them in season), busy technicians (one the fragile model's specialist)
and a new hire with a handful of repairs. `repairs.scan` runs once per seed.

Reports precision and recall per kind (units, models, technicians) over all seeds, the decoys
flagged, and what a naive rule would have flagged (raw repair tickets, the last 61 days against the
61 before, raw rework rates) to show that the decoys bite. Then times `scan` over about a million
tickets and `check_unit` for single units against the precomputed baselines.

Targets: precision and recall >= 0.9 per kind; scan of 1M tickets <= 30 s; check_unit well under
20 ms. Writes bench/results/anomaly_quality.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import statistics
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from contact_center.analytics.repairs import Baselines, RepairRecord, check_unit, scan
from contact_center.analytics.synthetic import RepairData, repair_tickets

# bench/_common imports asyncpg, which has no type information; loaded this way mypy --strict does
# not follow it, and this benchmark shares its result format without needing a database.
common: Any = importlib.import_module("bench._common")

AS_OF = (dt.date(2025, 8, 15), dt.date(2025, 1, 20), dt.date(2025, 5, 10), dt.date(2024, 11, 5), dt.date(2025, 3, 1))


def _score(flagged: set[str], truth: frozenset[str]) -> dict[str, int]:
    return {"tp": len(flagged & truth), "fp": len(flagged - truth), "fn": len(truth - flagged)}


def _naive(data: RepairData) -> dict[str, set[str]]:
    """What simple counting flags: the decoys' share of these is why the rules are statistical."""
    repairs = [r for r in data.records if r.kind == "repair"]
    tickets = Counter(r.asset_id for r in repairs)
    units = {str(a) for a, _ in tickets.most_common(len(data.truth.lemons))}
    recent, before = Counter[str](), Counter[str]()
    for r in repairs:
        age = (data.as_of - r.created_at).days
        (recent if age < 61 else before if age < 122 else Counter())[r.product_model] += 1
    models = {m for m in recent if recent[m] >= 10 and recent[m] >= 1.5 * max(before[m], 1)}
    by_unit: dict[str, list[RepairRecord]] = defaultdict(list)
    for r in repairs:
        by_unit[str(r.asset_id)].append(r)
    done, again = Counter[str](), Counter[str]()
    for tickets_of_unit in by_unit.values():
        tickets_of_unit.sort(key=lambda r: r.created_at)
        for this, following in zip(tickets_of_unit, [*tickets_of_unit[1:], None], strict=True):
            if this.technician is None or (data.as_of - this.created_at).days < 30:
                continue
            done[this.technician] += 1
            if following is not None and (following.created_at - this.created_at).days <= 30:
                again[this.technician] += 1
    overall = sum(again.values()) / max(sum(done.values()), 1)
    techs = {t for t in done if done[t] >= 40 and again[t] / done[t] >= 1.5 * overall}
    return {"units": units, "models": models, "technicians": techs}


def run_seed(seed: int, as_of: dt.date, units: int) -> dict[str, Any]:
    data = repair_tickets(seed, as_of, units=units)
    truth = data.truth
    started = time.perf_counter()
    found = scan(data.records, data.as_of)
    seconds = time.perf_counter() - started
    flagged = {
        "units": {str(f.asset_id) for f in found.assets},
        "models": {f.product_model for f in found.models},
        "technicians": {f.technician for f in found.technicians},
    }
    planted = {"units": truth.lemons, "models": truth.batch_models, "technicians": truth.sloppy_technicians}
    old_fragile = {
        str(r.asset_id)
        for r in data.records
        if r.product_model in truth.fragile_models and r.installed_on and (as_of - r.installed_on).days > 8 * 365
    } - truth.lemons
    decoys = {
        "busy_customer_units": len(flagged["units"] & truth.busy_customer_units),
        "old_units_of_fragile_models": len(flagged["units"] & old_fragile),
        "fragile_models": len(flagged["models"] & truth.fragile_models),
        "busy_technicians": len(flagged["technicians"] & truth.busy_technicians),
        "new_hires": len(flagged["technicians"] & truth.new_hires),
    }
    naive = _naive(data)
    return {
        "seed": seed,
        "as_of": as_of.isoformat(),
        "tickets": len(data.records),
        "scan_seconds": round(seconds, 3),
        "counts": {kind: _score(flagged[kind], planted[kind]) for kind in planted},
        "decoys_flagged": decoys,
        "naive": {kind: _score(naive[kind], planted[kind]) for kind in planted},
        "naive_decoys": {
            "busy_customer_units": len(naive["units"] & truth.busy_customer_units),
            "old_units_of_fragile_models": len(naive["units"] & old_fragile),
            "fragile_models": len(naive["models"] & truth.fragile_models),
            "busy_technicians": len(naive["technicians"] & truth.busy_technicians),
        },
    }


def _rates(counts: dict[str, int]) -> dict[str, float | None]:
    tp, fp, fn = counts["tp"], counts["fp"], counts["fn"]
    return {
        "precision": round(tp / (tp + fp), 3) if tp + fp else None,
        "recall": round(tp / (tp + fn), 3) if tp + fn else None,
    }


def summarise(runs: list[dict[str, Any]], key: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for kind in ("units", "models", "technicians"):
        total = {c: sum(r[key][kind][c] for r in runs) for c in ("tp", "fp", "fn")}
        out[kind] = {**total, **_rates(total)}
    return out


def performance(units: int) -> dict[str, Any]:
    """Scan time over about a million tickets and incremental check times for single units."""
    data = repair_tickets(99, dt.date(2025, 8, 15), units=units)
    started = time.perf_counter()
    found = scan(data.records, data.as_of)
    scan_seconds = time.perf_counter() - started
    started = time.perf_counter()
    baselines = Baselines.build(data.records, data.as_of)
    build_seconds = time.perf_counter() - started
    by_unit: dict[int | str, list[RepairRecord]] = defaultdict(list)
    for record in data.records:
        by_unit[record.asset_id].append(record)
    # The heaviest units (lemons, busy customers) first: the slowest checks are the ones that matter.
    sample = sorted(by_unit, key=lambda a: -len(by_unit[a]))[:100] + list(by_unit)[:400]
    timings = []
    for asset in sample:
        started = time.perf_counter()
        check_unit(baselines, by_unit[asset], data.as_of)
        timings.append((time.perf_counter() - started) * 1000)
    return {
        "tickets": len(data.records),
        "units": units,
        "scan_seconds": round(scan_seconds, 2),
        "baselines_build_seconds": round(build_seconds, 2),
        "flags": {"units": len(found.assets), "models": len(found.models), "technicians": len(found.technicians)},
        "check_unit": {
            "n": len(timings),
            "p50_ms": round(statistics.median(timings), 3),
            "p95_ms": round(statistics.quantiles(timings, n=20)[-1], 3),
            "max_ms": round(max(timings), 3),
            "max_tickets_of_a_unit": max(len(by_unit[a]) for a in sample),
        },
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3, 4, 5])
    parser.add_argument("--units", type=int, default=20_000)
    parser.add_argument("--perf-units", type=int, default=330_000, help="about 3 tickets a unit; 0 skips timing")
    args = parser.parse_args()
    runs = []
    for n, seed in enumerate(args.seeds):
        run = run_seed(seed, AS_OF[n % len(AS_OF)], args.units)
        runs.append(run)
        line = "  ".join(f"{k} {v['tp']}/{v['tp'] + v['fn']} (+{v['fp']} fp)" for k, v in run["counts"].items())
        print(f"seed {seed} as of {run['as_of']}: {run['tickets']} tickets, scan {run['scan_seconds']} s  {line}")
        print(f"    decoys flagged {run['decoys_flagged']}  naive rules' decoys {run['naive_decoys']}")
    summary, naive = summarise(runs, "counts"), summarise(runs, "naive")
    for kind, value in summary.items():
        print(
            f"{kind:<12} precision {value['precision']}  recall {value['recall']}   "
            f"(naive: precision {naive[kind]['precision']}  recall {naive[kind]['recall']})"
        )
    result: dict[str, Any] = {"date": dt.date.today().isoformat(), "summary": summary, "naive": naive, "seeds": runs}
    if args.perf_units:
        perf = performance(args.perf_units)
        result["performance"] = perf
        check = perf["check_unit"]
        print(
            f"scan of {perf['tickets']} tickets: {perf['scan_seconds']} s (baselines alone {perf['baselines_build_seconds']} s); "
            f"check_unit p50 {check['p50_ms']} ms p95 {check['p95_ms']} ms max {check['max_ms']} ms "
            f"(up to {check['max_tickets_of_a_unit']} tickets a unit)"
        )
    common.write_result("anomaly_quality", {"machine": common.machine(), **result})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
