"""A supervisor's wallboard updates without reload: a waiting call appears and disappears, an agent's
state changes (set by the agent elsewhere, and by the supervisor from the board)."""

from __future__ import annotations

import datetime as dt
import json
import time
import urllib.request

import pytest
from playwright.sync_api import Page, expect

from contact_center.auth import service as auth_service
from contact_center.db.session import create_engine, create_session_factory
from contact_center.models import AgentProfile, Ticket
from contact_center.settings import DatabaseSettings
from cti_bridge import contract as c
from tests.builders import run_in_thread

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("backend", ["sqlite"], indirect=True)]


async def _prepare(url: str) -> dict[str, str]:
    engine = create_engine(DatabaseSettings(url=url))
    async with create_session_factory(engine)() as session, session.begin():
        await auth_service.add_user(session, "sophia", "supervisor", display_name="Sophia", password="sophia-pass")
        alice = await auth_service.add_user(session, "alice", "agent", display_name="Alice", extension="1001")
        session.add(AgentProfile(user_id=alice.id, skills={"aircon": 3}, capacity=10, presence="available"))
        await auth_service.add_user(session, "bridge", "pbx")
        soon = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=30)
        session.add(Ticket(kind="repair", subject="冷氣漏水", status="open", priority="high", first_response_due=soon,
                           resolution_due=soon + dt.timedelta(hours=4), extra={}, sla_pauses=[]))  # fmt: skip
        tokens = {"pbx": await auth_service.create_token(session, "bridge"), "alice": await auth_service.create_token(session, "alice"),
                  "alice_id": str(alice.id)}  # fmt: skip
    await engine.dispose()
    return tokens


def _call(base: str, token: str, method: str, path: str, body: bytes) -> None:
    request = urllib.request.Request(f"{base}{path}", data=body, method=method,
                                     headers={"Authorization": f"Bearer {token}", "content-type": "application/json"})  # fmt: skip
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status < 300


def test_the_wallboard_follows_calls_and_agents_live(page: Page, live_server: str, db_url: str) -> None:
    tokens = run_in_thread(_prepare(db_url))
    page.goto(f"{live_server}/login")
    page.get_by_label("帳號").fill("sophia")
    page.get_by_label("密碼").fill("sophia-pass")
    page.get_by_role("button", name="登入").click()
    page.goto(f"{live_server}/wallboard")
    expect(page.get_by_test_id("ws-status")).to_have_attribute("data-state", "connected")
    agent_row = page.get_by_test_id("wallboard-agent")
    expect(agent_row).to_contain_text("Alice")

    now = time.time()
    offered = c.CallOffered(id="wb:o", call_id="wb.1", at=now, caller="0912345678", queue="support")
    _call(live_server, tokens["pbx"], "POST", "/api/cti/events", c.encode(offered))
    waiting = page.locator("[data-queue=support] [data-testid=waiting]")
    expect(waiting).to_have_text("1")
    events = [c.CallAbandoned(id="wb:a", call_id="wb.1", at=now + 5, queue="support", wait_seconds=5),
              c.CallEnded(id="wb:e", call_id="wb.1", at=now + 5, hangup_by="caller")]  # fmt: skip
    _call(live_server, tokens["pbx"], "POST", "/api/cti/events", b"[" + b",".join(c.encode(e) for e in events) + b"]")
    expect(waiting).to_have_text("0")
    expect(page.locator("[data-queue=support] [data-testid=abandoned]")).to_have_text("1")  # abandoned today

    _call(
        live_server,
        tokens["alice"],
        "PUT",
        f"/api/agents/{tokens['alice_id']}/presence",
        json.dumps({"presence": "away"}).encode(),
    )
    select = page.get_by_role("combobox", name="Alice")
    expect(select).to_have_value("away")
    select.select_option("available")
    page.wait_for_timeout(300)
    page.reload()
    expect(page.get_by_role("combobox", name="Alice")).to_have_value("available")


def test_a_supervisor_reassigns_what_breaches_next_and_the_tv_board_is_readable(
    page: Page, live_server: str, db_url: str
) -> None:
    tokens = run_in_thread(_prepare(db_url))
    page.goto(f"{live_server}/login")
    page.get_by_label("帳號").fill("sophia")
    page.get_by_label("密碼").fill("sophia-pass")
    page.get_by_role("button", name="登入").click()
    expect(page).to_have_url(f"{live_server}/wallboard")  # a supervisor's home
    row = page.get_by_test_id("at-risk").locator("tr[data-ticket]")
    expect(row).to_contain_text("冷氣漏水")
    expect(row.locator("td").nth(3)).to_have_text(__import__("re").compile(r"^(29|30):\d\d$"))  # time left
    expect(page.get_by_test_id("wallboard-breached")).to_contain_text("0")
    row.get_by_role("combobox").select_option(label="Alice")
    expect(page.get_by_test_id("toast")).to_have_text("已改派")
    request = urllib.request.Request(f"{live_server}/api/tickets?assignee_id={tokens['alice_id']}",
                                     headers={"Authorization": f"Bearer {tokens['alice']}"})  # fmt: skip
    with urllib.request.urlopen(request, timeout=10) as response:
        assert [t["subject"] for t in json.loads(response.read())["items"]] == ["冷氣漏水"]

    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(f"{live_server}/wallboard?tv=1")
    expect(page.get_by_test_id("ws-status")).to_have_attribute("data-state", "connected")
    expect(page.get_by_test_id("wallboard-agent")).to_contain_text("Alice")
    assert page.locator("select").count() == 0  # a wall screen has no controls
    size = page.get_by_test_id("wallboard-breached").locator(".big").evaluate("e => getComputedStyle(e).fontSize")
    assert float(size.removesuffix("px")) >= 90  # readable from across the room
