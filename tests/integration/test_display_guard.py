"""Opening a record on someone's desktop: an agent on their own, or on an agent of a queue they lead;
supervisors, admins and the PBX's tools on anyone's."""

from __future__ import annotations

from typing import Any

from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from contact_center.customers import schemas
from contact_center.customers import service as customer_service
from tests.builders import bearer, make_user


async def test_only_a_queue_lead_may_open_a_record_on_another_agents_desk(
    client: AsyncTestClient[Any], sessions: async_sessionmaker[AsyncSession], admin_headers: dict[str, str]
) -> None:
    alice_id, alice = await make_user(sessions, "agent", "alice", extension="1001")
    bob_id, bob = await make_user(sessions, "agent", "bob", extension="1002")
    _, carol = await make_user(sessions, "agent", "carol", extension="1003")
    _, sophia = await make_user(sessions, "supervisor", "sophia")
    async with sessions() as session, session.begin():
        customer = await customer_service.create(session, schemas.CustomerCreate(name="林美華"))
    profile = {"skills": {"aircon": 3}, "capacity": 20}
    assert (await client.put(f"/api/agents/{alice_id}/profile", json=profile, headers=admin_headers)).status_code < 300
    queue = {"name": "aircon", "display_name": "冷氣", "required_skills": ["aircon"], "leads": [bob_id]}
    created = await client.post("/api/queues", json=queue, headers=admin_headers)
    assert created.status_code == 201 and created.json()["leads"] == [bob_id]

    body = {"customer_id": customer.id}
    url = f"/api/agents/{alice_id}/display"
    assert (await client.post(url, json=body, headers=bearer(alice))).status_code == 202  # her own desk
    assert (await client.post(url, json=body, headers=bearer(bob))).status_code == 202  # he leads her queue
    refused = await client.post(url, json=body, headers=bearer(carol))
    assert refused.status_code == 403 and "queue you lead" in refused.json()["message"]
    assert (await client.post(url, json=body, headers=bearer(sophia))).status_code == 202
    # bob leads no queue carol works in: no.
    assert (await client.post(f"/api/agents/{bob_id}/display", json=body, headers=bearer(carol))).status_code == 403
