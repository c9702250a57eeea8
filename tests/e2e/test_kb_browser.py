"""An agent types what the caller says into a new ticket: answers appear and change as they type,
votes are taken, the ticket is created; the customer's open tickets bring their own answers."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import Page, expect

from contact_center.auth import service as auth_service
from contact_center.customers import schemas
from contact_center.customers import service as customer_service
from contact_center.db.session import create_engine, create_session_factory
from contact_center.models import Asset, KbArticle, KbFeedback, Offer, OfferResponse, Ticket
from contact_center.settings import DatabaseSettings
from tests.builders import run_in_thread

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("backend", ["sqlite"], indirect=True)]

ARTICLES = [
    (
        "KB-LEAK",
        "冷氣室內機滴水",
        "排水管堵塞或機身不水平會讓室內機滴水、漏水，請清理排水管並確認安裝水平。",
        ["冷氣", "漏水"],
    ),
    (
        "KB-INVOICE",
        "電子發票查詢與列印",
        "電子發票寄到您的電子信箱，也可在會員中心查詢、列印或歸戶到手機載具。",
        ["發票"],
    ),
    ("KB-HEATER", "熱水器點不著火", "瓦斯熱水器點不著，請確認瓦斯開關、電池電力與排氣是否順暢。", ["熱水器"]),
]


async def _prepare(url: str) -> int:
    engine = create_engine(DatabaseSettings(url=url))
    async with create_session_factory(engine)() as session, session.begin():
        await auth_service.add_user(session, "alice", "agent", display_name="陳怡君", extension="1001",
                                    password="alice-pass")  # fmt: skip
        customer = await customer_service.create(session, schemas.CustomerCreate(name="林美華", phones=["0912345678"]))
        for external_id, title, body, tags in ARTICLES:
            session.add(KbArticle(external_id=external_id, title=title, body=body, lang="zh-Hant", tags=tags,
                                  public=True, status="published", helpful=0, not_helpful=0))  # fmt: skip
        session.add(Ticket(customer_id=customer.id, kind="repair", subject="熱水器一直點不著", description="",
                           status="open", extra={}, sla_pauses=[], escalation_level=0))  # fmt: skip
        warranty_end = dt.datetime.now(dt.timezone(dt.timedelta(hours=8))).date() + dt.timedelta(
            days=12
        )  # the app counts days in Taipei
        session.add(Asset(customer_id=customer.id, product_model="RAC-22", warranty_until=warranty_end, extra={}))
        session.add(Offer(code="EXT-2Y", title="延長保固兩年", product_model="EXT-2Y", description="",
                          rules={"owns": ["RAC"], "warranty_ends_within_days": 30}, active=True))  # fmt: skip
        customer_id = customer.id
    await engine.dispose()
    return customer_id


async def _answers(url: str) -> list[str]:
    from sqlalchemy import select

    engine = create_engine(DatabaseSettings(url=url))
    async with create_session_factory(engine)() as session:
        answers = list((await session.execute(select(OfferResponse.response))).scalars())
    await engine.dispose()
    return answers


async def _votes(url: str) -> list[bool]:
    from sqlalchemy import select

    engine = create_engine(DatabaseSettings(url=url))
    async with create_session_factory(engine)() as session:
        votes = list((await session.execute(select(KbFeedback.helpful))).scalars())
    await engine.dispose()
    return votes


def test_suggestions_follow_what_the_agent_types(page: Page, live_server: str, db_url: str) -> None:
    customer_id = run_in_thread(_prepare(db_url))
    page.goto(f"{live_server}/login")
    page.get_by_label("帳號").fill("alice")
    page.get_by_label("密碼").fill("alice-pass")
    page.get_by_role("button", name="登入").click()
    page.goto(f"{live_server}/desk/customers/{customer_id}")

    # The open ticket about the water heater brings its answer before anyone types.
    expect(page.get_by_test_id("kb-context").get_by_test_id("kb-suggestion").first).to_contain_text("熱水器點不著火")

    # The offer that fits (warranty ending soon) shows with its reason; the customer's answer is recorded.
    offer = page.get_by_test_id("offers").get_by_test_id("offer")
    expect(offer).to_contain_text("延長保固兩年")
    expect(offer).to_contain_text("12")
    offer.get_by_role("button", name="接受").click()
    expect(page.get_by_test_id("offer-answered")).to_be_visible()
    assert run_in_thread(_answers(db_url)) == ["accept"]

    live = page.get_by_test_id("kb-live")
    page.get_by_test_id("ticket-subject").press_sequentially("冷氣一直漏水", delay=30)
    expect(live.get_by_test_id("kb-suggestion").first).to_contain_text("冷氣室內機滴水")
    expect(live.locator("mark").first).to_be_visible()
    page.get_by_test_id("ticket-subject").fill("")
    page.get_by_test_id("ticket-description").press_sequentially("客戶要補印電子發票", delay=30)
    expect(live.get_by_test_id("kb-suggestion").first).to_contain_text("電子發票查詢與列印")

    live.get_by_test_id("kb-suggestion").first.get_by_role("button", name="有幫助").click()
    expect(live.get_by_test_id("kb-voted")).to_be_visible()
    assert run_in_thread(_votes(db_url)) == [True]

    page.get_by_test_id("ticket-subject").fill("補印發票")
    page.get_by_role("button", name="建立案件").click()
    expect(page.get_by_test_id("ticket-created")).to_have_text(re.compile(r"#\d+"))
