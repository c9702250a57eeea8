"""SLA policies and business calendars are data leads edit over the API; new deadlines follow at
once; bad input is refused whole; tickets can be listed by breach."""

from __future__ import annotations

import datetime as dt
from typing import Any

from litestar.testing import AsyncTestClient
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from contact_center.models import Customer, Ticket
from contact_center.sla import service as sla_service

TAIPEI = dt.timezone(dt.timedelta(hours=8))
THURSDAY_4PM = dt.datetime(2026, 12, 10, 16, 0, tzinfo=TAIPEI)


async def _deadlines(sessions: async_sessionmaker[AsyncSession], priority: str) -> tuple[dt.datetime, dt.datetime]:
    async with sessions() as session, session.begin():
        customer = Customer(name="客戶", value_tier="standard", emails=[], important_dates=[], extra={})
        session.add(customer)
        await session.flush()
        ticket = Ticket(kind="repair", subject="x", priority=priority, customer_id=customer.id, created_at=THURSDAY_4PM,
                        status="new", escalation_level=0, extra={}, sla_pauses=[])  # fmt: skip
        await sla_service.apply(session, ticket)
        assert ticket.first_response_due and ticket.resolution_due
        return ticket.first_response_due.astimezone(TAIPEI), ticket.resolution_due.astimezone(TAIPEI)


POLICY = {"name": "低 low", "priority": "low", "first_response_minutes": 60, "resolution_minutes": 120,
          "calendar": "24x7"}  # fmt: skip


async def test_leads_manage_policies_and_new_tickets_follow_at_once(
    client: AsyncTestClient[Any],
    admin_headers: dict[str, str],
    agent_headers: dict[str, str],
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    shipped = (await client.get("/api/sla-policies", headers=agent_headers)).json()
    assert {(p["priority"], p["tier"]) for p in shipped} == {
        ("urgent", None),
        ("high", None),
        (None, "vip"),
        (None, None),
    }
    assert (await client.post("/api/sla-policies", json=POLICY, headers=agent_headers)).status_code == 403

    created = await client.post("/api/sla-policies", json=POLICY, headers=admin_headers)
    assert created.status_code == 201, created.text
    assert [lv["action"] for lv in created.json()["levels"]] == [
        "warn_owner",
        "notify_supervisors",
        "reassign_and_raise",
    ]
    # Around the clock: two hours from Thursday 16:00 is 18:00, office hours or not.
    assert await _deadlines(sessions, "low") == (
        THURSDAY_4PM + dt.timedelta(hours=1),
        THURSDAY_4PM + dt.timedelta(hours=2),
    )

    duplicate = await client.post("/api/sla-policies", json={**POLICY, "name": "again"}, headers=admin_headers)
    assert duplicate.status_code == 409 and "already covers" in duplicate.json()["message"]

    policy_id = created.json()["id"]
    changed = await client.put(f"/api/sla-policies/{policy_id}", json={**POLICY, "resolution_minutes": 180},
                               headers=admin_headers)  # fmt: skip
    assert changed.status_code == 200 and changed.json()["resolution_minutes"] == 180
    assert (await _deadlines(sessions, "low"))[1] == THURSDAY_4PM + dt.timedelta(hours=3)

    assert (await client.delete(f"/api/sla-policies/{policy_id}", headers=admin_headers)).status_code == 204
    assert (await client.get(f"/api/sla-policies/{policy_id}", headers=agent_headers)).status_code == 404
    # Back to the default policy: 4 business hours → Friday 11:00.
    assert (await _deadlines(sessions, "low"))[0] == dt.datetime(2026, 12, 11, 11, 0, tzinfo=TAIPEI)

    default_id = next(p["id"] for p in shipped if (p["priority"], p["tier"]) == (None, None))
    refused = await client.delete(f"/api/sla-policies/{default_id}", headers=admin_headers)
    assert refused.status_code == 409 and "default" in refused.json()["message"]


async def test_bad_policies_are_refused_and_nothing_is_written(
    client: AsyncTestClient[Any], admin_headers: dict[str, str]
) -> None:
    before = (await client.get("/api/sla-policies", headers=admin_headers)).json()
    bad = [
        ({"resolution_minutes": 30}, "shorter"),
        ({"calendar": "mars"}, "does not exist"),
        ({"priority": "asap"}, "priority must be one of"),
        ({"tier": "platinum"}, "tier must be one of"),
        ({"first_response_minutes": 0}, "between 1"),
        ({"levels": [{"at": 1.0, "action": "warn_owner"}, {"at": 0.5, "action": "notify_supervisors"}]}, "rising"),
        ({"levels": [{"at": 0.5, "action": "call_the_ceo"}]}, "action must be one of"),
        ({"name": " "}, "name"),
    ]
    for change, message in bad:
        response = await client.post("/api/sla-policies", json={**POLICY, **change}, headers=admin_headers)
        assert response.status_code in (400, 422), (change, response.text)
        assert message in response.json()["message"], (change, response.json())
    unknown_field = await client.post("/api/sla-policies", json={**POLICY, "colour": "red"}, headers=admin_headers)
    assert unknown_field.status_code == 400
    assert (await client.get("/api/sla-policies", headers=admin_headers)).json() == before


async def test_calendars_are_editable_and_a_new_holiday_moves_new_deadlines(
    client: AsyncTestClient[Any],
    admin_headers: dict[str, str],
    agent_headers: dict[str, str],
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    listed = (await client.get("/api/calendars", headers=agent_headers)).json()
    assert [c["name"] for c in listed] == ["24x7", "taiwan"]
    taiwan = next(c for c in listed if c["name"] == "taiwan")
    assert taiwan["holidays"]["2026-10-09"] == "國慶日補假" and taiwan["weekly"]["0"] == [
        ["09:00", "12:00"],
        ["13:00", "18:00"],
    ]
    assert (await _deadlines(sessions, "normal"))[0] == dt.datetime(2026, 12, 11, 11, 0, tzinfo=TAIPEI)

    # A company day off on Friday 2026-12-11: four business hours from Thursday 16:00 now end Monday 11:00.
    edited = {"description": taiwan["description"], "weekly": taiwan["weekly"],
              "holidays": {**taiwan["holidays"], "2026-12-11": "公司旅遊"}, "makeup_workdays": taiwan["makeup_workdays"]}  # fmt: skip
    assert (await client.put("/api/calendars/taiwan", json=edited, headers=agent_headers)).status_code == 403
    saved = await client.put("/api/calendars/taiwan", json=edited, headers=admin_headers)
    assert saved.status_code == 200, saved.text
    assert saved.json()["holidays"]["2026-12-11"] == "公司旅遊"
    assert (await _deadlines(sessions, "normal"))[0] == dt.datetime(2026, 12, 14, 11, 0, tzinfo=TAIPEI)

    in_use = await client.delete("/api/calendars/taiwan", headers=admin_headers)
    assert in_use.status_code == 409 and "used by SLA policy" in in_use.json()["message"]
    night = {"weekly": {"5": [["22:00", "06:00"]]}, "description": "週六夜班"}
    assert (await client.put("/api/calendars/night-shift", json=night, headers=admin_headers)).status_code == 200
    assert (await client.delete("/api/calendars/night-shift", headers=admin_headers)).status_code == 204
    assert (await client.get("/api/calendars/night-shift", headers=agent_headers)).status_code == 404


async def test_bad_calendars_are_refused(client: AsyncTestClient[Any], admin_headers: dict[str, str]) -> None:
    office = {"0": [["09:00", "18:00"]]}
    bad = [
        ("taiwan", {"weekly": {"0": [["09:00", "25:00"]]}}, "HH:MM"),
        ("taiwan", {"weekly": {"7": [["09:00", "18:00"]]}}, "0 (Monday) to 6"),
        ("taiwan", {"weekly": {}}, "no opening hours"),
        ("taiwan", {"weekly": {"0": [["09:00"]]}}, "[start, end]"),
        ("taiwan", {"weekly": office, "holidays": {"2027-01-01": "元旦"}, "makeup_workdays": {"2027-01-01": "補班"}},
         "both a holiday and a make-up workday"),
        ("taiwan", {"weekly": office, "holidays": {"2027-01-01": " "}}, "needs a name"),
        ("Bad Name!", {"weekly": office}, "calendar name"),
    ]  # fmt: skip
    before = (await client.get("/api/calendars/taiwan", headers=admin_headers)).json()
    for name, body, message in bad:
        response = await client.put(f"/api/calendars/{name}", json=body, headers=admin_headers)
        assert response.status_code == 422, (body, response.text)
        assert message in response.json()["message"], (body, response.json())
    not_a_date = await client.put("/api/calendars/taiwan", json={"weekly": office, "holidays": {"next friday": "x"}},
                                  headers=admin_headers)  # fmt: skip
    assert not_a_date.status_code == 400
    assert (await client.get("/api/calendars/taiwan", headers=admin_headers)).json() == before


async def test_tickets_are_listed_by_breach(
    client: AsyncTestClient[Any], agent_headers: dict[str, str], sessions: async_sessionmaker[AsyncSession]
) -> None:
    ids = [
        (await client.post("/api/tickets", json={"kind": "repair", "subject": f"#{n}"}, headers=agent_headers)).json()[
            "id"
        ]
        for n in range(4)
    ]
    past = dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)
    async with sessions() as session, session.begin():
        await session.execute(update(Ticket).where(Ticket.id == ids[0]).values(resolution_due=past))  # still open: late
        await session.execute(
            update(Ticket).where(Ticket.id == ids[1]).values(first_response_due=past)
        )  # no answer yet
        # Resolved in time, long ago: not breached, though its deadline is now in the past.
        await session.execute(update(Ticket).where(Ticket.id == ids[2]).values(
            status="resolved", resolved_at=past - dt.timedelta(hours=2), first_response_at=past - dt.timedelta(hours=3),
            resolution_due=past, first_response_due=past))  # fmt: skip
    breached = (await client.get("/api/tickets", params={"breached": "true"}, headers=agent_headers)).json()
    assert sorted(t["id"] for t in breached["items"]) == sorted(ids[:2])
    assert all(t["sla"]["breached"] for t in breached["items"])
    fine = (await client.get("/api/tickets", params={"breached": "false"}, headers=agent_headers)).json()
    assert sorted(t["id"] for t in fine["items"]) == sorted(ids[2:])
    assert not any(t["sla"]["breached"] for t in fine["items"])
