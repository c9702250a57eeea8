"""The customer portal: registration proves who the customer is; a customer reaches only their own
tickets and products, by every route and every id; replies, ratings and signed rating links."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from contact_center.app import create_app
from contact_center.models import Asset, Customer, CustomerPhone, Ticket, TicketMessage, User
from contact_center.settings import Settings
from tests.builders import bearer, make_user

PASSWORD = "portal-pass-1234"


async def _customer(sessions: async_sessionmaker[AsyncSession], name: str, phone: str, ref: str) -> dict[str, int]:
    """A customer with a phone, a product, and a resolved ticket (`ref`) carrying an internal note."""
    async with sessions() as s, s.begin():
        customer = Customer(name=name, external_id=f"C-{ref}", value_tier="standard", emails=[], important_dates=[],
                            extra={})  # fmt: skip
        customer.phones = [CustomerPhone(e164=phone, raw=phone, label="mobile")]
        s.add(customer)
        await s.flush()
        asset = Asset(customer_id=customer.id, product_model="RAC-22", serial=f"SN-{ref}", extra={})
        s.add(asset)
        await s.flush()
        now = dt.datetime.now(dt.UTC)
        ticket = Ticket(external_id=ref, customer_id=customer.id, asset_id=asset.id, kind="repair", subject="冷氣不冷",
                        description="", status="resolved", resolved_at=now, created_at=now - dt.timedelta(days=1),
                        extra={}, sla_pauses=[], escalation_level=0)  # fmt: skip
        s.add(ticket)
        await s.flush()
        s.add(TicketMessage(ticket_id=ticket.id, visibility="internal", body="客戶很難搞 internal only"))
        s.add(TicketMessage(ticket_id=ticket.id, visibility="public", body="已派技師處理"))
        return {"customer": customer.id, "asset": asset.id, "ticket": ticket.id}


async def _register(client: AsyncTestClient[Any], username: str, phone: str, reference: str | None) -> Any:
    client.cookies.clear()
    body = {"username": username, "password": PASSWORD, "name": username, "phone": phone, "reference": reference}
    return await client.post("/api/portal/register", json=body)


async def test_registration_links_to_the_customer_record_only_with_proof(
    client: AsyncTestClient[Any], sessions: async_sessionmaker[AsyncSession]
) -> None:
    a = await _customer(sessions, "王小明", "+886912345678", "T-A1")
    b = await _customer(sessions, "李小華", "+886922333444", "T-B1")

    linked = await _register(client, "ming", "0912-345-678", "T-A1")
    assert linked.status_code == 201, linked.text
    assert linked.json()["customer_id"] == a["customer"] and linked.json()["role"] == "customer"
    # B's number with A's ticket number, or with no proof at all: a new, empty customer record.
    for username, reference in (("mallory", "T-A1"), ("mallory2", None), ("mallory3", "T-B9")):
        other = await _register(client, username, "0922333444", reference)
        assert other.status_code == 201
        assert other.json()["customer_id"] not in (a["customer"], b["customer"])
    again = await _register(client, "ming2", "0912345678", "C-T-A1")  # the customer number proves it too ...
    assert again.status_code == 409 and "already has a portal account" in again.json()["message"]  # ... but taken
    bad = await _register(client, "x", "12", None)
    assert bad.status_code == 422 and "phone" in bad.json()["message"]
    async with sessions() as s:
        assert (await s.execute(select(User).where(User.username == "x"))).first() is None  # nothing half-written


async def test_a_customer_reaches_only_their_own_tickets_by_every_route_and_id(
    client: AsyncTestClient[Any], settings: Settings, sessions: async_sessionmaker[AsyncSession]
) -> None:
    a = await _customer(sessions, "王小明", "+886912345678", "T-A1")
    b = await _customer(sessions, "李小華", "+886922333444", "T-B1")
    assert (await _register(client, "ming", "0912345678", "T-A1")).status_code == 201

    mine = (await client.get("/api/portal/tickets")).json()
    assert [t["id"] for t in mine] == [a["ticket"]]
    detail = (await client.get(f"/api/portal/tickets/{a['ticket']}")).json()
    assert [m["body"] for m in detail["messages"]] == ["已派技師處理"]  # the internal note never shows
    assert [x["id"] for x in (await client.get("/api/portal/assets")).json()] == [a["asset"]]

    theirs = b["ticket"]
    attempts = [
        ("GET", f"/api/portal/tickets/{theirs}", None),
        ("POST", f"/api/portal/tickets/{theirs}/messages", {"body": "hi"}),
        ("POST", f"/api/portal/tickets/{theirs}/rating", {"score": 1}),
        ("POST", f"/api/portal/tickets/{theirs + 999}/rating", {"score": 1}),
    ]
    for method, url, body in attempts:
        response = await client.request(method, url, json=body)
        assert response.status_code == 404, (method, url, response.text)  # not even "forbidden": it isn't there
    stolen_asset = await client.post(
        "/api/portal/tickets", json={"kind": "repair", "subject": "x", "asset_id": b["asset"]}
    )
    assert stolen_asset.status_code == 422
    staff_routes = [
        ("GET", "/api/tickets", None), ("GET", f"/api/tickets/{theirs}", None),
        ("PATCH", f"/api/tickets/{theirs}", {"status": "closed"}), ("GET", f"/api/tickets/{theirs}/messages", None),
        ("POST", f"/api/tickets/{theirs}/messages", {"body": "x"}), ("GET", f"/api/tickets/{theirs}/events", None),
        ("GET", f"/api/customers/{b['customer']}", None), ("GET", f"/api/customers/{b['customer']}/history", None),
        ("GET", "/api/customers/lookup?phone=0922333444", None), ("POST", f"/api/tickets/{theirs}/csat-link", None),
        ("GET", "/api/calls", None),
    ]  # fmt: skip
    for method, url, body in staff_routes:
        response = await client.request(method, url, json=body)
        assert response.status_code == 403, (method, url, response.status_code)
    async with sessions() as s:  # and nothing of B's changed
        ticket = await s.get(Ticket, theirs)
        assert ticket is not None and ticket.status == "resolved" and ticket.satisfaction is None
        count = len((await s.execute(select(TicketMessage).where(TicketMessage.ticket_id == theirs))).all())
        assert count == 2


async def test_replies_reopen_and_ratings_count_once(
    client: AsyncTestClient[Any], sessions: async_sessionmaker[AsyncSession]
) -> None:
    a = await _customer(sessions, "王小明", "+886912345678", "T-A1")
    await _register(client, "ming", "0912345678", "T-A1")
    ticket = a["ticket"]
    assert (await client.post(f"/api/portal/tickets/{ticket}/messages", json={"body": "  "})).status_code == 422
    replied = await client.post(f"/api/portal/tickets/{ticket}/messages", json={"body": "還是不冷"})
    assert replied.status_code == 201 and replied.json()["from_customer"] is True
    reopened = (await client.get(f"/api/portal/tickets/{ticket}")).json()
    assert reopened["ticket"]["status"] == "open" and reopened["messages"][-1]["body"] == "還是不冷"
    early = await client.post(f"/api/portal/tickets/{ticket}/rating", json={"score": 4})
    assert early.status_code == 409
    async with sessions() as s, s.begin():
        await s.execute(update(Ticket).where(Ticket.id == ticket).values(status="resolved"))
    assert (await client.post(f"/api/portal/tickets/{ticket}/rating", json={"score": 6})).status_code == 422
    rated = await client.post(f"/api/portal/tickets/{ticket}/rating", json={"score": 5, "comment": "謝謝"})
    assert rated.status_code == 200 and rated.json()["satisfaction"] == 5 and rated.json()["can_rate"] is False
    assert (await client.post(f"/api/portal/tickets/{ticket}/rating", json={"score": 1})).status_code == 409

    opened = await client.post(
        "/api/portal/tickets", json={"kind": "repair", "subject": "冷氣漏水", "asset_id": a["asset"]}
    )
    assert opened.status_code == 201 and opened.json()["product_model"] == "RAC-22"
    async with sessions() as s:
        new = await s.get(Ticket, opened.json()["id"])
        assert new is not None and new.channel == "web" and new.customer_id == a["customer"]


async def test_a_signed_link_rates_exactly_its_ticket(
    client: AsyncTestClient[Any], sessions: async_sessionmaker[AsyncSession]
) -> None:
    a = await _customer(sessions, "王小明", "+886912345678", "T-A1")
    b = await _customer(sessions, "李小華", "+886922333444", "T-B1")
    _, token = await make_user(sessions, "agent")
    link = await client.post(f"/api/tickets/{a['ticket']}/csat-link", headers=bearer(token))
    assert link.status_code == 200 and "/portal/csat/" in link.json()["url"]
    signed = link.json()["url"].rsplit("/", 1)[1]
    ticket_id, expires, signature = signed.split(".")
    forged = [f"{b['ticket']}.{expires}.{signature}", f"{ticket_id}.{int(expires) + 1}.{signature}", "garbage"]
    for bad in forged:
        refused = await client.post(f"/api/portal/csat/{bad}", json={"score": 1})
        assert refused.status_code == 422 and "not valid" in refused.json()["message"]
    rated = await client.post(f"/api/portal/csat/{signed}", json={"score": 4})
    assert rated.status_code == 200 and rated.json()["satisfaction"] == 4
    async with sessions() as s:
        assert (await s.get(Ticket, b["ticket"])).satisfaction is None  # type: ignore[union-attr]


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
async def test_the_portal_is_rate_limited(settings: Settings) -> None:
    async with AsyncTestClient(app=create_app(settings)) as fresh:
        codes = [(await fresh.get("/api/portal/tickets")).status_code for _ in range(125)]
    assert codes[0] == 401 and codes[-1] == 429
