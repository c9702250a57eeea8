"""Stored repair flags: a flag is news once, keeps its latest evidence, is cleared when the full scan no
longer finds it and is news again when it comes back; QA lists and acknowledges them over the API; the
full scan stores and announces what it finds, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator
from typing import Any

import msgspec
import pytest
from litestar.channels import ChannelsPlugin
from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from contact_center import jobs
from contact_center.analytics import flags
from contact_center.models import Asset, Customer, RepairFlag
from tests.builders import bearer, make_user, repair_fleet

TAIPEI = dt.timezone(dt.timedelta(hours=8))
DAY = dt.date(2026, 11, 1)
TODAY = dt.datetime.now(TAIPEI).date()


def _unit(asset_id: int, customer_id: int, repairs: int = 6, expected: float = 1.2) -> flags.Found:
    evidence = {"asset_id": asset_id, "external_id": f"A{asset_id}", "customer_id": customer_id,
                "product_model": "RAC-28NK", "repairs": repairs, "expected": expected,
                "rate_ratio": round(repairs / expected, 2), "p_value": 1e-5, "score": 5.0}  # fmt: skip
    return flags.Found(flags.UNIT, str(asset_id), evidence, customer_id, asset_id)


def _model(name: str, recent: int = 30) -> flags.Found:
    return flags.Found(flags.MODEL, name, {"product_model": name, "recent_repairs": recent, "expected": 9.5,
                                           "rate_ratio": round(recent / 9.5, 2), "score": 4.0})  # fmt: skip


def _technician(name: str) -> flags.Found:
    return flags.Found(flags.TECHNICIAN, name, {"technician": name, "repairs": 80, "reworks": 20, "expected": 6.0,
                                                "rate_ratio": 3.3, "score": 4.5})  # fmt: skip


async def _owner_with_units(sessions: async_sessionmaker[AsyncSession], units: int = 2) -> tuple[int, list[int]]:
    async with sessions() as s, s.begin():
        customer = Customer(name="林美華", value_tier="standard", emails=[], important_dates=[], extra={})
        s.add(customer)
        await s.flush()
        assets = [Asset(customer_id=customer.id, product_model="RAC-28NK", external_id=f"AC-{customer.id}-{n}",
                        extra={}) for n in range(units)]  # fmt: skip
        s.add_all(assets)
        await s.flush()
        return customer.id, [a.id for a in assets]


async def _record(
    sessions: async_sessionmaker[AsyncSession], found: list[flags.Found], day: dt.date, full_scan: bool = False
) -> list[flags.RepairFlag]:
    async with sessions() as s, s.begin():
        return await flags.record(s, found, day, full_scan=full_scan)


async def _stored(sessions: async_sessionmaker[AsyncSession]) -> dict[str, RepairFlag]:
    async with sessions() as s:
        return {row.subject: row for row in (await s.scalars(select(RepairFlag))).all()}


# --- record ------------------------------------------------------------------------------------------------


async def test_a_flag_is_news_once_and_keeps_the_latest_evidence(sessions: async_sessionmaker[AsyncSession]) -> None:
    customer_id, (a, b) = await _owner_with_units(sessions)
    first = await _record(sessions, [_unit(a, customer_id), _model("WM-10"), _technician("陳師傅")], DAY)
    assert sorted(f.kind for f in first) == ["model", "technician", "unit"]
    assert all(f.status == "open" and f.first_flagged_on == DAY for f in first)

    later = DAY + dt.timedelta(days=3)
    again = await _record(sessions, [_unit(a, customer_id, repairs=7), _unit(b, customer_id)], later)
    assert [(f.kind, f.asset_id) for f in again] == [("unit", b)]  # only b is news
    stored = await _stored(sessions)
    assert stored[str(a)].evidence["repairs"] == 7 and stored[str(a)].last_seen_on == later
    assert stored[str(a)].first_flagged_on == DAY and stored[str(a)].customer_id == customer_id
    # The incremental check looks at one unit: the model and technician it did not see stay open.
    assert stored["WM-10"].status == "open" and stored["陳師傅"].status == "open"


async def test_the_full_scan_clears_what_it_no_longer_finds_and_a_comeback_is_news(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    customer_id, (a, b) = await _owner_with_units(sessions)
    await _record(sessions, [_unit(a, customer_id), _unit(b, customer_id), _model("WM-10")], DAY)
    async with sessions() as s, s.begin():
        await flags.acknowledge(s, (await _stored(sessions))[str(b)].id, None)

    scan_day = DAY + dt.timedelta(days=1)
    assert await _record(sessions, [_unit(a, customer_id)], scan_day, full_scan=True) == []
    stored = await _stored(sessions)
    assert {k: r.status for k, r in stored.items()} == {str(a): "open", str(b): "cleared", "WM-10": "cleared"}

    back = DAY + dt.timedelta(days=40)
    reopened = await _record(sessions, [_unit(a, customer_id), _unit(b, customer_id, repairs=9)], back, full_scan=True)
    assert [(f.subject, f.status, f.first_flagged_on) for f in reopened] == [(str(b), "open", back)]
    assert reopened[0].acknowledged_at is None and reopened[0].evidence["repairs"] == 9
    assert (await _stored(sessions))["WM-10"].status == "cleared"


async def test_the_same_flag_twice_in_one_call_is_stored_once(sessions: async_sessionmaker[AsyncSession]) -> None:
    customer_id, (a, _) = await _owner_with_units(sessions)
    news = await _record(sessions, [_unit(a, customer_id, repairs=5), _unit(a, customer_id, repairs=6)], DAY)
    assert len(news) == 1 and news[0].evidence["repairs"] == 6
    assert len(await _stored(sessions)) == 1


async def test_a_unit_flag_reaches_its_owner_until_cleared(sessions: async_sessionmaker[AsyncSession]) -> None:
    customer_id, (a, _) = await _owner_with_units(sessions)
    other_customer, (c,) = await _owner_with_units(sessions, units=1)
    await _record(sessions, [_unit(a, customer_id, repairs=4, expected=0.8), _unit(c, other_customer)], DAY)
    async with sessions() as s:
        mine = await flags.open_unit_flags(s, customer_id)
    assert list(mine) == [a]
    assert (mine[a].repairs, mine[a].expected, mine[a].rate_ratio, mine[a].first_flagged_on) == (4, 0.8, 5.0, DAY)
    await _record(sessions, [_unit(c, other_customer)], DAY, full_scan=True)
    async with sessions() as s:
        assert await flags.open_unit_flags(s, customer_id) == {}


async def test_a_scan_result_is_stored_as_json_evidence(sessions: async_sessionmaker[AsyncSession]) -> None:
    from contact_center.analytics.batch_defects import ModelFlag
    from contact_center.analytics.rework import TechnicianFlag
    from contact_center.analytics.service import RepairAnomaliesOut

    batch = ModelFlag(product_model="WM-10", window_start=dt.date(2026, 9, 1), window_end=dt.date(2026, 10, 31),
                      recent_repairs=31, recent_units=400, recent_unit_years=66.8, expected=12.5, reference_repairs=40,
                      reference="same_window_earlier_years", rate_ratio=2.48, p_value=1e-6, p_adjusted=1e-5, score=5.0)  # fmt: skip
    sloppy = TechnicianFlag(technician="陳師傅", repairs=80, reworks=20, rework_rate=0.25, peer_rate=0.0,
                            expected=0.0, rate_ratio=float("inf"), p_value=0.0, p_adjusted=0.0, score=999.0)  # fmt: skip
    found = flags.from_scan(RepairAnomaliesOut(as_of=DAY, assets=[], models=[batch], technicians=[sloppy]))
    assert [(f.kind, f.subject) for f in found] == [("model", "WM-10"), ("technician", "陳師傅")]
    await _record(sessions, found, DAY)
    stored = await _stored(sessions)
    assert stored["WM-10"].evidence["window_start"] == "2026-09-01" and stored["WM-10"].evidence["recent_repairs"] == 31
    assert stored["陳師傅"].evidence["rate_ratio"] is None  # no Infinity in JSON (PostgreSQL would refuse it)


# --- the API -----------------------------------------------------------------------------------------------


async def _first(events: AsyncIterator[bytes], seconds: float = 5.0) -> AsyncIterator[bytes]:
    yield await asyncio.wait_for(anext(events), seconds)


async def test_qa_lists_pages_and_acknowledges_flags(
    client: AsyncTestClient[Any], sessions: async_sessionmaker[AsyncSession]
) -> None:
    customer_id, units = await _owner_with_units(sessions, units=5)
    for n, asset_id in enumerate(units):
        await _record(sessions, [_unit(asset_id, customer_id)], DAY + dt.timedelta(days=n))
    await _record(sessions, [_model("WM-10")], DAY)
    qa_id, qa_token = await make_user(sessions, "qa")
    qa = bearer(qa_token)

    first = await client.get("/api/analytics/repair-flags", params={"kind": "unit", "limit": 2}, headers=qa)
    assert first.status_code == 200, first.text
    body = first.json()
    assert body["total"] == 5 and body["limit"] == 2 and body["offset"] == 0
    assert [f["asset_id"] for f in body["items"]] == [units[4], units[3]]  # the newest first
    assert body["items"][0]["evidence"]["repairs"] == 6 and body["items"][0]["status"] == "open"
    rest = (await client.get("/api/analytics/repair-flags", params={"kind": "unit", "limit": 2, "offset": 4},
                             headers=qa)).json()  # fmt: skip
    assert [f["asset_id"] for f in rest["items"]] == [units[0]]
    assert (await client.get("/api/analytics/repair-flags", headers=qa)).json()["total"] == 6

    flag_id = body["items"][0]["id"]
    channels = client.app.plugins.get(ChannelsPlugin)
    async with channels.start_subscription(["supervisors"]) as subscriber:  # other QA screens hear of it
        done = await client.post(f"/api/analytics/repair-flags/{flag_id}/acknowledge", headers=qa)
        heard = [msgspec.json.decode(m) async for m in _first(subscriber.iter_events())]
    assert heard == [{"type": "repair_flag_acknowledged", "flag_id": flag_id, "kind": "unit",
                      "subject": str(units[4]), "acknowledged_by": qa_id}]  # fmt: skip
    assert done.status_code == 200, done.text
    assert done.json()["status"] == "acknowledged" and done.json()["acknowledged_by"] == qa_id
    _, supervisor = await make_user(sessions, "supervisor")
    twice = await client.post(f"/api/analytics/repair-flags/{flag_id}/acknowledge", headers=bearer(supervisor))
    assert twice.status_code == 200 and twice.json()["acknowledged_by"] == qa_id  # the first one is kept
    assert (await client.get("/api/analytics/repair-flags", headers=qa)).json()["total"] == 5
    acknowledged = (await client.get("/api/analytics/repair-flags", params={"status": "acknowledged"},
                                     headers=qa)).json()  # fmt: skip
    assert [f["id"] for f in acknowledged["items"]] == [flag_id]
    assert (await client.get("/api/analytics/repair-flags", params={"status": "all"}, headers=qa)).json()["total"] == 6


async def test_bad_requests_about_flags_get_clear_answers(
    client: AsyncTestClient[Any], sessions: async_sessionmaker[AsyncSession], agent_headers: dict[str, str]
) -> None:
    customer_id, (a, b) = await _owner_with_units(sessions)
    await _record(sessions, [_unit(a, customer_id), _unit(b, customer_id)], DAY)
    await _record(sessions, [_unit(a, customer_id)], DAY, full_scan=True)  # b is cleared
    cleared = (await _stored(sessions))[str(b)].id
    _, qa_token = await make_user(sessions, "qa")
    _, customer_token = await make_user(sessions, "customer")
    qa = bearer(qa_token)
    url = "/api/analytics/repair-flags"

    for headers in (agent_headers, bearer(customer_token)):
        assert (await client.get(url, headers=headers)).status_code == 403
        assert (await client.post(f"{url}/{cleared}/acknowledge", headers=headers)).status_code == 403
    assert (await client.get(url)).status_code == 401
    assert (await client.post(f"{url}/987654/acknowledge", headers=qa)).status_code == 404
    conflict = await client.post(f"{url}/{cleared}/acknowledge", headers=qa)
    assert conflict.status_code == 409 and "cleared" in conflict.json()["message"]
    for params, message in (({"status": "closed"}, "status must be one of"), ({"kind": "lemon"}, "kind must be one of"),
                            ({"limit": 0}, "limit must be between"), ({"offset": -1}, "offset must not be negative")):  # fmt: skip
        bad = await client.get(url, params=params, headers=qa)
        assert bad.status_code == 422 and message in bad.json()["message"], bad.text
    assert (await client.get(url, params={"limit": "many"}, headers=qa)).status_code == 400


# --- the full scan -----------------------------------------------------------------------------------------


class Collected:
    """A `publish` that keeps what it is given."""

    def __init__(self) -> None:
        self.messages: list[tuple[str, dict[str, Any]]] = []

    async def __call__(self, channel: str, data: bytes) -> None:
        self.messages.append((channel, msgspec.json.decode(data)))


async def test_the_full_scan_stores_and_announces_new_flags_once(sessions: async_sessionmaker[AsyncSession]) -> None:
    ids = await repair_fleet(sessions, DAY)
    async with sessions() as s, s.begin():  # a model flag no scan will find again: the scan clears it
        await flags.record(s, [_model("GHOST-1")], DAY - dt.timedelta(days=30))
    publish = Collected()
    assert await jobs.run_anomaly_scan(sessions, publish, as_of=DAY) == 1

    assert [channel for channel, _ in publish.messages] == ["supervisors"]
    message = publish.messages[0][1]
    assert message["type"] == "repair_anomaly" and message["kind"] == "unit"
    assert message["external_id"] == "LEMON" and message["asset_id"] == ids["LEMON"]
    assert message["repairs"] >= 10 and message["expected"] < 5 and message["first_flagged_on"] == DAY.isoformat()
    stored = await _stored(sessions)
    assert stored[str(ids["LEMON"])].status == "open" and stored[str(ids["LEMON"])].customer_id == ids["customer"]
    assert stored["GHOST-1"].status == "cleared"
    assert len([r for r in stored.values() if r.status != "cleared"]) == 1  # healthy units are not flagged

    later = DAY + dt.timedelta(days=1)
    assert await jobs.run_anomaly_scan(sessions, publish, as_of=later) == 0
    assert len(publish.messages) == 1  # announced once
    assert (await _stored(sessions))[str(ids["LEMON"])].last_seen_on == later


async def test_many_new_flags_are_announced_as_one_summary(
    sessions: async_sessionmaker[AsyncSession], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A first scan of a big fleet finds hundreds of flags: screens get one message and reload the
    list, not a toast per flag."""
    await repair_fleet(sessions, DAY)
    async with sessions() as s, s.begin():  # standing flags the scan clears are not news
        await flags.record(s, [_model("M-1"), _model("M-2")], DAY)
    monkeypatch.setattr(jobs, "ANNOUNCE_EACH", 0)
    publish = Collected()
    assert await jobs.run_anomaly_scan(sessions, publish, as_of=DAY) == 1
    assert publish.messages == [
        ("supervisors", {"type": "repair_flags_found", "new": 1, "by_kind": {"unit": 1, "model": 0, "technician": 0}})
    ]


async def test_a_scan_already_running_is_not_started_twice(sessions: async_sessionmaker[AsyncSession]) -> None:
    await repair_fleet(sessions, DAY, units=40)
    publish = Collected()
    results = await asyncio.gather(jobs.run_anomaly_scan(sessions, publish, as_of=DAY),
                                   jobs.run_anomaly_scan(sessions, publish, as_of=DAY))  # fmt: skip
    assert results[1] is None and results[0] is not None
    assert not jobs.anomaly_scan_running(sessions)


async def test_supervisors_start_a_scan_and_its_flags_arrive(
    client: AsyncTestClient[Any], sessions: async_sessionmaker[AsyncSession], agent_headers: dict[str, str]
) -> None:
    ids = await repair_fleet(sessions, TODAY)
    _, qa_token = await make_user(sessions, "qa")
    _, supervisor = await make_user(sessions, "supervisor")
    url = "/api/analytics/repair-anomalies/scan"
    assert (await client.post(url, headers=agent_headers)).status_code == 403
    assert (await client.post(url, headers=bearer(qa_token))).status_code == 403  # QA reads, leads run scans
    started = await client.post(url, headers=bearer(supervisor))
    assert started.status_code == 202, started.text
    assert started.json()["status"] == "started" and started.json()["runner"] == "in-process"
    for _ in range(200):
        listed = (await client.get("/api/analytics/repair-flags", headers=bearer(qa_token))).json()
        if listed["total"]:
            break
        await asyncio.sleep(0.05)
    assert [f["asset_id"] for f in listed["items"]] == [ids["LEMON"]]
    assert listed["items"][0]["evidence"]["external_id"] == "LEMON"


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
async def test_with_a_worker_the_scan_is_queued_once(settings: Any, sessions: async_sessionmaker[AsyncSession]) -> None:
    import dataclasses
    import uuid

    from arq import create_pool
    from arq.connections import RedisSettings
    from arq.constants import default_queue_name, job_key_prefix

    from contact_center.app import create_app

    redis_url = "redis://127.0.0.1:6379/0"
    queued = dataclasses.replace(settings, redis_url=redis_url, channels_prefix=f"cc-test-{uuid.uuid4().hex[:8]}")
    _, supervisor = await make_user(sessions, "supervisor")
    pool = await create_pool(RedisSettings.from_dsn(redis_url))
    try:
        async with AsyncTestClient(app=create_app(queued)) as client:
            for _ in range(3):  # two calls in the same minute (the job's id), else try again
                minute = dt.datetime.now(dt.UTC).minute
                first = await client.post("/api/analytics/repair-anomalies/scan", headers=bearer(supervisor))
                second = await client.post("/api/analytics/repair-anomalies/scan", headers=bearer(supervisor))
                if dt.datetime.now(dt.UTC).minute == minute:
                    break
        assert first.status_code == 202 and first.json()["runner"] == "arq"
        assert first.json()["status"] in ("queued", "already_queued")  # an earlier run of this test, this minute
        assert second.json()["status"] == "already_queued"
        jobs_queued = [job.function for job in await pool.queued_jobs()]
        assert "anomaly_scan" in jobs_queued
    finally:
        for job in await pool.queued_jobs():
            if job.function == "anomaly_scan" and job.job_id and job.job_id.startswith("anomaly_scan:"):
                await pool.zrem(default_queue_name, job.job_id)
                await pool.delete(job_key_prefix + job.job_id)
        await pool.aclose()


async def test_the_scan_is_scheduled_nightly_and_not_at_start(
    sessions: async_sessionmaker[AsyncSession], monkeypatch: pytest.MonkeyPatch
) -> None:
    from contact_center.worker import WorkerSettings

    scan = next(c for c in WorkerSettings.cron_jobs if c.name == "cron:anomaly_scan")
    assert (scan.hour, scan.minute, scan.unique, scan.timeout_s) == ({19}, {30}, True, 1800)  # 03:30 in Taipei
    ids = await repair_fleet(sessions, TODAY, units=40)
    monkeypatch.setattr(jobs, "NIGHTLY_SECONDS", 0.5)  # the in-process stand-in's 6 h, shortened
    publish = Collected()
    async with jobs.in_process(sessions, publish, every=3600):
        await asyncio.sleep(0.2)
        assert await _stored(sessions) == {}  # a starting app is left alone
        for _ in range(100):
            if publish.messages:
                break
            await asyncio.sleep(0.1)
    assert [m["asset_id"] for _, m in publish.messages if m.get("type") == "repair_anomaly"] == [ids["LEMON"]]
