"""Every look at a customer's record by staff is kept — who, when, through which page or API, from where —
and admins search it by customer, by person and by period (Taiwan's Personal Data Protection Act)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from contact_center.customers import schemas
from contact_center.customers import service as customer_service
from tests.builders import bearer, make_user


async def test_who_opened_which_record_is_logged_and_searchable_by_admins(
    client: AsyncTestClient[Any], sessions: async_sessionmaker[AsyncSession], admin_headers: dict[str, str]
) -> None:
    alice_id, alice = await make_user(sessions, "agent", "alice", extension="1001")
    bob_id, bob = await make_user(sessions, "agent", "bob", extension="1002")
    async with sessions() as session, session.begin():
        mei = await customer_service.create(session, schemas.CustomerCreate(name="林美華"))
        other = await customer_service.create(session, schemas.CustomerCreate(name="陳志明"))
    assert (await client.get(f"/api/customers/{mei.id}/history", headers=bearer(alice))).status_code == 200
    assert (await client.get(f"/api/customers/{mei.id}", headers=bearer(bob))).status_code == 200
    assert (await client.get(f"/api/customers/{other.id}", headers=bearer(alice))).status_code == 200
    assert (await client.get("/api/customers/999999", headers=bearer(alice))).status_code == 404  # nothing seen

    page = (await client.get(f"/api/admin/access-log?customer_id={mei.id}", headers=admin_headers)).json()
    assert page["total"] == 2
    assert [(e["username"], e["via"]) for e in page["items"]] == [
        ("bob", "api GET /api/customers/{customer_id}"),
        ("alice", "api GET /api/customers/{customer_id}/history"),
    ]
    assert all(e["address"] for e in page["items"])
    by_alice = (await client.get(f"/api/admin/access-log?user_id={alice_id}", headers=admin_headers)).json()
    assert {e["customer_id"] for e in by_alice["items"]} == {mei.id, other.id}
    later = (dt.datetime.now(dt.UTC) + dt.timedelta(minutes=1)).isoformat()
    none = (await client.get("/api/admin/access-log", params={"since": later}, headers=admin_headers)).json()
    assert none["total"] == 0
    assert (await client.get("/api/admin/access-log", headers=bearer(alice))).status_code == 403
    assert bob_id


async def test_a_screen_pop_is_a_look_at_the_record_too(
    client: AsyncTestClient[Any], sessions: async_sessionmaker[AsyncSession], admin_headers: dict[str, str]
) -> None:
    import time

    import msgspec

    from cti_bridge import contract as c

    alice_id, _ = await make_user(sessions, "agent", "alice", extension="1001")
    _, pbx = await make_user(sessions, "pbx", "bridge")
    async with sessions() as session, session.begin():
        mei = await customer_service.create(session, schemas.CustomerCreate(name="林美華", phones=["0912345678"]))
    now = time.time()
    events = [c.CallOffered(id="a:1:o", call_id="a1", at=now, caller="0912345678"),
              c.CallRinging(id="a:1:r", call_id="a1", at=now, extension="1001", caller="0912345678")]  # fmt: skip
    response = await client.post("/api/cti/events", content=msgspec.json.encode(events),
                                 headers={**bearer(pbx), "content-type": "application/json"})  # fmt: skip
    assert response.status_code == 200
    page = (await client.get(f"/api/admin/access-log?customer_id={mei.id}", headers=admin_headers)).json()
    assert [(e["user_id"], e["via"]) for e in page["items"]] == [(alice_id, "screen-pop")]
