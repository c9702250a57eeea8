"""Two agents on one ticket: each sees the other there, sees them typing, and sees their reply arrive
without reloading."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from contact_center.auth import service as auth_service
from contact_center.customers import schemas
from contact_center.customers import service as customer_service
from contact_center.db.session import create_engine, create_session_factory
from contact_center.settings import DatabaseSettings
from contact_center.tickets import service as ticket_service
from contact_center.tickets.schemas import TicketCreate
from tests.builders import run_in_thread

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("backend", ["sqlite"], indirect=True)]


async def _prepare(url: str) -> int:
    engine = create_engine(DatabaseSettings(url=url))
    async with create_session_factory(engine)() as session, session.begin():
        for name, ext in (("alice", "1001"), ("bob", "1002")):
            await auth_service.add_user(session, name, "agent", display_name=name.title(), extension=ext,
                                        password=f"{name}-pass-1")  # fmt: skip
        customer = await customer_service.create(session, schemas.CustomerCreate(name="林美華", phones=["0912345678"]))
        ticket = await ticket_service.create(session, TicketCreate(kind="repair", subject="冷氣漏水",
                                                                   customer_id=customer.id), None)  # fmt: skip
        ticket_id = ticket.id
    await engine.dispose()
    return ticket_id


def _open(browser: Browser, base: str, name: str, ticket_id: int) -> Page:
    page = browser.new_context(locale="zh-TW").new_page()
    page.goto(f"{base}/login?next=/desk/tickets/{ticket_id}")
    page.get_by_label("帳號").fill(name)
    page.get_by_label("密碼").fill(f"{name}-pass-1")
    page.get_by_role("button", name="登入").click()
    expect(page.get_by_test_id("ws-status")).to_have_attribute("data-state", "connected")
    return page


def test_a_second_agent_sees_the_first_on_the_ticket(browser: Browser, live_server: str, db_url: str) -> None:
    ticket_id = run_in_thread(_prepare(db_url))
    alice = _open(browser, live_server, "alice", ticket_id)
    bob = _open(browser, live_server, "bob", ticket_id)
    try:
        expect(bob.get_by_test_id("presence-user")).to_have_text("Alice 也開著這張案件", timeout=10_000)
        expect(alice.get_by_test_id("presence-user")).to_have_text("Bob 也開著這張案件", timeout=10_000)

        bob.get_by_test_id("reply-box").press_sequentially("您好")
        expect(alice.get_by_test_id("presence-user")).to_have_text("Bob 正在輸入…", timeout=10_000)
        bob.get_by_test_id("reply-send").click()
        expect(bob.get_by_test_id("message")).to_have_count(1)
        expect(alice.get_by_test_id("message")).to_have_count(1, timeout=10_000)  # no reload
        expect(alice.get_by_test_id("message")).to_contain_text("您好")

        bob.close()  # leaving says so
        expect(alice.get_by_test_id("presence-user")).to_have_count(0, timeout=10_000)
    finally:
        alice.context.close()
        bob.context.close()
