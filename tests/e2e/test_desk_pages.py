"""An agent signs in, finds a caller by phone number and reads their history, in Chinese and English."""

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

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("backend", ["sqlite"], indirect=True)]


async def _prepare(url: str) -> None:
    engine = create_engine(DatabaseSettings(url=url))
    async with create_session_factory(engine)() as session, session.begin():
        await auth_service.add_user(
            session, "alice", "agent", display_name="陳怡君", extension="1001", password="alice-pass"
        )
        await customer_service.create(
            session,
            schemas.CustomerCreate(name="林美華", phones=["0912-345-678"], city="台中市", taboos="勿於上班時間來電"),
        )
    await engine.dispose()


def test_agent_signs_in_and_finds_a_customer_by_phone(page: Page, live_server: str, db_url: str) -> None:
    run_in_thread(_prepare(db_url))
    page.goto(f"{live_server}/desk")
    expect(page).to_have_url(re.compile(r"/login\?next=/desk"))
    page.get_by_label("帳號").fill("alice")
    page.get_by_label("密碼").fill("wrong-password")
    page.get_by_role("button", name="登入").click()
    expect(page.get_by_role("alert")).to_contain_text("帳號或密碼錯誤")

    page.get_by_label("帳號").fill("alice")
    page.get_by_label("密碼").fill("alice-pass")
    page.get_by_role("button", name="登入").click()
    expect(page).to_have_url(re.compile(r"/desk$"))
    expect(page.get_by_test_id("who")).to_contain_text("陳怡君")

    page.get_by_role("textbox", name="搜尋客戶").fill("+886 912 345 678")
    page.get_by_role("button", name="搜尋").click()
    page.get_by_role("link", name="林美華").click()
    expect(page.get_by_test_id("profile")).to_contain_text("0912 345 678")
    expect(page.get_by_test_id("profile")).to_contain_text("勿於上班時間來電")
    expect(page.get_by_text("沒有處理中的案件。")).to_be_visible()

    page.get_by_role("link", name="English").click()
    expect(page.get_by_text("No open tickets.")).to_be_visible()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/login"))
    page.goto(f"{live_server}/desk")
    expect(page).to_have_url(re.compile(r"/login"))


async def _with_task(url: str) -> None:
    import datetime as dt

    from contact_center.models import Task

    engine = create_engine(DatabaseSettings(url=url))
    async with create_session_factory(engine)() as session, session.begin():
        alice = await auth_service.add_user(
            session, "alice", "agent", display_name="陳怡君", extension="1001", password="alice-pass"
        )
        customer = await customer_service.create(
            session, schemas.CustomerCreate(name="林美華", phones=["0912-345-678"])
        )
        session.add(Task(kind="renewal", owner_id=alice.id, customer_id=customer.id, title="續約提醒：冷氣保固將到期",
                         due_at=dt.datetime.now(dt.UTC)))  # fmt: skip
    await engine.dispose()


def test_the_worklist_shows_call_backs_and_records_outcomes(page: Page, live_server: str, db_url: str) -> None:
    run_in_thread(_with_task(db_url))
    page.goto(f"{live_server}/login?next=/desk")
    page.get_by_label("帳號").fill("alice")
    page.get_by_label("密碼").fill("alice-pass")
    page.get_by_role("button", name="登入").click()
    worklist = page.get_by_test_id("worklist")
    expect(worklist).to_contain_text("續約提醒：冷氣保固將到期")
    # The rows are rendered by the server; the buttons act once desk.js runs (its socket then connects).
    expect(page.get_by_test_id("ws-status")).to_have_attribute("data-state", "connected")
    expect(worklist.get_by_role("button", name="0912 345 678")).to_be_visible()  # click-to-dial from the worklist
    worklist.get_by_role("button", name="已聯絡").click()
    expect(worklist.locator("tr[data-task]")).to_have_count(0)
    page.reload()
    expect(page.get_by_test_id("worklist")).to_contain_text("目前沒有待辦事項")
