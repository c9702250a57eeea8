"""Queues route tickets to agents: skills, load, presence, VIP first, the customer's usual agent."""

from __future__ import annotations

from typing import Any

import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.builders import bearer, make_user


@pytest.fixture
async def team(sessions: async_sessionmaker[AsyncSession], client: AsyncTestClient[Any]) -> dict[str, Any]:
    """A supervisor and three agents with skills; alice is busier than bob, carol lacks the skill."""
    _, boss = await make_user(sessions, "supervisor", "sophia")
    ids = {}
    for name in ("alice", "bob", "carol"):
        ids[name], _ = await make_user(sessions, "agent", name)
    lead = bearer(boss)
    profiles = {"alice": ({"aircon": 4}, 4), "bob": ({"aircon": 2}, 4), "carol": ({"billing": 3}, 4)}
    for name, (skills, capacity) in profiles.items():
        r = await client.put(
            f"/api/agents/{ids[name]}/profile", json={"skills": skills, "capacity": capacity}, headers=lead
        )
        assert r.status_code == 204
        await client.put(f"/api/agents/{ids[name]}/presence", json={"presence": "available"}, headers=lead)
    queue = (
        await client.post(
            "/api/queues",
            json={"name": "aircon", "display_name": "冷氣維修", "required_skills": ["aircon"]},
            headers=lead,
        )
    ).json()
    return {"lead": lead, "ids": ids, "queue": queue}


async def _ticket(client: AsyncTestClient[Any], headers: dict[str, str], **body: Any) -> dict[str, Any]:
    response = await client.post(
        "/api/tickets", json={"kind": "repair", "subject": "冷氣不冷", **body}, headers=headers
    )
    assert response.status_code == 201, response.text
    return dict(response.json())


async def test_queued_tickets_go_to_the_least_loaded_skilled_available_agent(
    client: AsyncTestClient[Any], team: dict[str, Any]
) -> None:
    lead, ids, queue = team["lead"], team["ids"], team["queue"]
    assignees = [(await _ticket(client, lead, queue_id=queue["id"]))["assignee_id"] for _ in range(4)]
    assert set(assignees) == {ids["alice"], ids["bob"]}  # carol has no aircon skill
    assert assignees.count(ids["alice"]) == 2 and assignees.count(ids["bob"]) == 2  # load spreads
    await client.put(f"/api/agents/{ids['alice']}/presence", json={"presence": "away"}, headers=lead)
    assert (await _ticket(client, lead, queue_id=queue["id"]))["assignee_id"] == ids["bob"]
    # bob holds 3 of his 4: one more fills him, and the next ticket waits in the queue
    await _ticket(client, lead, queue_id=queue["id"])
    waiting = await _ticket(client, lead, queue_id=queue["id"])
    assert waiting["assignee_id"] is None
    agents = {a["username"]: a for a in (await client.get("/api/agents", headers=lead)).json()}
    assert agents["bob"]["open_tickets"] == 4 and agents["alice"]["presence"] == "away"


async def test_vip_customers_are_raised_and_sticky_queues_keep_the_usual_agent(
    client: AsyncTestClient[Any], team: dict[str, Any]
) -> None:
    lead = team["lead"]
    vip = (await client.post("/api/customers", json={"name": "王董", "value_tier": "vip"}, headers=lead)).json()
    sticky = (
        await client.post(
            "/api/queues",
            json={"name": "vip", "display_name": "VIP", "required_skills": ["aircon"], "strategy": "sticky"},
            headers=lead,
        )
    ).json()
    first = await _ticket(client, lead, queue_id=sticky["id"], customer_id=vip["id"])
    assert first["priority"] == "high"  # normal, raised one level for a VIP
    for _ in range(3):  # whoever served the customer keeps them while they can take more
        assert (await _ticket(client, lead, queue_id=sticky["id"], customer_id=vip["id"]))["assignee_id"] == first[
            "assignee_id"
        ]
    events = (await client.get(f"/api/tickets/{first['id']}/events", headers=lead)).json()
    assert {"changed", "assigned"} <= {e["kind"] for e in events}


async def test_manual_assignment_rerouting_and_bad_input(client: AsyncTestClient[Any], team: dict[str, Any]) -> None:
    lead, ids, queue = team["lead"], team["ids"], team["queue"]
    ticket = await _ticket(client, lead, queue_id=queue["id"])
    manual = await client.post(f"/api/tickets/{ticket['id']}/assign", json={"user_id": ids["carol"]}, headers=lead)
    assert manual.json() == {"ticket_id": ticket["id"], "assignee_id": ids["carol"], "reason": "manual"}
    rerouted = await client.post(f"/api/tickets/{ticket['id']}/assign", json={}, headers=lead)
    assert rerouted.json()["assignee_id"] in (ids["alice"], ids["bob"])
    assert (
        await client.post("/api/queues", json={"name": "x", "display_name": "x", "strategy": "random"}, headers=lead)
    ).status_code == 422
    assert (
        await client.put(f"/api/agents/{ids['bob']}/profile", json={"skills": {"aircon": 9}}, headers=lead)
    ).status_code == 422
    assert (
        await client.put(f"/api/agents/{ids['bob']}/presence", json={"presence": "asleep"}, headers=lead)
    ).status_code == 422
    _, alice_token = await make_user_token(client, team)
    other = await client.put(f"/api/agents/{ids['bob']}/presence", json={"presence": "away"}, headers=alice_token)
    assert other.status_code == 403


async def make_user_token(client: AsyncTestClient[Any], team: dict[str, Any]) -> tuple[int, dict[str, str]]:
    from contact_center.auth import service as auth_service
    from contact_center.db.session import create_engine, create_session_factory

    settings = client.app.state.settings
    engine = create_engine(settings.database)
    async with create_session_factory(engine)() as session, session.begin():
        token = await auth_service.create_token(session, "alice")
    await engine.dispose()
    return team["ids"]["alice"], bearer(token)


async def test_the_rule_table_puts_new_tickets_in_a_queue(client: AsyncTestClient[Any], team: dict[str, Any]) -> None:
    lead, ids, queue = team["lead"], team["ids"], team["queue"]
    billing = (await client.post("/api/queues", json={"name": "billing", "display_name": "帳務", "required_skills": ["billing"]},
                                 headers=lead)).json()  # fmt: skip
    for body in (
        {"queue_id": billing["id"], "kind": "billing", "position": 10},
        {"queue_id": queue["id"], "keywords": ["冷氣", "冷媒"], "position": 20},
    ):
        assert (await client.post("/api/routing-rules", json=body, headers=lead)).status_code == 201
    assert (await client.post("/api/routing-rules", json={"queue_id": queue["id"]}, headers=lead)).status_code == 422
    bill = await _ticket(client, lead, kind="billing", subject="帳單多扣款")
    assert (bill["queue_id"], bill["assignee_id"]) == (billing["id"], ids["carol"])  # carol has the billing skill
    cold = await _ticket(client, lead, kind="repair", subject="客廳冷氣不冷")
    assert cold["queue_id"] == queue["id"] and cold["assignee_id"] in (ids["alice"], ids["bob"])
    other = await _ticket(client, lead, kind="inquiry", subject="門市營業時間")
    assert other["queue_id"] is None and other["assignee_id"] is None
    rules = (await client.get("/api/routing-rules", headers=lead)).json()
    assert [r["position"] for r in rules] == [10, 20]
