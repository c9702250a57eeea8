"""An agent's whole call in the browser, in Chinese and in English: the simulated phone rings → the call bar
names the caller → answer → open the customer → a ticket from the call → a public reply and an internal
note → a suggested article inserted → the customer's answer to an offer → resolve → hang up → wrap-up with a
disposition. The API then shows every step. Also: the first pop frame alone (no history yet) paints the
caller's name and breaks nothing."""

from __future__ import annotations

import json
import re
import urllib.request
from typing import Any

import msgspec
import pytest
from playwright.sync_api import Page, expect

from contact_center.auth import service as auth_service
from contact_center.customers import schemas
from contact_center.customers import service as customer_service
from contact_center.db.session import create_engine, create_session_factory
from contact_center.kb import articles
from contact_center.offers import service as offer_service
from contact_center.settings import DatabaseSettings
from tests.builders import run_in_thread
from tests.e2e.conftest import Telephony

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("backend", ["sqlite"], indirect=True)]

TEXTS = {
    "zh-TW": {"user": "帳號", "password": "密碼", "sign_in": "登入", "ringing": "來電響鈴中", "talking": "通話中",
              "wrap_up": "整理中", "subject": "案件主旨", "create": "建立案件", "resolved": "已解決",
              "loading": "正在載入客戶紀錄…"},
    "en-US": {"user": "Username", "password": "Password", "sign_in": "Sign in", "ringing": "Ringing",
              "talking": "On call", "wrap_up": "Wrap-up", "subject": "Ticket subject", "create": "Create ticket",
              "resolved": "Resolved", "loading": "Loading the customer's history…"},
}  # fmt: skip


async def _prepare(url: str) -> tuple[str, str]:
    engine = create_engine(DatabaseSettings(url=url))
    async with create_session_factory(engine)() as session, session.begin():
        await auth_service.add_user(session, "alice", "agent", display_name="Alice", extension="1001",
                                    password="alice-pass")  # fmt: skip
        await auth_service.add_user(session, "root", "admin", password="root-pass-123")
        await auth_service.add_user(session, "bridge", "pbx")
        token = await auth_service.create_token(session, "bridge")
        admin_token = await auth_service.create_token(session, "root")
        await customer_service.create(session, schemas.CustomerCreate(name="林美華", phones=["0912-345-678"]))
        await articles.create(session, articles.ArticleWrite(
            title="冷氣不冷怎麼辦", body="請先清洗濾網，確認室外機運轉。", external_id="KB-AC-1", tags=["冷氣"],
        ), None)  # fmt: skip
        extended = {"code": "EXT-WARRANTY", "title": "延長保固三年", "product_model": "SVC-EXT3"}
        await offer_service.create(session, msgspec.convert(extended, offer_service.OfferIn))
    await engine.dispose()
    return token, admin_token


def _api(base: str, token: str, path: str) -> Any:
    request = urllib.request.Request(f"{base}{path}", headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def _sign_in(page: Page, base: str, texts: dict[str, str]) -> None:
    page.goto(f"{base}/login")
    page.get_by_label(texts["user"]).fill("alice")
    page.get_by_label(texts["password"]).fill("alice-pass")
    page.get_by_role("button", name=texts["sign_in"]).click()
    expect(page).to_have_url(re.compile(r"/desk/tickets$"))  # an agent's home: their tickets
    expect(page.get_by_test_id("ws-status")).to_have_attribute("data-state", "connected")


@pytest.mark.parametrize("locale", ["zh-TW", "en-US"])
def test_an_agents_whole_call(page: Page, live_server: str, db_url: str, locale: str) -> None:
    texts = TEXTS[locale]
    page.goto(f"{live_server}/lang/{'zh-Hant' if locale == 'zh-TW' else 'en'}")  # the language switch
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    token, admin_token = run_in_thread(_prepare(db_url))
    telephony = Telephony(live_server, token)
    try:
        _sign_in(page, live_server, texts)
        bar = page.get_by_test_id("call-bar")
        expect(bar).to_be_hidden()

        telephony.simulator.hold_before("AgentConnect")  # the phone keeps ringing while we look
        telephony.run(telephony.simulator.place_call("answered", "0912345678", agents=("1001",)))
        expect(bar.get_by_test_id("pop-customer-name")).to_have_text("林美華", timeout=15_000)
        expect(bar.get_by_test_id("call-state")).to_have_text(texts["ringing"])
        drawer = page.get_by_test_id("screen-pop")
        expect(drawer.get_by_test_id("pop-customer")).to_have_text("林美華")

        telephony.simulator.hold_before("HangupRequest")  # answered; the call stays up while the agent works
        expect(bar.get_by_test_id("call-state")).to_have_text(texts["talking"], timeout=15_000)
        expect(bar.get_by_test_id("call-timer")).to_have_text(re.compile(r"0:0[0-9]"))

        drawer.get_by_test_id("pop-customer").click()  # open the customer: the bar stays, the call with it
        expect(page.get_by_test_id("profile")).to_contain_text("0912 345 678")
        expect(page.get_by_test_id("call-bar").get_by_test_id("call-state")).to_have_text(texts["talking"])

        drawer = page.get_by_test_id("screen-pop")
        expect(drawer).to_be_hidden()  # a call already seen does not cover the next page
        page.get_by_test_id("call-bar").get_by_test_id("show-customer").click()
        expect(drawer).to_be_visible()
        drawer.get_by_label(texts["subject"]).fill("冷氣不冷")
        drawer.get_by_role("button", name=texts["create"]).click()
        expect(page).to_have_url(re.compile(r"/desk/tickets/\d+$"))
        ticket_id = int(page.url.rsplit("/", 1)[1])

        page.get_by_test_id("reply-box").fill("您好，我們已收到您的報修，稍後安排技師。")
        page.get_by_test_id("reply-send").click()
        expect(page.get_by_test_id("message")).to_have_count(1)
        expect(page.get_by_test_id("message").first).to_have_attribute("data-kind", "reply")

        page.get_by_test_id("reply-internal").check()
        page.get_by_test_id("reply-box").fill("客戶希望下午到府")
        page.get_by_test_id("reply-box").press("Control+Enter")  # the composer's key
        expect(page.get_by_test_id("message")).to_have_count(2)
        expect(page.get_by_test_id("message").nth(1)).to_have_attribute("data-kind", "note")

        expect(
            page.get_by_test_id("reply-internal")
        ).to_be_checked()  # the mode stays: a note never goes out by mistake
        page.get_by_test_id("reply-public").check()
        page.get_by_test_id("kb-insert").first.click()
        expect(page.get_by_test_id("reply-box")).to_have_value(re.compile("請先清洗濾網"))
        page.get_by_test_id("reply-send").click()
        expect(page.get_by_test_id("message")).to_have_count(3)

        offer = page.get_by_test_id("offers").get_by_test_id("offer").first
        offer.locator("[data-answer=accept]").click()
        expect(offer.get_by_test_id("offer-answered")).to_be_visible()

        page.get_by_test_id("status-select").select_option("resolved")
        page.get_by_test_id("properties-save").click()
        expect(page.get_by_test_id("ticket-status")).to_have_attribute("data-status", "resolved")
        expect(page.get_by_test_id("ticket-status")).to_have_text(texts["resolved"])

        telephony.simulator.release()  # the caller hangs up
        call_bar = page.get_by_test_id("call-bar")
        expect(call_bar.get_by_test_id("call-state")).to_have_text(texts["wrap_up"], timeout=15_000)
        call_bar.get_by_test_id("wrapup-disposition").select_option("resolved")
        call_bar.get_by_placeholder(re.compile("備註|note")).fill("已安排技師")
        call_bar.get_by_test_id("wrapup-save").click()
        expect(call_bar).to_be_hidden()
        assert errors == []

        ticket = _api(live_server, admin_token, f"/api/tickets/{ticket_id}")
        assert ticket["status"] == "resolved" and ticket["first_response_at"] is not None
        kinds = [m["visibility"] for m in _api(live_server, admin_token, f"/api/tickets/{ticket_id}/messages")]
        assert kinds == ["public", "internal", "public", "internal"]  # the last: the wrap-up, on the ticket
        messages = _api(live_server, admin_token, f"/api/tickets/{ticket_id}/messages")
        assert "請先清洗濾網" in messages[2]["body"] and "已安排技師" in messages[3]["body"]
        (call,) = _api(live_server, admin_token, "/api/calls")["items"]
        assert call["ticket_id"] == ticket_id and call["wrap_up"]["disposition"] == "resolved"
        contacts = _api(live_server, admin_token, f"/api/customers/{ticket['customer_id']}/history")["interactions"]
        assert any("已安排技師" in (c["summary"] or "") for c in contacts)
        (report,) = _api(live_server, admin_token, "/api/offers/report")
        assert (report["code"], report["accepted"], report["answered"]) == ("EXT-WARRANTY", 1, 1)
    finally:
        telephony.close()


def test_the_first_pop_frame_alone_names_the_caller(page: Page, live_server: str, db_url: str) -> None:
    """Only the first frame reaches the page (the complete one is dropped on the way): the bar and the
    drawer name the caller and say the history is coming; nothing throws."""
    texts = TEXTS["zh-TW"]
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))

    def first_frames_only(ws: Any) -> None:
        server = ws.connect_to_server()
        server.on_message(lambda m: None if '"complete":true' in str(m) else ws.send(m))

    page.route_web_socket(re.compile(r"/ws/agent"), first_frames_only)
    token, _ = run_in_thread(_prepare(db_url))
    telephony = Telephony(live_server, token)
    try:
        _sign_in(page, live_server, texts)
        telephony.simulator.hold_before("AgentConnect")
        telephony.run(telephony.simulator.place_call("answered", "0912345678", agents=("1001",)))
        bar = page.get_by_test_id("call-bar")
        expect(bar.get_by_test_id("pop-customer-name")).to_have_text("林美華", timeout=15_000)
        drawer = page.get_by_test_id("screen-pop")
        expect(drawer.get_by_test_id("pop-customer")).to_have_text("林美華")
        expect(drawer).to_contain_text(texts["loading"])
        expect(drawer).to_have_attribute("data-complete", "0")
        assert errors == []
        telephony.simulator.release()
    finally:
        telephony.close()
