"""QA staff read the dashboard: the lemon unit is flagged and its tickets listed, complaint and quality
charts are drawn, the service-quality table downloads as UTF-8 CSV for Excel; English too; agents are
kept out."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from contact_center.auth import service as auth_service
from contact_center.db.session import create_engine, create_session_factory
from contact_center.models import Asset, Customer, Ticket
from contact_center.settings import DatabaseSettings
from tests.builders import run_in_thread

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("backend", ["sqlite"], indirect=True)]

PASSWORD = "qa-pages-pass"
TAIPEI = dt.timezone(dt.timedelta(hours=8))
TODAY = dt.datetime.now(TAIPEI).date()  # the page's defaults: as of today, the last 12 weeks
START = TODAY - dt.timedelta(days=3 * 365)


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), TAIPEI)


def _ticket(**fields: object) -> Ticket:
    return Ticket(**{"status": "closed", "extra": {}, "sla_pauses": [], "escalation_level": 0, **fields})


async def _seed(url: str) -> None:
    """Users; 300 RAC-28NK units with 0-3 repairs in three years and LEMON with 12; complaints in recent
    weeks; tickets resolved by the agent 陳怡君 with ratings."""
    engine = create_engine(DatabaseSettings(url=url))
    async with create_session_factory(engine)() as s, s.begin():
        await auth_service.add_user(s, "qa1", "qa", display_name="品管小組", password=PASSWORD)
        alice = await auth_service.add_user(s, "alice", "agent", display_name="陳怡君", extension="1001",
                                            password=PASSWORD)  # fmt: skip
        customer = Customer(name="車隊", value_tier="standard", emails=[], important_dates=[], extra={})
        s.add(customer)
        await s.flush()
        span = (TODAY - START).days
        for u in range(301):
            name = "LEMON" if u == 300 else f"U{u:03d}"
            asset = Asset(customer_id=customer.id, external_id=name, product_model="RAC-28NK",
                          installed_on=dt.date(2020, 1, 1), extra={})  # fmt: skip
            s.add(asset)
            await s.flush()
            if name == "LEMON":
                days = [START + dt.timedelta(days=90 * k + 5) for k in range(12)]
            else:
                count = (0, 0, 1, 1, 1, 2, 2, 3)[u % 8]
                days = [START + dt.timedelta(days=(u * 53 + j * (span // max(count, 1))) % span) for j in range(count)]
            for day in days:
                s.add(_ticket(customer_id=customer.id, asset_id=asset.id, kind="repair", subject="不冷",
                              created_at=_at(day)))  # fmt: skip
        for n in range(30):
            subject = "遙控器沒反應" if n % 2 else "帳單重複扣款"
            day = TODAY - dt.timedelta(days=n * 2)
            s.add(_ticket(kind="complaint", subject=subject, description="客戶抱怨", created_at=_at(day),
                          category="遙控器" if n % 2 else "帳單", channel="line" if n % 2 else "phone"))  # fmt: skip
        for n in range(6):
            day = TODAY - dt.timedelta(days=3 + n * 5)
            s.add(_ticket(kind="repair", subject=f"已修好 {n}", status="resolved", assignee_id=alice.id,
                          created_at=_at(day, 9), resolved_at=_at(day, 15), satisfaction=(5, 4, 3, None, 5, 4)[n]))  # fmt: skip
    await engine.dispose()


def _sign_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/login")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("button[type=submit]").click()
    expect(page).not_to_have_url(re.compile(r"/login"))  # each role lands on its own home


def test_qa_reads_the_dashboard_drills_down_and_exports(page: Page, live_server: str, db_url: str) -> None:
    run_in_thread(_seed(db_url))
    _sign_in(page, live_server, "qa1")
    page.get_by_role("link", name="品質分析").click()
    expect(page).to_have_url(f"{live_server}/qa")
    expect(page.get_by_role("heading", name="品質分析")).to_be_visible()

    chart = page.get_by_test_id("anomalies-chart")
    expect(chart).to_have_attribute("data-rendered", "1", timeout=30_000)
    assert int(chart.get_attribute("data-points") or 0) > 0
    assert page.evaluate("window.qaCharts.anomalies.data.labels") == ["RAC-28NK"]
    expect(page.get_by_test_id("trends-chart")).to_have_attribute("data-rendered", "1", timeout=30_000)
    expect(page.get_by_test_id("quality-chart")).to_have_attribute("data-rendered", "1")

    lemon = page.get_by_test_id("anomalies-table").locator("tbody tr", has_text="LEMON")
    expect(lemon).to_have_count(1)
    lemon.click()
    drill = page.get_by_test_id("drill")
    expect(drill.get_by_role("heading")).to_have_text("機台 LEMON 的工單")
    expect(drill.get_by_test_id("tickets-table").locator("tbody tr")).to_have_count(12)
    expect(drill).to_contain_text("共 12 張工單，顯示 12 張")

    # Complaint volume: per category, then per channel; a row lists its complaints.
    expect(page.get_by_test_id("volume-chart")).to_have_attribute("data-rendered", "1")
    volume = page.get_by_test_id("volume-table")
    expect(volume.locator("tbody tr", has_text="遙控器")).to_contain_text("15")
    page.get_by_test_id("volume-by").select_option("channel")
    expect(volume.locator("thead")).to_contain_text("管道")
    line = volume.locator("tbody tr", has_text="LINE")
    expect(line).to_contain_text("50%")
    line.click()
    expect(drill.get_by_role("heading")).to_have_text("LINE")
    expect(drill).to_contain_text("共 15 張工單，顯示 15 張")
    rows = drill.get_by_test_id("tickets-table").locator("tbody tr").all_inner_texts()
    assert len(rows) == 15 and all("遙控器沒反應" in r for r in rows)  # the LINE complaints, no others

    quality = page.get_by_test_id("quality-table")
    expect(quality.locator("thead")).to_contain_text("客服人員")
    row = quality.locator("tbody tr", has_text="陳怡君")
    expect(row).to_contain_text("6")
    row.click()  # the agent's tickets resolved in the period
    expect(drill.get_by_role("heading")).to_contain_text("陳怡君")
    expect(drill.get_by_test_id("tickets-table").locator("tbody tr")).to_have_count(6)

    with page.expect_download() as info:
        page.get_by_test_id("quality").get_by_role("button", name="下載 CSV").click()
    download = info.value
    frm, to = TODAY - dt.timedelta(weeks=12), TODAY
    assert download.suggested_filename == f"service-quality-{frm.isoformat()}_{to.isoformat()}.csv"
    raw = Path(download.path()).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to read UTF-8
    lines = raw.decode("utf-8-sig").splitlines()
    assert lines[0].split(",")[:3] == ["客服人員", "已解決", "首次解決率"]
    assert lines[1].startswith("陳怡君,6,")

    page.get_by_role("link", name="English").click()
    expect(page.get_by_role("heading", name="QA analytics")).to_be_visible()
    expect(page.get_by_test_id("quality").get_by_role("button", name="Download CSV")).to_be_enabled()


def test_agents_cannot_open_the_dashboard(page: Page, live_server: str, db_url: str) -> None:
    run_in_thread(_seed(db_url))
    page.goto(f"{live_server}/qa")
    expect(page).to_have_url(re.compile(r"/login\?next=/qa$"))
    _sign_in(page, live_server, "alice")
    expect(page.get_by_role("link", name="品質分析")).to_have_count(0)
    response = page.goto(f"{live_server}/qa")
    assert response is not None and response.status == 403
    expect(page.get_by_test_id("forbidden")).to_contain_text("您的角色無法開啟此頁面")


async def _stored_model_flag(url: str) -> None:
    """A batch-defect flag the nightly scan stored before QA opened the page."""
    from contact_center.analytics import flags

    engine = create_engine(DatabaseSettings(url=url))
    async with create_session_factory(engine)() as s, s.begin():
        evidence = {"product_model": "WM-10", "recent_repairs": 31, "expected": 12.5, "rate_ratio": 2.48}
        await flags.record(s, [flags.Found(flags.MODEL, "WM-10", evidence)], TODAY - dt.timedelta(days=2))
    await engine.dispose()


async def _agent_token(url: str) -> str:
    engine = create_engine(DatabaseSettings(url=url))
    async with create_session_factory(engine)() as s, s.begin():
        token = await auth_service.create_token(s, "alice")
    await engine.dispose()
    return token


def _repair_ticket(base: str, token: str, external_id: str, url: str) -> None:
    """An agent opens a repair ticket for the unit (as the desk would), over the API."""
    import json
    import urllib.request

    from sqlalchemy import select

    async def asset() -> tuple[int, int]:
        engine = create_engine(DatabaseSettings(url=url))
        async with create_session_factory(engine)() as s:
            row = (await s.execute(select(Asset.id, Asset.customer_id).where(Asset.external_id == external_id))).one()
        await engine.dispose()
        return row[0], row[1]

    asset_id, customer_id = run_in_thread(asset())
    body = json.dumps({"kind": "repair", "subject": "冷氣又不冷", "customer_id": customer_id, "asset_id": asset_id})
    request = urllib.request.Request(f"{base}/api/tickets", data=body.encode(), method="POST",
                                     headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})  # fmt: skip
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 201


def test_qa_sees_a_new_lemon_alert_live_and_acknowledges_it(page: Page, live_server: str, db_url: str) -> None:
    run_in_thread(_seed(db_url))
    run_in_thread(_stored_model_flag(db_url))
    token = run_in_thread(_agent_token(db_url))
    _sign_in(page, live_server, "qa1")
    page.goto(f"{live_server}/qa")
    alerts = page.get_by_test_id("alerts")
    expect(alerts.get_by_role("heading", name=re.compile("警示"))).to_be_visible()
    expect(alerts.get_by_test_id("alerts-live")).to_have_attribute("data-state", "connected", timeout=15_000)
    rows = alerts.get_by_test_id("alert")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("型號")
    expect(rows.first).to_contain_text("WM-10")
    expect(rows.first).to_contain_text("近期報修 31 次／預期 12.5 次（2.5 倍）")

    _repair_ticket(live_server, token, "LEMON", db_url)  # the incremental check finds the lemon: pushed live
    expect(rows).to_have_count(2, timeout=30_000)
    lemon = rows.first
    expect(lemon).to_contain_text("LEMON · RAC-28NK")
    expect(lemon).to_contain_text("機台")
    expect(lemon).to_contain_text(re.compile(r"報修 1\d 次／預期 \d+(\.\d)? 次"))
    expect(lemon).to_have_class(re.compile("alert-new"))
    expect(alerts.get_by_test_id("alerts-total")).to_have_text("2")

    lemon.get_by_role("button", name="確認").click()
    expect(lemon).to_contain_text("已確認")
    expect(alerts.get_by_test_id("alerts-total")).to_have_text("1")
    _repair_ticket(live_server, token, "LEMON", db_url)  # known now: no second alert
    page.wait_for_timeout(1500)
    expect(rows).to_have_count(2)

    page.reload()  # the stored list: only the model flag is still open
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("WM-10")
