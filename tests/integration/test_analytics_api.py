"""QA analytics over the API: a lemon unit is flagged with its evidence, a busy but healthy customer's
unit is not; complaint trends come as weekly series; bad ranges get a clear answer; QA-only."""

from __future__ import annotations

import datetime as dt
from typing import Any

from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from contact_center.models import Asset, Customer, Interaction, Ticket, TicketEvent
from contact_center.settings import Settings
from tests.builders import bearer, make_user

TAIPEI = dt.timezone(dt.timedelta(hours=8))
# Relative to today: the live check after a new repair ticket judges the fleet as of today.
AS_OF = dt.datetime.now(TAIPEI).date() - dt.timedelta(days=21)
START = AS_OF - dt.timedelta(days=3 * 365 - 1)


def _at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(10), TAIPEI)


async def _fleet(sessions: async_sessionmaker[AsyncSession]) -> dict[str, int]:
    """300 air-conditioners with 0-3 repairs in three years, a lemon with 12, and a unit whose owner
    calls about bills every month (not a lemon)."""
    span = (AS_OF - START).days
    ids: dict[str, int] = {}
    async with sessions() as s, s.begin():
        customer = Customer(name="車隊", value_tier="standard", emails=[], important_dates=[], extra={})
        s.add(customer)
        await s.flush()
        for u in range(302):
            name = "LEMON" if u == 300 else "BUSY" if u == 301 else f"U{u:03d}"
            asset = Asset(customer_id=customer.id, external_id=name, product_model="RAC-28NK",
                          installed_on=dt.date(2020, 1, 1), extra={})  # fmt: skip
            s.add(asset)
            await s.flush()
            ids[name] = asset.id
            if name == "LEMON":
                days = [START + dt.timedelta(days=90 * k + 5) for k in range(12)]
                kinds = ["repair"] * 12
            elif name == "BUSY":
                days = [START + dt.timedelta(days=30 * k + 3) for k in range(30)]
                kinds = ["billing"] * 30
            else:
                count = (0, 0, 1, 1, 1, 2, 2, 3)[u % 8]
                days = [START + dt.timedelta(days=(u * 53 + j * (span // max(count, 1))) % span) for j in range(count)]
                kinds = ["repair"] * count
            for day, kind in zip(days, kinds, strict=True):
                s.add(Ticket(customer_id=customer.id, asset_id=asset.id, kind=kind, subject="x", status="closed",
                             created_at=_at(day), extra={}, sla_pauses=[], escalation_level=0))  # fmt: skip
    return ids


async def test_a_lemon_is_flagged_with_its_evidence_and_a_busy_customer_is_not(
    client: AsyncTestClient[Any], sessions: async_sessionmaker[AsyncSession], agent_headers: dict[str, str]
) -> None:
    ids = await _fleet(sessions)
    _, qa_token = await make_user(sessions, "qa")
    found = await client.get("/api/analytics/repair-anomalies", params={"as_of": AS_OF.isoformat()},
                             headers=bearer(qa_token))  # fmt: skip
    assert found.status_code == 200, found.text
    body = found.json()
    flagged = {a["external_id"]: a for a in body["assets"]}
    assert "LEMON" in flagged and "BUSY" not in flagged
    lemon = flagged["LEMON"]
    assert lemon["asset_id"] == ids["LEMON"] and lemon["repairs"] >= 10 and lemon["expected"] < 5
    assert lemon["rate_ratio"] > 2 and lemon["score"] > 0
    assert body["as_of"] == AS_OF.isoformat() and isinstance(body["models"], list)
    assert (await client.get("/api/analytics/repair-anomalies", headers=agent_headers)).status_code == 403
    bad = await client.get("/api/analytics/repair-anomalies", params={"as_of": "yesterday"}, headers=bearer(qa_token))
    assert bad.status_code == 400


async def test_complaint_trends_come_as_weekly_series(
    client: AsyncTestClient[Any], sessions: async_sessionmaker[AsyncSession]
) -> None:
    async with sessions() as s, s.begin():
        for n in range(40):
            day = AS_OF - dt.timedelta(days=n * 3)
            s.add(Ticket(kind="complaint", subject="遙控器沒反應" if n % 2 else "帳單重複扣款", description="客戶抱怨",
                         status="closed", created_at=_at(day), extra={}, sla_pauses=[], escalation_level=0))  # fmt: skip
    _, qa_token = await make_user(sessions, "qa")
    params = {"from": (AS_OF - dt.timedelta(weeks=12)).isoformat(), "to": AS_OF.isoformat()}
    trends = await client.get("/api/analytics/complaint-trends", params=params, headers=bearer(qa_token))
    assert trends.status_code == 200, trends.text
    body = trends.json()
    assert len(body["weeks"]) == 13 and all(len(t["counts"]) == 13 for t in body["topics"])
    assert sum(t["total"] for t in body["topics"]) + sum(body["unassigned"]) >= 28
    assert isinstance(body["emerging"], list)
    backwards = await client.get("/api/analytics/complaint-trends", params={"from": "2026-11-01", "to": "2026-10-01"},
                                 headers=bearer(qa_token))  # fmt: skip
    assert backwards.status_code == 422 and "before" in backwards.json()["message"]
    too_long = await client.get("/api/analytics/complaint-trends", params={"from": "2020-01-01", "to": "2026-10-01"},
                                headers=bearer(qa_token))  # fmt: skip
    assert too_long.status_code == 422


async def test_service_quality_per_agent_and_week(
    client: AsyncTestClient[Any], sessions: async_sessionmaker[AsyncSession]
) -> None:
    alice, _ = await make_user(sessions, "agent", display_name="Alice")
    bob, _ = await make_user(sessions, "agent", display_name="Bob")
    monday = dt.date(2026, 10, 5)
    async with sessions() as s, s.begin():
        # Alice: 4 resolved, one needed 3 contacts, one was reopened; ratings 5, 4.
        for n in range(4):
            ticket = Ticket(kind="repair", subject=f"a{n}", status="resolved", assignee_id=alice,
                            resolved_at=_at(monday + dt.timedelta(days=n)), satisfaction=(5, 4, None, None)[n],
                            extra={}, sla_pauses=[], escalation_level=0)  # fmt: skip
            s.add(ticket)
            await s.flush()
            for c in range(3 if n == 1 else 1):
                s.add(Interaction(ticket_id=ticket.id, channel="call", agent_id=alice, duration_seconds=120 + 60 * c,
                                  started_at=_at(monday + dt.timedelta(days=n)), extra={}))  # fmt: skip
            if n == 2:
                s.add(
                    TicketEvent(
                        ticket_id=ticket.id, kind="status_changed", data={"before": "resolved", "after": "open"}
                    )
                )
        # Bob: 1 resolved the week after, first contact, rated 2.
        s.add(Ticket(kind="billing", subject="b", status="resolved", assignee_id=bob, satisfaction=2,
                     resolved_at=_at(monday + dt.timedelta(days=8)), extra={}, sla_pauses=[], escalation_level=0))  # fmt: skip
    _, qa_token = await make_user(sessions, "qa")
    params = {"from": "2026-10-01", "to": "2026-10-31", "by": "agent"}
    by_agent = await client.get("/api/analytics/service-quality", params=params, headers=bearer(qa_token))
    assert by_agent.status_code == 200, by_agent.text
    rows = {r["label"]: r for r in by_agent.json()["rows"]}
    a = rows["Alice"]
    assert a["resolved"] == 4 and a["first_contact_resolution"] == 0.5 and a["reopen_rate"] == 0.25
    assert a["csat"] == 4.5 and a["rated"] == 2 and a["calls"] == 6 and a["average_handle_seconds"] == 150.0
    assert rows["Bob"]["first_contact_resolution"] == 1.0 and rows["Bob"]["csat"] == 2.0
    weeks = (await client.get("/api/analytics/service-quality", params={**params, "by": "week"},
                              headers=bearer(qa_token))).json()["rows"]  # fmt: skip
    assert [(w["key"], w["resolved"]) for w in weeks] == [("2026-10-05", 4), ("2026-10-12", 1)]
    bad = await client.get("/api/analytics/service-quality", params={**params, "by": "moon"}, headers=bearer(qa_token))
    assert bad.status_code == 422 and "by must be one of" in bad.json()["message"]


async def test_customer_value_and_the_nightly_tiers(
    client: AsyncTestClient[Any], sessions: async_sessionmaker[AsyncSession]
) -> None:
    from contact_center.analytics import service as analytics
    from contact_center.models import Purchase

    async with sessions() as s, s.begin():
        ids = []
        for n in range(20):
            customer = Customer(name=f"c{n}", value_tier="standard", emails=[], important_dates=[], extra={})
            s.add(customer)
            await s.flush()
            ids.append(customer.id)
            s.add(Purchase(customer_id=customer.id, amount=1000 * (n + 1), purchased_at=_at(AS_OF - dt.timedelta(days=60)),
                           extra={}))  # fmt: skip
        s.add(Customer(name="never bought", value_tier="vip", emails=[], important_dates=[], extra={}))
    _, qa_token = await make_user(sessions, "qa")
    found = await client.get(
        "/api/analytics/customer-value", params={"as_of": AS_OF.isoformat()}, headers=bearer(qa_token)
    )
    assert found.status_code == 200, found.text
    pyramid = {level["tier"]: level for level in found.json()["pyramid"]}
    assert pyramid["vip"]["customers"] == 1 and pyramid["vip"]["min_value"] == 20_000
    assert pyramid["basic"]["customers"] == 11  # 10 low spenders and the customer who never bought
    async with sessions() as s, s.begin():
        changed = await analytics.refresh_tiers(s, AS_OF)
    assert changed["vip"] == 1 and changed["gold"] == 3 and changed["basic"] == 11
    async with sessions() as s:
        top = await s.get(Customer, ids[-1])
        assert top is not None and top.value_tier == "vip"


async def test_a_repair_on_a_lemon_alerts_supervisors_once(
    client: AsyncTestClient[Any], sessions: async_sessionmaker[AsyncSession], agent_headers: dict[str, str]
) -> None:
    import asyncio

    import msgspec
    from litestar.channels import ChannelsPlugin

    ids = await _fleet(sessions)
    async with sessions() as s:
        owner = (await s.get(Asset, ids["LEMON"])).customer_id  # type: ignore[union-attr]
    channels = client.app.plugins.get(ChannelsPlugin)
    alerts: list[dict[str, Any]] = []
    async with channels.start_subscription(["supervisors"]) as subscriber:

        async def collect() -> None:
            async for raw in subscriber.iter_events():
                message = msgspec.json.decode(raw)
                if message.get("type") == "repair_anomaly":
                    alerts.append(message)

        collector = asyncio.create_task(collect())

        async def alerts_after(seconds: float, wanted: int) -> int:
            for _ in range(int(seconds * 20)):
                if len(alerts) >= wanted:
                    break
                await asyncio.sleep(0.05)
            return len(alerts)

        healthy = {"kind": "repair", "subject": "冷氣不冷", "customer_id": owner, "asset_id": ids["U002"]}
        assert (await client.post("/api/tickets", json=healthy, headers=agent_headers)).status_code == 201
        assert await alerts_after(2.0, 1) == 0  # an ordinary unit's repair is no news
        lemon = {**healthy, "asset_id": ids["LEMON"]}
        assert (await client.post("/api/tickets", json=lemon, headers=agent_headers)).status_code == 201
        assert await alerts_after(30.0, 1) == 1
        assert alerts[0]["external_id"] == "LEMON" and alerts[0]["repairs"] >= 10 and alerts[0]["expected"] < 5
        assert (await client.post("/api/tickets", json=lemon, headers=agent_headers)).status_code == 201
        assert await alerts_after(2.0, 2) == 1  # once per unit
        collector.cancel()
    _, qa_token = await make_user(sessions, "qa")
    stored = (await client.get("/api/analytics/repair-flags", headers=bearer(qa_token))).json()
    assert [(f["kind"], f["asset_id"], f["customer_id"]) for f in stored["items"]] == [("unit", ids["LEMON"], owner)]
    assert stored["items"][0]["evidence"]["repairs"] >= 10 and stored["items"][0]["status"] == "open"


async def _alerts_after_a_repair(settings: Settings, ticket: dict[str, Any], headers: dict[str, str]) -> list[Any]:
    """The repair_anomaly messages one freshly started app publishes after a repair ticket."""
    import asyncio

    import msgspec
    from litestar.channels import ChannelsPlugin

    from contact_center.app import create_app

    app = create_app(settings)
    alerts: list[dict[str, Any]] = []
    async with AsyncTestClient(app=app) as client:
        async with app.plugins.get(ChannelsPlugin).start_subscription(["supervisors"]) as subscriber:

            async def collect() -> None:
                async for raw in subscriber.iter_events():
                    if (message := msgspec.json.decode(raw)).get("type") == "repair_anomaly":
                        alerts.append(message)

            collector = asyncio.create_task(collect())
            assert (await client.post("/api/tickets", json=ticket, headers=headers)).status_code == 201
            await asyncio.sleep(1.0)  # the test client answers once the background check is done; delivery is a hop
            collector.cancel()
    return alerts


async def test_a_lemon_announced_before_a_restart_is_not_announced_again(
    settings: Settings, sessions: async_sessionmaker[AsyncSession], agent_headers: dict[str, str]
) -> None:
    from contact_center.models import RepairFlag

    ids = await _fleet(sessions)
    async with sessions() as s:
        owner = (await s.get(Asset, ids["LEMON"])).customer_id  # type: ignore[union-attr]
    lemon = {"kind": "repair", "subject": "冷氣不冷", "customer_id": owner, "asset_id": ids["LEMON"]}
    first = await _alerts_after_a_repair(settings, lemon, agent_headers)
    assert [a["external_id"] for a in first] == ["LEMON"]
    assert await _alerts_after_a_repair(settings, lemon, agent_headers) == []  # a restarted app: no second alert
    async with sessions() as s:
        flag = (await s.execute(select(RepairFlag))).scalar_one()
    assert (flag.kind, flag.asset_id, flag.customer_id, flag.status) == ("unit", ids["LEMON"], owner, "open")
