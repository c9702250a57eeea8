"""In a real browser, through the whole path (AMI simulator → pyst2 bridge → app → the agent's page):
a call rings the agent's extension, the pop shows the caller, the agent opens a ticket from it and
clicks a number to dial, which reaches the simulated Asterisk as an Originate."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

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


def test_a_simulated_call_pops_the_caller_and_the_agent_opens_a_ticket_and_dials(
    page: Page, live_server: str, db_url: str
) -> None:
    token = run_in_thread(_prepare(db_url))
    telephony = Telephony(live_server, token)
    try:
        page.goto(f"{live_server}/login")
        page.get_by_label("帳號").fill("alice")
        page.get_by_label("密碼").fill("alice-pass")
        page.get_by_role("button", name="登入").click()
        expect(page.get_by_test_id("ws-status")).to_have_attribute("data-state", "connected")
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
        expect(pop).to_contain_text(re.compile(r"已建立案件 #\d+"))

        pop.get_by_role("button", name="0912 345 678").click()
        expect(page.get_by_test_id("toast")).to_contain_text("已撥出至", timeout=20_000)
        originate = [a for a in telephony.simulator.actions if a.get("Action") == "Originate"]
        assert originate and originate[0]["Channel"] == "PJSIP/1001" and originate[0]["Exten"] == "0912345678"
    finally:
        telephony.close()
