"""Quality of complaint-trend detection on synthetic complaints with planted emerging and seasonal topics.

    .venv/bin/python bench/trend_quality.py [--seeds 1 2 3 4 5] [--weeks 52] [--level 7 10]

For each seed, `synthetic_complaints` writes 130 weeks of zh-Hant complaints with three emerging
topics planted at known weeks of the last year (an app login failure, one air-conditioner model's
remote control in summer on top of the steady remote-control topic, double charges) and three
seasonal ones (冷氣不冷 each summer, 熱水不熱 each winter, 除濕機 each spring). `trends.analyze` is then
run as the weekly job would be, at the end of each of the last `--weeks` weeks, on everything up to
that Sunday.

An alert is matched to a planted topic when its keywords share a word with the topic's signature.
Per seed and overall:

- recall: planted emerging topics flagged within two weeks of their start (a delay of 0 or 1 week);
- precision: alerts that match an emerging topic that has started, over all alerts;
- seasonal false alarms: alerts that match a seasonal topic and no started emerging one;
- seasonal recognised: planted seasonal topics listed in `seasonal` by the last run.

Targets: precision and recall >= 0.9, every emerging topic within two weeks, no seasonal false alarm.
Writes bench/results/trend_quality.json. `--level LOW HIGH` changes how many complaints a week an
established emerging topic draws (default 14-22, against ~150-190 a week in all) to see where
detection gives out; those runs write trend_quality_level_LOW_HIGH.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from contact_center.analytics import synthetic_complaints
from contact_center.analytics.synthetic_complaints import PlantedTopic, complaint_tickets
from contact_center.analytics.trends import EmergingTopic, analyze, week_of

# bench/_common imports asyncpg, which has no type information; loaded this way mypy --strict does
# not follow it, and this benchmark shares its result format without needing a database.
common: Any = importlib.import_module("bench._common")

END = dt.date(2025, 9, 28)


def _matches(keywords: Sequence[str], topic: PlantedTopic) -> bool:
    return bool(set(keywords) & topic.signature)


def _grade(alert: EmergingTopic, week: dt.date, emerging: list[PlantedTopic], seasonal: list[PlantedTopic]) -> str:
    started = [p for p in emerging if p.start is not None and p.start <= week and _matches(alert.keywords, p)]
    if started:
        return started[0].name
    if any(_matches(alert.keywords, s) for s in seasonal):
        return "seasonal_false_alarm"
    return "false_alarm"


def run_seed(seed: int, end: dt.date, weeks: int) -> dict[str, Any]:
    data = complaint_tickets(seed, end)
    truth = data.truth
    delays: dict[str, int | None] = {p.name: None for p in truth.emerging}
    alerts: list[dict[str, Any]] = []
    started = time.perf_counter()
    for k in reversed(range(weeks)):
        sunday = data.end - dt.timedelta(weeks=k)
        week = week_of(sunday)
        for alert in analyze(data.records, data.start, sunday).emerging:
            verdict = _grade(alert, week, truth.emerging, truth.seasonal)
            alerts.append({"week": week.isoformat(), "label": alert.label, "verdict": verdict, "score": alert.score})
            planted = next((p for p in truth.emerging if p.name == verdict), None)
            if planted is not None and planted.start is not None and delays[verdict] is None:
                delays[verdict] = (week - planted.start).days // 7
    elapsed = time.perf_counter() - started
    final = analyze(data.records, data.start, data.end)
    recognised = [s.name for s in truth.seasonal if any(_matches(t.keywords, s) for t in final.seasonal)]
    true_alerts = sum(1 for a in alerts if a["verdict"] not in ("false_alarm", "seasonal_false_alarm"))
    return {
        "seed": seed,
        "complaints": len(data.records),
        "runs": weeks,
        "seconds_per_run": round(elapsed / weeks, 3),
        "planted": {p.name: p.start.isoformat() if p.start else None for p in truth.emerging},
        "delays_weeks": delays,
        "alerts": len(alerts),
        "true_alerts": true_alerts,
        "false_alarms": [a for a in alerts if a["verdict"] == "false_alarm"],
        "seasonal_false_alarms": [a for a in alerts if a["verdict"] == "seasonal_false_alarm"],
        "seasonal_recognised": recognised,
        "seasonal_planted": [s.name for s in truth.seasonal],
    }


def summarise(runs: list[dict[str, Any]]) -> dict[str, Any]:
    delays = [d for r in runs for d in r["delays_weeks"].values()]
    in_time = sum(1 for d in delays if d is not None and d <= 1)
    alerts = sum(r["alerts"] for r in runs)
    true_alerts = sum(r["true_alerts"] for r in runs)
    return {
        "emerging_planted": len(delays),
        "emerging_within_two_weeks": in_time,
        "recall": round(in_time / len(delays), 3) if delays else None,
        "precision": round(true_alerts / alerts, 3) if alerts else None,
        "alerts": alerts,
        "false_alarms": sum(len(r["false_alarms"]) for r in runs),
        "seasonal_false_alarms": sum(len(r["seasonal_false_alarms"]) for r in runs),
        "seasonal_recognised": sum(len(r["seasonal_recognised"]) for r in runs),
        "seasonal_planted": sum(len(r["seasonal_planted"]) for r in runs),
        "max_delay_weeks": max((d for d in delays if d is not None), default=None),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3, 4, 5])
    parser.add_argument("--weeks", type=int, default=52)
    parser.add_argument("--level", type=float, nargs=2, default=None)
    args = parser.parse_args()
    name = "trend_quality"
    if args.level:
        synthetic_complaints.EMERGING_LEVEL = (args.level[0], args.level[1])
        name += f"_level_{args.level[0]:g}_{args.level[1]:g}"
    runs = []
    for n, seed in enumerate(args.seeds):
        # A different end per seed moves the planted topics and the seasons against the window.
        run = run_seed(seed, END - dt.timedelta(weeks=9 * n), args.weeks)
        runs.append(run)
        print(
            f"seed {seed}: {run['complaints']} complaints, {run['alerts']} alerts ({run['true_alerts']} true), "
            f"delays {run['delays_weeks']}, seasonal false alarms {len(run['seasonal_false_alarms'])}, "
            f"seasonal recognised {run['seasonal_recognised']}, {run['seconds_per_run']} s/run"
        )
        for alert in run["false_alarms"] + run["seasonal_false_alarms"]:
            print(f"    {alert['verdict']}: {alert['week']} {alert['label']} score {alert['score']}")
    summary = summarise(runs)
    print(
        f"emerging recall (within two weeks) {summary['recall']}  precision {summary['precision']}  "
        f"max delay {summary['max_delay_weeks']} weeks  seasonal false alarms {summary['seasonal_false_alarms']}  "
        f"seasonal recognised {summary['seasonal_recognised']}/{summary['seasonal_planted']}"
    )
    common.write_result(
        name,
        {
            "date": dt.date.today().isoformat(),
            "machine": common.machine(),
            "emerging_level_per_week": list(synthetic_complaints.EMERGING_LEVEL),
            "summary": summary,
            "seeds": runs,
        },
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
