"""Every page of every role, in both languages, opens without a console error, an uncaught exception or
a failed request (a 4xx/5xx from the page's own scripts and sockets included)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from contact_center.auth import service as auth_service
from contact_center.customers import schemas
from contact_center.customers import service as customer_service
from contact_center.db.session import create_engine, create_session_factory
from contact_center.kb import articles
from contact_center.settings import DatabaseSettings
from contact_center.tickets import service as ticket_service
from contact_center.tickets.schemas import TicketCreate, TicketMessageCreate
from tests.builders import run_in_thread

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("backend", ["sqlite"], indirect=True)]
PASSWORD = "every-page-pass"


async def _prepare(url: str) -> dict[str, int]:
    engine = create_engine(DatabaseSettings(url=url))
    async with create_session_factory(engine)() as session, session.begin():
        customer = await customer_service.create(session, schemas.CustomerCreate(name="林美華", phones=["0912345678"]))
        for name, role, ext in (("root", "admin", None), ("sophia", "supervisor", "1009"), ("alice", "agent", "1001"),
                                ("quinn", "qa", None)):  # fmt: skip
            await auth_service.add_user(session, name, role, extension=ext, password=PASSWORD)
        await auth_service.add_user(session, "mei", "customer", password=PASSWORD, customer_id=customer.id)
        ticket = await ticket_service.create(session, TicketCreate(kind="repair", subject="冷氣不冷",
                                                                   customer_id=customer.id), None)  # fmt: skip
        await ticket_service.add_message(session, ticket.id, TicketMessageCreate(body="您好"), None)
        article = await articles.create(session, articles.ArticleWrite(title="冷氣不冷", body="清洗濾網"), None)
        ids = {"customer": customer.id, "ticket": ticket.id, "article": article.id}
    await engine.dispose()
    return ids


STAFF_PAGES = ["/desk", "/desk/tickets", "/desk/tickets?view=all", "/desk/tickets?view=breached",
               "/desk/tickets/{ticket}", "/desk/customers/{customer}"]  # fmt: skip
PAGES = {
    "root": [*STAFF_PAGES, "/wallboard", "/wallboard?tv=1", "/qa", "/admin/kb", "/admin/kb/{article}",
             "/admin/kb/synonyms", "/admin/offers", "/admin/offers/new", "/admin/desk"],
    "sophia": [*STAFF_PAGES, "/wallboard", "/wallboard?tv=1", "/qa", "/admin/kb", "/admin/offers", "/admin/desk"],
    "alice": STAFF_PAGES,
    "quinn": [*STAFF_PAGES, "/wallboard", "/qa", "/admin/kb"],
}  # fmt: skip
HOMES = {"root": "/admin/kb", "sophia": "/wallboard", "alice": "/desk/tickets", "quinn": "/qa"}


@pytest.mark.parametrize("lang", ["zh-Hant", "en"])
def test_every_page_of_every_role_opens_cleanly(browser: Browser, live_server: str, db_url: str, lang: str) -> None:
    ids = run_in_thread(_prepare(db_url))
    problems: list[str] = []
    for user, pages in PAGES.items():
        context = browser.new_context(locale="zh-TW")
        page = context.new_page()
        page.on("console", lambda m, u=user, p=page: problems.append(f"{u} console {m.type}: {m.text} @ {p.url}")
                if m.type in ("error", "warning") else None)  # fmt: skip
        page.on("pageerror", lambda e, u=user, p=page: problems.append(f"{u} exception: {e} @ {p.url}"))
        # A request our own next navigation cancels (ERR_ABORTED) is not a failure of the page.
        page.on("requestfailed", lambda r, u=user: problems.append(f"{u} failed: {r.url} {r.failure}")
                if "ERR_ABORTED" not in (r.failure or "") else None)  # fmt: skip
        page.on("response", lambda r, u=user: problems.append(f"{u} {r.status}: {r.url}") if r.status >= 400 else None)
        page.goto(f"{live_server}/lang/{lang}")
        page.goto(f"{live_server}/login")
        page.locator("input[name=username]").fill(user)
        page.locator("input[name=password]").fill(PASSWORD)
        page.locator("button[type=submit]").click()
        expect(page).to_have_url(f"{live_server}{HOMES[user]}")  # each role lands on its own home
        for path in pages:
            page.goto(f"{live_server}{path.format(**ids)}")
            page.wait_for_load_state("networkidle")
            if user != "quinn" and not path.startswith(("/admin", "/qa")):
                live = page.get_by_test_id("ws-status")
                expect(live).to_have_attribute("data-state", "connected")
        context.close()
    portal = browser.new_context(locale="zh-TW").new_page()
    portal.on("pageerror", lambda e: problems.append(f"mei exception: {e}"))
    portal.on("response", lambda r: problems.append(f"mei {r.status}: {r.url}") if r.status >= 400 else None)
    portal.goto(f"{live_server}/portal/login")
    portal.locator("input[name=username]").fill("mei")
    portal.locator("input[name=password]").fill(PASSWORD)
    portal.locator("button[type=submit]").click()
    portal.wait_for_load_state("networkidle")
    for path in ("/portal", f"/portal/tickets/{ids['ticket']}", "/portal/tickets/new"):
        portal.goto(f"{live_server}{path}")
        portal.wait_for_load_state("networkidle")
    portal.context.close()
    assert problems == [], "\n".join(problems)
