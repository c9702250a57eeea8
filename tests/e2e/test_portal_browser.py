"""A customer on the self-service portal: registers, finds articles, opens a ticket about their product
(with suggestions while typing), replies, rates the service on the ticket and by a signed link, in
Chinese and English; and reaches nothing that is not theirs."""

from __future__ import annotations

import json
import re
import urllib.request
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from contact_center.auth import service as auth_service
from contact_center.db.session import create_engine, create_session_factory
from contact_center.models import Asset, Customer, CustomerPhone, KbArticle
from contact_center.settings import DatabaseSettings
from contact_center.tickets import schemas as ts
from contact_center.tickets import service as ticket_service
from tests.builders import bearer, make_user, run_in_thread

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("backend", ["sqlite"], indirect=True)]

PASSWORD = "portal-pass-1234"
ARTICLES = [
    ("KB-AC-1", "冷氣不冷怎麼辦", "請先清洗濾網，並確認遙控器設定為冷氣模式、溫度低於室溫。", True),
    ("KB-AC-2", "遙控器沒有反應", "請更換兩顆四號電池，並對準室內機的接收窗。", True),
    ("KB-IN-1", "冷氣不冷：技師內部檢修步驟", "量測冷媒壓力（內部資料）。", False),
]


async def _seed(url: str, *, account: bool) -> dict[str, int]:
    """A customer (number C-1001, phone 0912-345-678) owning an air conditioner, the help articles,
    and with `account` a portal account `ming` and an open ticket about the air conditioner."""
    engine = create_engine(DatabaseSettings(url=url))
    async with create_session_factory(engine)() as session, session.begin():
        for external_id, title, body, public in ARTICLES:
            session.add(KbArticle(external_id=external_id, title=title, body=body, public=public, tags=["冷氣"]))
        customer = Customer(name="王小明", external_id="C-1001", value_tier="standard", emails=[], important_dates=[],
                            extra={})  # fmt: skip
        customer.phones = [CustomerPhone(e164="+886912345678", raw="0912-345-678", label="mobile")]
        session.add(customer)
        await session.flush()
        asset = Asset(customer_id=customer.id, product_model="RAC-22", product_name="分離式冷氣", serial="SN-7788",
                      extra={})  # fmt: skip
        session.add(asset)
        await session.flush()
        ids = {"customer": customer.id, "asset": asset.id}
        if account:
            await auth_service.add_user(session, "ming", "customer", display_name="王小明", password=PASSWORD,
                                        customer_id=customer.id)  # fmt: skip
            about = ts.TicketCreate(kind="repair", subject="冷氣運轉有異音", description="晚上開機後有喀喀聲。",
                                    customer_id=customer.id, asset_id=asset.id, channel="web")  # fmt: skip
            ticket = await ticket_service.create(session, about, None)
            ids["ticket"] = ticket.id
    await engine.dispose()
    return ids


async def _staff_token(url: str, role: str, **kwargs: Any) -> str:
    engine = create_engine(DatabaseSettings(url=url))
    _, token = await make_user(create_session_factory(engine), role, **kwargs)
    await engine.dispose()
    return token


def _call(base: str, method: str, path: str, token: str, body: dict[str, Any] | None = None) -> Any:
    request = urllib.request.Request(
        f"{base}{path}",
        method=method,
        data=json.dumps(body).encode() if body is not None else None,
        headers={**bearer(token), "content-type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read() or b"null")


def _sign_in(page: Page, base: str, next_path: str = "/portal") -> None:
    page.goto(f"{base}{next_path}")
    expect(page).to_have_url(re.compile(r"/portal/login\?next="))
    page.get_by_label("帳號").fill("ming")
    page.get_by_label("密碼").fill(PASSWORD)
    page.get_by_role("button", name="登入").click()
    expect(page).to_have_url(f"{base}{next_path}")


def test_a_customer_registers_finds_an_article_and_opens_a_ticket_about_their_product(
    page: Page, live_server: str, db_url: str
) -> None:
    run_in_thread(_seed(db_url, account=False))
    page.goto(f"{live_server}/portal")
    page.get_by_role("link", name="註冊").first.click()
    page.get_by_label("姓名").fill("王小明")
    page.get_by_label("手機或電話號碼").fill("12")
    page.get_by_label("帳號").fill("ming")
    page.get_by_label(re.compile("^密碼")).fill(PASSWORD)
    page.get_by_label("再次輸入密碼").fill(PASSWORD)
    page.get_by_label("案件編號或客戶編號").fill("C-1001")
    page.get_by_role("button", name="建立帳號").click()
    expect(page.get_by_role("alert")).to_contain_text("電話號碼格式不正確")  # the API's reason, in the page's language
    page.get_by_label("手機或電話號碼").fill("0912-345-678")
    page.get_by_role("button", name="建立帳號").click()
    expect(page.get_by_test_id("who")).to_have_text("王小明")

    page.get_by_role("searchbox", name="搜尋常見問題").fill("冷氣不冷")
    page.get_by_role("button", name="搜尋").click()
    results = page.get_by_test_id("article-results")
    expect(results.get_by_role("link", name="冷氣不冷怎麼辦")).to_be_visible()
    expect(results).not_to_contain_text("技師內部")  # internal articles never reach customers
    results.get_by_role("link", name="冷氣不冷怎麼辦").click()
    expect(page.get_by_test_id("article")).to_contain_text("請先清洗濾網")

    page.goto(f"{live_server}/portal")
    page.get_by_test_id("my-tickets").get_by_role("link", name="提出案件").click()
    page.get_by_label("產品").select_option(label="分離式冷氣 (RAC-22) · SN-7788")  # linked by the customer number
    page.get_by_label("問題類型").select_option(label="維修")
    page.get_by_label("主旨").fill("冷氣不冷")
    suggestions = page.get_by_test_id("suggestions")
    expect(suggestions).to_contain_text("這些文章也許能解答您的問題")
    expect(suggestions.get_by_role("link", name="冷氣不冷怎麼辦")).to_be_visible()
    page.get_by_label("問題描述").fill("清過濾網了還是不冷，出風是熱的。")
    page.get_by_role("button", name="送出案件").click()
    ticket = page.get_by_test_id("ticket")
    expect(ticket).to_contain_text("冷氣不冷")
    expect(ticket).to_contain_text("已受理")
    expect(ticket).to_contain_text("RAC-22")

    page.get_by_role("link", name="我的案件").first.click()
    expect(page.get_by_test_id("my-tickets").get_by_role("link", name="冷氣不冷")).to_be_visible()


def test_a_customer_replies_and_rates_a_resolved_ticket(page: Page, live_server: str, db_url: str) -> None:
    ids = run_in_thread(_seed(db_url, account=True))
    agent = run_in_thread(_staff_token(db_url, "admin"))
    _call(live_server, "POST", f"/api/tickets/{ids['ticket']}/messages", agent, {"body": "明天下午派技師到府檢查。"})
    _sign_in(page, live_server, f"/portal/tickets/{ids['ticket']}")
    conversation = page.get_by_test_id("conversation")
    expect(conversation).to_contain_text("明天下午派技師到府檢查。")
    expect(page.get_by_test_id("rating")).to_have_count(0)  # nothing to rate while it is being handled
    page.get_by_label("您的回覆").fill("好的，我下午在家。")
    page.get_by_role("button", name="送出回覆").click()
    expect(conversation).to_contain_text("好的，我下午在家。")

    _call(live_server, "PATCH", f"/api/tickets/{ids['ticket']}", agent, {"status": "resolved"})
    page.reload()
    expect(page.get_by_test_id("ticket-status")).to_have_text("已解決")
    rating = page.get_by_test_id("rating")
    rating.get_by_role("radio", name="4 顆星").check()
    rating.get_by_label("意見").fill("技師很準時")
    rating.get_by_role("button", name="送出評分").click()
    expect(page.get_by_test_id("rated")).to_contain_text("感謝您的寶貴意見")
    expect(page.get_by_role("img", name="4 顆星")).to_be_visible()
    expect(page.get_by_role("radio")).to_have_count(0)  # rated once


def test_a_signed_rating_link_works_without_signing_in(browser: Browser, live_server: str, db_url: str) -> None:
    ids = run_in_thread(_seed(db_url, account=True))
    agent = run_in_thread(_staff_token(db_url, "agent"))
    _call(live_server, "PATCH", f"/api/tickets/{ids['ticket']}", agent, {"status": "resolved"})
    token = _call(live_server, "POST", f"/api/tickets/{ids['ticket']}/csat-link", agent)["url"].rsplit("/", 1)[1]
    context = browser.new_context(locale="zh-TW")  # a phone that never signed in
    page = context.new_page()
    page.goto(f"{live_server}/portal/csat/{token[:-2]}xx")
    expect(page.get_by_role("alert")).to_contain_text("此評分連結無效或已過期")

    page.goto(f"{live_server}/portal/csat/{token}")
    expect(page.get_by_text("冷氣運轉有異音")).to_be_visible()
    page.get_by_role("radio", name="5 顆星").check()
    page.get_by_role("button", name="送出評分").click()
    expect(page.get_by_role("img", name="5 顆星")).to_be_visible()
    page.reload()  # the link rates once
    expect(page.get_by_test_id("rated")).to_be_visible()
    expect(page.get_by_role("radio")).to_have_count(0)
    context.close()


def test_a_customer_reaches_only_their_own_tickets_and_staff_cannot_sign_in_here(
    page: Page, live_server: str, db_url: str
) -> None:
    ids = run_in_thread(_seed(db_url, account=True))
    run_in_thread(_staff_token(db_url, "agent", name="alice", password="alice-pass-1234"))
    page.goto(f"{live_server}/portal/tickets/{ids['ticket']}")
    expect(page).to_have_url(re.compile(r"/portal/login\?next=/portal/tickets/"))
    page.get_by_label("帳號").fill("alice")
    page.get_by_label("密碼").fill("alice-pass-1234")
    page.get_by_role("button", name="登入").click()
    expect(page.get_by_role("alert")).to_contain_text("此處僅供客戶登入")  # a staff session never opens here
    expect(page.get_by_role("button", name="登出")).to_have_count(0)

    page.goto(f"{live_server}/portal/register")
    page.get_by_label("姓名").fill("李小華")
    page.get_by_label("手機或電話號碼").fill("0922-333-444")
    page.get_by_label("帳號").fill("hua")
    page.get_by_label(re.compile("^密碼")).fill(PASSWORD)
    page.get_by_label("再次輸入密碼").fill(PASSWORD)
    page.get_by_role("button", name="建立帳號").click()
    expect(page.get_by_test_id("my-tickets")).to_contain_text("您目前沒有任何案件")
    page.goto(f"{live_server}/portal/tickets/{ids['ticket']}")  # 王小明's ticket
    expect(page.get_by_role("heading", name="找不到頁面")).to_be_visible()
    expect(page.get_by_text("冷氣運轉有異音")).to_have_count(0)


def test_english_pages(page: Page, live_server: str, db_url: str) -> None:
    page.goto(f"{live_server}/portal")
    expect(page.get_by_role("heading", name="有什麼可以幫您？")).to_be_visible()
    page.get_by_role("link", name="English").click()
    expect(page.get_by_role("heading", name="How can we help?")).to_be_visible()
    expect(page.get_by_role("searchbox", name="Search help articles")).to_be_visible()
    page.get_by_role("link", name="Sign in").first.click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    page.get_by_label("Username").fill("nobody")
    page.get_by_label("Password").fill("wrong-password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_have_text("Wrong username or password.")
