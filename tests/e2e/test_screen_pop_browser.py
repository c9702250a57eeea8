"""In a real browser, through the whole path (AMI simulator → pyst2 bridge → app → the agent's page):
a call rings the agent's extension, the pop shows the caller, the agent opens a ticket from it and
clicks a number to dial, which reaches the simulated Asterisk as an Originate."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from contact_center import clock
from contact_center.auth import service as auth_service
from contact_center.customers import schemas
from contact_center.customers import service as customer_service
from contact_center.db.session import create_engine, create_session_factory
from contact_center.settings import DatabaseSettings
from tests.builders import run_in_thread
from tests.e2e.conftest import Telephony

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("backend", ["sqlite"], indirect=True)]


async def _prepare(url: str) -> str:
    engine = create_engine(DatabaseSettings(url=url))
    async with create_session_factory(engine)() as session, session.begin():
        await auth_service.add_user(
            session, "alice", "agent", display_name="Alice", extension="1001", password="alice-pass"
        )
        await auth_service.add_user(session, "bridge", "pbx")
        token = await auth_service.create_token(session, "bridge")
        await customer_service.create(
            session, schemas.CustomerCreate(name="林美華", phones=["0912-345-678"], taboos="勿於上班時間來電")
        )
    await engine.dispose()
    return token


def _sign_in_as_alice(page: Page, live_server: str) -> None:
    page.goto(f"{live_server}/login")
    page.get_by_label("帳號").fill("alice")
    page.get_by_label("密碼").fill("alice-pass")
    page.get_by_role("button", name="登入").click()
    expect(page.get_by_test_id("ws-status")).to_have_attribute("data-state", "connected")


def test_a_simulated_call_pops_the_caller_and_the_agent_opens_a_ticket_and_dials(
    page: Page, live_server: str, db_url: str
) -> None:
    token = run_in_thread(_prepare(db_url))
    telephony = Telephony(live_server, token)
    try:
        _sign_in_as_alice(page, live_server)
        pop = page.get_by_test_id("screen-pop")
        expect(pop).to_be_hidden()

        telephony.simulator.hold_before("AgentConnect")  # keep the phone ringing while we look
        telephony.run(telephony.simulator.place_call("answered", "0912345678", agents=("1001", "1002")))
        expect(pop).to_be_visible(timeout=15_000)
        expect(pop.get_by_test_id("pop-customer")).to_have_text("林美華")
        expect(pop).to_contain_text("勿於上班時間來電")
        expect(pop.get_by_test_id("call-state")).to_have_text("來電響鈴中")
        telephony.simulator.release()
        expect(pop.get_by_test_id("call-state")).to_have_text("通話中", timeout=15_000)

        pop.get_by_label("案件主旨").fill("冷氣不冷")
        pop.get_by_label("類型").select_option("repair")
        pop.get_by_role("button", name="建立案件").click()
        expect(page).to_have_url(re.compile(r"/desk/tickets/\d+$"))  # the new ticket opens
        expect(page.get_by_role("heading", level=1)).to_contain_text("冷氣不冷")
        expect(page.get_by_test_id("call-bar").get_by_test_id("call-state")).to_have_text("通話中")  # the call stays

        page.get_by_test_id("ticket-customer").get_by_role("button", name="0912 345 678").click()
        expect(page.get_by_test_id("toast")).to_contain_text("已撥出至", timeout=20_000)
        originate = [a for a in telephony.simulator.actions if a.get("Action") == "Originate"]
        assert originate and originate[0]["Channel"] == "PJSIP/1001" and originate[0]["Exten"] == "0912345678"
    finally:
        telephony.close()


async def _prepare_lemon_owner(url: str) -> str:
    """Alice, the bridge, 林美華 whose air-conditioner QA flagged as repaired abnormally often, and a
    trade-in offer for flagged units."""

    import msgspec

    from contact_center.analytics import flags
    from contact_center.models import Asset
    from contact_center.offers import service as offer_service

    token = await _prepare(url)
    engine = create_engine(DatabaseSettings(url=url))
    async with create_session_factory(engine)() as session, session.begin():
        found = await customer_service.search(session, q="林美華", city=None, tier=None, limit=1, offset=0)
        customer = found.items[0]
        unit = Asset(customer_id=customer.id, product_model="RAC-28NK", product_name="分離式冷氣", extra={})
        session.add(unit)
        await session.flush()
        evidence = {"asset_id": unit.id, "external_id": None, "product_model": "RAC-28NK", "repairs": 4,
                    "expected": 0.8, "rate_ratio": 5.0}  # fmt: skip
        await flags.record(session, [flags.Found(flags.UNIT, str(unit.id), evidence, customer.id, unit.id)],
                           clock.today())  # fmt: skip
        trade_in = {"code": "TRADE-IN", "title": "報修異常機台 以舊換新", "product_model": "SVC-TRADEIN",
                    "rules": {"abnormal_repairs": True}}  # fmt: skip
        await offer_service.create(session, msgspec.convert(trade_in, offer_service.OfferIn))
    await engine.dispose()
    return token


def test_the_pop_warns_of_a_unit_repaired_abnormally_often_and_offers_a_trade_in(
    page: Page, live_server: str, db_url: str
) -> None:
    token = run_in_thread(_prepare_lemon_owner(db_url))
    telephony = Telephony(live_server, token)
    try:
        _sign_in_as_alice(page, live_server)

        telephony.run(telephony.simulator.place_call("answered", "0912345678", agents=("1001",)))
        pop = page.get_by_test_id("screen-pop")
        expect(pop.get_by_test_id("pop-customer")).to_have_text("林美華", timeout=15_000)
        badge = pop.get_by_test_id("repair-flag")
        expect(badge).to_have_text(re.compile(r"^\s*報修頻率異常：4 次／預期 0\.8 次$"))
        expect(badge.locator("svg.icon")).to_have_count(1)  # the warning sign without an emoji font
        expect(badge).to_be_visible()
        offer = pop.get_by_test_id("pop-offers").get_by_test_id("offer")
        expect(offer).to_contain_text("報修異常機台 以舊換新", timeout=15_000)
        expect(offer).to_contain_text("此機台報修頻率異常（同型號同機齡預期 0.8 次，實際 4 次），建議以舊換新")

        pop.get_by_test_id("pop-customer").click()  # the customer's page says it too
        expect(page.get_by_test_id("assets").get_by_test_id("repair-flag")).to_have_text(
            re.compile(r"^\s*報修頻率異常：4 次／預期 0\.8 次$")
        )
    finally:
        telephony.close()
