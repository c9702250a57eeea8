"""Offers over the API: leads define eligibility rules, agents get the right offer with its reason for
the customer on the line, answers are recorded and suppress the offer, conversion is reported."""

from __future__ import annotations

import datetime as dt
from typing import Any

from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from contact_center.models import Asset, Customer, Snapshot, Ticket
from contact_center.offers import service as offer_service

TODAY = dt.datetime.now(dt.timezone(dt.timedelta(hours=8))).date()
OFFERS = [
    {"code": "AC-REPLACE", "title": "冷氣換新機 以舊換新", "product_model": "RAC-30",
     "rules": {"owns": ["RAC"], "min_repairs": 2, "repairs_within_months": 3}},
    {"code": "EXT-WARRANTY", "title": "延長保固 2 年", "product_model": "EXT-2Y",
     "rules": {"owns": ["RAC"], "warranty_ends_within_days": 30}},
    {"code": "WH-NEW", "title": "熱水器新機", "product_model": "WH-12",
     "rules": {"not_owns": ["WH"], "cue_words": ["熱水器", "water heater"], "required_cue": True}},
    {"code": "VIP-ONLY", "title": "VIP 專屬清洗", "product_model": "CLEAN-VIP", "rules": {"tiers": ["vip"]}},
]  # fmt: skip


async def _customer(sessions: async_sessionmaker[AsyncSession]) -> int:
    """An air-conditioner repaired twice in the last two months, its warranty ending in 10 days."""
    async with sessions() as s, s.begin():
        customer = Customer(name="王小明", value_tier="standard", emails=[], important_dates=[], extra={})
        s.add(customer)
        await s.flush()
        asset = Asset(customer_id=customer.id, product_model="RAC-22", installed_on=TODAY - dt.timedelta(days=700),
                      warranty_until=TODAY + dt.timedelta(days=10), extra={})  # fmt: skip
        s.add(asset)
        await s.flush()
        for days_ago in (50, 20):
            s.add(Ticket(customer_id=customer.id, asset_id=asset.id, kind="repair", subject="冷氣不冷", status="closed",
                         created_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=days_ago), extra={}, sla_pauses=[],
                         escalation_level=0))  # fmt: skip
        s.add(Ticket(customer_id=customer.id, asset_id=asset.id, kind="billing", subject="帳單", status="closed",
                     extra={}, sla_pauses=[], escalation_level=0))  # fmt: skip
        return customer.id


async def test_the_right_offer_with_its_reason_then_answers_and_conversion(
    client: AsyncTestClient[Any],
    admin_headers: dict[str, str],
    agent_headers: dict[str, str],
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    assert (await client.post("/api/offers", json=OFFERS[0], headers=agent_headers)).status_code == 403
    ids = {}
    for offer in OFFERS:
        created = await client.post("/api/offers", json=offer, headers=admin_headers)
        assert created.status_code == 201, created.text
        ids[offer["code"]] = created.json()["id"]
    customer_id = await _customer(sessions)

    suggested = await client.post("/api/offers/suggest", json={"customer_id": customer_id}, headers=agent_headers)
    assert suggested.status_code == 200, suggested.text
    codes = [o["code"] for o in suggested.json()]
    assert set(codes) == {"AC-REPLACE", "EXT-WARRANTY"}  # no cue for the heater; not a VIP
    replace = next(o for o in suggested.json() if o["code"] == "AC-REPLACE")
    assert any("報修" in r and "換新機" in r for r in replace["reasons"]), replace["reasons"]
    ending = next(o for o in suggested.json() if o["code"] == "EXT-WARRANTY")
    assert any("10" in r for r in ending["reasons"])

    heard = await client.post("/api/offers/suggest", json={"customer_id": customer_id, "text": "我家热水器也很旧了",
                                                            "limit": 5, "lang": "en"}, headers=agent_headers)  # fmt: skip
    assert "WH-NEW" in [o["code"] for o in heard.json()]
    assert all(r.isascii() for o in heard.json() for r in o["reasons"] if o["code"] != "WH-NEW")

    answer = {"customer_id": customer_id, "response": "decline", "note": "剛修好，先不換"}
    assert (
        await client.post(f"/api/offers/{ids['AC-REPLACE']}/responses", json=answer, headers=agent_headers)
    ).status_code == 201
    again = await client.post("/api/offers/suggest", json={"customer_id": customer_id}, headers=agent_headers)
    assert [o["code"] for o in again.json()] == ["EXT-WARRANTY"]  # declined: rests 90 days
    accept = {"customer_id": customer_id, "response": "accept"}
    await client.post(f"/api/offers/{ids['EXT-WARRANTY']}/responses", json=accept, headers=agent_headers)

    report = {r["code"]: r for r in (await client.get("/api/offers/report", headers=admin_headers)).json()}
    assert report["AC-REPLACE"]["declined"] == 1 and report["AC-REPLACE"]["conversion"] == 0
    assert report["EXT-WARRANTY"]["accepted"] == 1 and report["EXT-WARRANTY"]["conversion"] == 1
    # Shown in four suggestions today, to one customer: one customer-day each.
    assert {code: (r["shown"], r["answered"]) for code, r in report.items()} == {
        "AC-REPLACE": (1, 1),
        "EXT-WARRANTY": (1, 1),
        "WH-NEW": (1, 0),
        "VIP-ONLY": (0, 0),  # never eligible: never shown
    }
    assert report["WH-NEW"]["conversion"] == 0


async def test_bad_offers_and_answers_are_refused(
    client: AsyncTestClient[Any],
    admin_headers: dict[str, str],
    agent_headers: dict[str, str],
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    bad = {"code": "BAD", "title": "x", "product_model": "X",
           "rules": {"min_asset_age_years": 8, "max_asset_age_years": 3, "warranty_ends_within_days": -5,
                     "tiers": ["platinum"]}}  # fmt: skip
    refused = await client.post("/api/offers", json=bad, headers=admin_headers)
    assert refused.status_code == 422
    assert len(refused.json()["detail"]) >= 3 and "tiers" in refused.json()["message"]
    unknown_rule = {**OFFERS[0], "code": "X2", "rules": {"owns_maybe": ["RAC"]}}
    assert (await client.post("/api/offers", json=unknown_rule, headers=admin_headers)).status_code == 400
    assert (await client.get("/api/offers", headers=agent_headers)).json() == []

    created = (await client.post("/api/offers", json=OFFERS[0], headers=admin_headers)).json()
    customer_id = await _customer(sessions)
    assert (await client.post("/api/offers", json=OFFERS[0], headers=admin_headers)).status_code == 409
    wrong = await client.post(f"/api/offers/{created['id']}/responses", json={"customer_id": customer_id, "response": "maybe"},
                              headers=agent_headers)  # fmt: skip
    assert wrong.status_code == 422 and "accept" in wrong.json()["message"]
    nobody = await client.post("/api/offers/suggest", json={"customer_id": 999_999}, headers=agent_headers)
    assert nobody.status_code == 404


async def test_the_nightly_job_counts_what_customers_own_together(sessions: async_sessionmaker[AsyncSession]) -> None:
    async with sessions() as s, s.begin():
        for n in range(12):
            customer = Customer(name=f"c{n}", value_tier="standard", emails=[], important_dates=[], extra={})
            s.add(customer)
            await s.flush()
            s.add(Asset(customer_id=customer.id, product_model="RAC-22", extra={}))
            if n < 9:
                s.add(Asset(customer_id=customer.id, product_model="DH-10", extra={}))
    async with sessions() as s, s.begin():
        assert await offer_service.refresh_coownership(s) == 12
    async with sessions() as s:
        snapshot = (await s.execute(select(Snapshot))).scalar_one()
        assert snapshot.name == offer_service.COOWNERSHIP
        stats = await offer_service.coownership(s)
        assert stats is not None and stats.owned_together("RAC", "DH") == 9


async def test_a_trade_in_is_offered_for_a_unit_flagged_as_repaired_abnormally_often(
    client: AsyncTestClient[Any],
    admin_headers: dict[str, str],
    agent_headers: dict[str, str],
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    from contact_center.analytics import flags

    trade_in = {"code": "TRADE-IN", "title": "報修異常機台 以舊換新", "product_model": "SVC-TRADEIN",
                "rules": {"owns": ["RAC"], "abnormal_repairs": True}}  # fmt: skip
    refused = await client.post("/api/offers", json={**trade_in, "rules": {"abnormal_repairs": "yes"}},
                                headers=admin_headers)  # fmt: skip
    assert refused.status_code == 400 and "abnormal_repairs" in refused.text
    created = await client.post("/api/offers", json=trade_in, headers=admin_headers)
    assert created.status_code == 201, created.text
    assert created.json()["rules"]["abnormal_repairs"] is True
    lemon_owner, healthy_owner = await _customer(sessions), await _customer(sessions)
    async with sessions() as s, s.begin():
        unit = (await s.execute(select(Asset).where(Asset.customer_id == lemon_owner))).scalar_one()
        evidence = {"repairs": 4, "expected": 0.8, "rate_ratio": 5.0, "external_id": None, "product_model": "RAC-22"}
        await flags.record(s, [flags.Found(flags.UNIT, str(unit.id), evidence, lemon_owner, unit.id)], TODAY)

    async def suggested(customer_id: int, lang: str = "zh-Hant") -> dict[str, Any]:
        found = await client.post("/api/offers/suggest", json={"customer_id": customer_id, "lang": lang, "limit": 5},
                                  headers=agent_headers)  # fmt: skip
        assert found.status_code == 200, found.text
        return {o["code"]: o for o in found.json()}

    offer = (await suggested(lemon_owner))["TRADE-IN"]
    assert offer["asset_id"] == unit.id
    assert offer["reasons"][0] == "此機台報修頻率異常（同型號同機齡預期 0.8 次，實際 4 次），建議以舊換新"
    assert "abnormally often" in (await suggested(lemon_owner, "en"))["TRADE-IN"]["reasons"][0]
    assert "TRADE-IN" not in await suggested(healthy_owner)
    async with sessions() as s, s.begin():  # the full scan no longer finds it: cleared, no more trade-in
        await flags.record(s, [], TODAY, full_scan=True)
    assert "TRADE-IN" not in await suggested(lemon_owner)
