"""In a real browser: a call rings the agent's extension, the pop shows the caller, the agent opens a
ticket from it and clicks a number to dial (the command reaches the PBX side of /ws/cti)."""

from __future__ import annotations

import json
import re
import time
import urllib.request

import pytest
from playwright.sync_api import Page, expect
from websockets.sync.client import connect

from contact_center.auth import service as auth_service
from contact_center.customers import schemas
from contact_center.customers import service as customer_service
from contact_center.db.session import create_engine, create_session_factory
from contact_center.settings import DatabaseSettings
from cti_bridge import contract as c
from tests.builders import run_in_thread

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


def _post_events(base: str, token: str, events: list[c.CallEvent]) -> None:
    body = b"[" + b",".join(c.encode(e) for e in events) + b"]"
    request = urllib.request.Request(
        f"{base}/api/cti/events",
        data=body,
        method="POST",
        headers={"Authorization": f"Bearer {token}", "content-type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert json.load(response)["accepted"] == len(events)


def test_the_pop_appears_and_the_agent_opens_a_ticket_and_dials(page: Page, live_server: str, db_url: str) -> None:
    token = run_in_thread(_prepare(db_url))
    page.goto(f"{live_server}/login")
    page.get_by_label("帳號").fill("alice")
    page.get_by_label("密碼").fill("alice-pass")
    page.get_by_role("button", name="登入").click()
    expect(page.get_by_test_id("ws-status")).to_have_attribute("data-state", "connected")
    pop = page.get_by_test_id("screen-pop")
    expect(pop).to_be_hidden()

    now = time.time()
    _post_events(
        live_server,
        token,
        [
            c.CallOffered(
                id="e2e:o", call_id="e2e.1", at=now, caller="0912345678", dialled="0227208888", queue="support"
            ),
            c.CallRinging(
                id="e2e:r", call_id="e2e.1", at=now + 1, extension="1001", caller="0912345678", queue="support"
            ),
        ],
    )
    expect(pop).to_be_visible()
    expect(pop.get_by_test_id("pop-customer")).to_have_text("林美華")
    expect(pop).to_contain_text("勿於上班時間來電")
    expect(pop.get_by_test_id("call-state")).to_have_text("來電響鈴中")

    pop.get_by_label("案件主旨").fill("冷氣不冷")
    pop.get_by_label("類型").select_option("repair")
    pop.get_by_role("button", name="建立案件").click()
    expect(pop).to_contain_text(re.compile(r"已建立案件 #\d+"))

    ws_url = live_server.replace("http://", "ws://") + "/ws/cti"
    with connect(ws_url, additional_headers={"Authorization": f"Bearer {token}"}) as bridge:
        pop.get_by_role("button", name="0912 345 678").click()
        command = c.decode_app_message(bridge.recv(timeout=10))
    assert isinstance(command, c.Originate) and (command.extension, command.number) == ("1001", "0912345678")
    expect(page.get_by_test_id("toast")).to_contain_text("撥號中")
