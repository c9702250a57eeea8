"""A supervisor keeps the knowledge base and the offer catalogue: writes, publishes and edits an article
(with its history and a search test), sees the API's complaints next to the fields, sets up offers and
reads their conversion; synonyms in English; agents are kept out."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from contact_center.auth import service as auth_service
from contact_center.customers import schemas
from contact_center.customers import service as customer_service
from contact_center.db.session import create_engine, create_session_factory
from contact_center.models import KbArticle, Offer, OfferResponse
from contact_center.settings import DatabaseSettings
from tests.builders import run_in_thread

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("backend", ["sqlite"], indirect=True)]

PASSWORD = "admin-pages-pass"
SEARCH_TIMEOUT = 30_000  # the first search builds the index (tokenisers load): seconds, once per server


async def _users(url: str) -> None:
    """A supervisor (mei), an agent (alice), and another article the test article must out-rank."""
    engine = create_engine(DatabaseSettings(url=url))
    async with create_session_factory(engine)() as session, session.begin():
        await auth_service.add_user(session, "mei", "supervisor", display_name="王美玲", password=PASSWORD)
        await auth_service.add_user(session, "alice", "agent", display_name="陳怡君", extension="1001",
                                    password=PASSWORD)  # fmt: skip
        session.add(KbArticle(external_id="KB-INVOICE", title="電子發票查詢與列印", lang="zh-Hant", tags=["發票"],
                              body="電子發票寄到您的電子信箱，也可在會員中心查詢、列印。", public=True,
                              status="published", helpful=0, not_helpful=0))  # fmt: skip
    await engine.dispose()


async def _answer(url: str, code: str, response: str) -> None:
    """One customer's answer to the offer `code`, as an agent would have recorded it."""
    engine = create_engine(DatabaseSettings(url=url))
    async with create_session_factory(engine)() as session, session.begin():
        customer = await customer_service.create(session, schemas.CustomerCreate(name="林美華", phones=["0912345678"]))
        offer_id = (await session.execute(select(Offer.id).where(Offer.code == code))).scalar_one()
        session.add(OfferResponse(offer_id=offer_id, customer_id=customer.id, response=response, note=""))
    await engine.dispose()


def _sign_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/login")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("button[type=submit]").click()
    expect(page).not_to_have_url(re.compile(r"/login"))  # each role lands on its own home


@pytest.fixture
def english(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(locale="en-US")
    yield context.new_page()
    context.close()


def test_a_supervisor_writes_publishes_and_edits_an_article(page: Page, live_server: str, db_url: str) -> None:
    run_in_thread(_users(db_url))
    _sign_in(page, live_server, "mei")
    page.get_by_role("link", name="知識庫").click()
    expect(page.get_by_test_id("articles")).to_contain_text("電子發票查詢與列印")

    page.get_by_role("link", name="新增文章").click()
    page.get_by_label("標題").fill("冷氣遙控器沒反應")
    page.get_by_label("內文").fill("請更換兩顆四號電池，並對準室內機的接收窗再按一次。")
    page.get_by_label("標籤").fill("冷氣，遙控器")  # a full-width comma, as Chinese keyboards type it
    page.get_by_label("產品").fill("RAC-22")
    page.get_by_role("button", name="儲存").click()  # a draft by default
    expect(page).to_have_url(re.compile(r"/admin/kb/\d+\?saved=true$"))
    expect(page.get_by_test_id("article-status")).to_have_text("草稿")
    expect(page.get_by_label("標籤")).to_have_value("冷氣, 遙控器")

    tester = page.get_by_test_id("article-test")
    tester.get_by_role("textbox").fill("遙控器按了沒反應")
    tester.get_by_role("button", name="測試").click()
    expect(page.get_by_test_id("test-result")).to_contain_text("草稿不會出現在建議解答中")

    page.get_by_role("radio", name="已發布").check()
    page.get_by_role("button", name="儲存").click()
    expect(page.get_by_test_id("article-status")).to_have_text("已發布")
    page.get_by_label("標題").fill("冷氣遙控器沒有反應怎麼辦")
    page.get_by_role("button", name="儲存").click()
    expect(page.get_by_test_id("article-heading")).to_have_text("冷氣遙控器沒有反應怎麼辦")
    expect(page.get_by_test_id("saved")).to_be_visible()

    # Newest first: the title edit (with the old title), the publication, the creation; each by mei.
    history = page.get_by_test_id("history").get_by_test_id("revision")
    expect(history).to_have_count(3)
    expect(history.first).to_contain_text("冷氣遙控器沒反應")
    expect(history.first).to_contain_text("王美玲")
    expect(history.first.locator(".changes")).to_have_text("變更： 標題")
    expect(history.nth(1).locator(".changes")).to_have_text("變更： 狀態")
    expect(history.nth(2)).to_contain_text("建立文章")
    history.first.get_by_text("顯示先前的版本").click()
    expect(history.first.locator(".old-body")).to_contain_text("請更換兩顆四號電池")

    tester.get_by_role("button", name="測試").click()
    expect(page.get_by_test_id("test-rank")).to_contain_text("排第 1 名", timeout=SEARCH_TIMEOUT)
    expect(page.get_by_test_id("test-result").locator("li.this")).to_contain_text("冷氣遙控器沒有反應怎麼辦")

    # The API refuses an empty body; its message, in the page's language, shows next to the body (found
    # by the error's `field`) and in the summary.
    page.get_by_label("內文").fill("   ")
    page.get_by_role("button", name="儲存").click()
    expect(page.locator("[data-problem-for=body]")).to_have_text("內文須為 1–100000 個字")
    expect(page.get_by_role("alert")).to_contain_text("內文須為 1–100000 個字")
    expect(page.get_by_label("內文")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_test_id("history").get_by_test_id("revision")).to_have_count(3)  # nothing was saved

    page.get_by_role("link", name="所有文章").click()
    page.get_by_label("狀態").select_option("draft")
    page.get_by_role("button", name="搜尋").click()
    expect(page.get_by_test_id("articles-empty")).to_contain_text("沒有符合條件的文章")
    page.get_by_label("狀態").select_option("published")
    page.get_by_role("searchbox").fill("遙控器")
    page.get_by_role("button", name="搜尋").click()
    expect(page.get_by_test_id("articles").locator("tbody tr")).to_have_count(1)
    expect(page.get_by_test_id("articles")).to_contain_text("冷氣遙控器沒有反應怎麼辦")

    missing = page.goto(f"{live_server}/admin/kb/999999")
    assert missing is not None and missing.status == 404
    expect(page.get_by_text("此項目不存在，或已被刪除。")).to_be_visible()


def test_a_supervisor_sets_up_offers_and_reads_their_conversion(page: Page, live_server: str, db_url: str) -> None:
    run_in_thread(_users(db_url))
    _sign_in(page, live_server, "mei")
    page.get_by_role("link", name="推薦方案").click()
    expect(page.get_by_test_id("offers-empty")).to_be_visible()

    page.get_by_role("link", name="新增推薦方案").click()
    page.get_by_label("代碼").fill("EXT-2Y")
    page.get_by_label("標題").fill("延長保固兩年")
    page.get_by_label("推薦產品").fill("EXT-2Y")
    page.get_by_label("擁有型號開頭為下列的產品", exact=True).fill("RAC")
    page.get_by_label("保固於幾天內到期").fill("30")
    page.get_by_role("checkbox", name="VIP").check()
    page.get_by_role("checkbox", name="金級").check()
    page.get_by_role("button", name="儲存").click()
    expect(page.get_by_test_id("saved")).to_contain_text("EXT-2Y")

    row = page.get_by_test_id("catalogue").locator("tr[data-offer='EXT-2Y']")
    expect(row).to_contain_text("擁有 RAC")
    expect(row).to_contain_text("保固 30 天內到期")
    expect(row).to_contain_text("等級：VIP、金級")
    expect(row).to_contain_text("上架中")
    expect(row.get_by_test_id("shown")).to_have_text("0")
    expect(row.get_by_test_id("answered")).to_have_text("0")
    expect(row.get_by_test_id("conversion")).to_have_text("—")

    run_in_thread(_answer(db_url, "EXT-2Y", "accept"))
    run_in_thread(_answer(db_url, "EXT-2Y", "later"))
    page.reload()
    expect(row.get_by_test_id("answered")).to_have_text("2")  # answers recorded without a showing count too
    expect(row.get_by_test_id("accepted")).to_have_text("1")
    expect(row.get_by_test_id("later")).to_have_text("1")
    expect(row.get_by_test_id("conversion")).to_have_text("50%")

    # The form opens with the saved rules; the code cannot change.
    row.get_by_role("link", name="EXT-2Y").click()
    expect(page.get_by_label("代碼")).to_have_attribute("readonly", "")
    expect(page.get_by_label("擁有型號開頭為下列的產品", exact=True)).to_have_value("RAC")
    expect(page.get_by_label("保固於幾天內到期")).to_have_value("30")
    expect(page.get_by_role("checkbox", name="VIP")).to_be_checked()
    expect(page.get_by_role("checkbox", name="一般")).not_to_be_checked()

    # Every problem the API finds is listed, and each one shows by its field.
    page.goto(f"{live_server}/admin/offers/new")
    page.get_by_label("代碼").fill("AC-NEW")
    page.get_by_label("標題").fill("冷氣換新機")
    page.get_by_label("推薦產品").fill("RAC-40")
    page.get_by_label("報修至少").fill("1.5")  # refused by the API's decoder (400), before its rules (422)
    page.get_by_role("button", name="儲存").click()
    expect(page.locator("[data-problem-for=min_repairs]")).to_contain_text("got `float`")
    page.get_by_label("報修至少").fill("")
    page.get_by_label("產品使用至少").fill("8")
    page.get_by_label("產品使用至多").fill("3")
    page.get_by_label("報修計算期間").fill("0")
    page.get_by_role("button", name="儲存").click()
    problems = page.get_by_test_id("problems")
    expect(problems).to_contain_text("min_asset_age_years: 8 is more than max_asset_age_years (3)")
    expect(problems).to_contain_text("repairs_within_months: must be between 1 and 600")
    expect(page.locator("[data-problem-for=min_asset_age_years]")).to_contain_text("8 is more than")
    expect(page.locator("[data-problem-for=repairs_within_months]")).to_be_visible()
    expect(page.locator("[data-problem-for=min_repairs]")).to_be_hidden()
    expect(page).to_have_url(f"{live_server}/admin/offers/new")
    page.goto(f"{live_server}/admin/offers")
    expect(page.get_by_test_id("catalogue").locator("tbody tr")).to_have_count(1)


def test_agents_cannot_open_the_admin_pages(page: Page, live_server: str, db_url: str) -> None:
    run_in_thread(_users(db_url))
    page.goto(f"{live_server}/admin/kb")
    expect(page).to_have_url(re.compile(r"/login\?next=/admin/kb$"))

    _sign_in(page, live_server, "alice")
    expect(page.get_by_role("link", name="知識庫")).to_have_count(0)
    expect(page.get_by_role("link", name="推薦方案")).to_have_count(0)
    for path in ("/admin/kb", "/admin/kb/new", "/admin/kb/synonyms", "/admin/offers", "/admin/offers/new"):
        response = page.goto(f"{live_server}{path}")
        assert response is not None and response.status == 403, path
        expect(page.get_by_test_id("forbidden")).to_contain_text("您的角色無法開啟此頁面")


def test_synonyms_in_english(english: Page, live_server: str, db_url: str) -> None:
    page = english
    run_in_thread(_users(db_url))
    _sign_in(page, live_server, "mei")
    page.get_by_role("link", name="Knowledge base").click()
    page.get_by_role("link", name="Synonyms").click()
    expect(page.get_by_test_id("synonyms-empty")).to_contain_text("No groups of your own yet")

    words = page.get_by_role("textbox", name="Words that mean the same")
    words.fill("洗衣機")
    page.get_by_role("button", name="Add group").click()
    expect(page.get_by_role("alert")).to_contain_text("at least two different words")
    words.fill("洗衣機, 洗衣机，washer, washer")
    page.get_by_role("button", name="Add group").click()
    group = page.get_by_test_id("synonym-groups").locator("li")
    expect(group).to_have_count(1)
    expect(group.locator(".tag")).to_have_text(["洗衣機", "洗衣机", "washer"])  # trimmed, without repeats

    page.once("dialog", lambda dialog: dialog.accept())
    group.get_by_role("button", name="Delete").click()
    expect(group).to_have_count(0)
    page.reload()
    expect(page.get_by_test_id("synonyms-empty")).to_be_visible()
