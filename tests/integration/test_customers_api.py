"""Customers over REST: create, validate, look up by any phone format, search and page, change, delete."""

from __future__ import annotations

from typing import Any

from litestar.testing import AsyncTestClient


async def _create(client: AsyncTestClient[Any], headers: dict[str, str], **body: Any) -> dict[str, Any]:
    response = await client.post("/api/customers", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return dict(response.json())


async def test_lookup_returns_every_customer_sharing_a_number(
    client: AsyncTestClient[Any], agent_headers: dict[str, str]
) -> None:
    mother = await _create(client, agent_headers, name="陳美玉", phones=["(02)2345-6789", "0912-345-678"])
    son = await _create(client, agent_headers, name="陳志明", phones=["02-2345-6789"])
    await _create(client, agent_headers, name="林小姐", phones=["0933-123-456"])

    for written in ["(02)2345-6789", "02 2345 6789", "+886 2 2345 6789", "886223456789", "002886223456789"]:
        response = await client.get("/api/customers/lookup", params={"phone": written}, headers=agent_headers)
        assert response.status_code == 200
        body = response.json()
        assert body["e164"] == "+886223456789"
        assert [c["id"] for c in body["customers"]] == [mother["id"], son["id"]]

    mobile = await client.get("/api/customers/lookup", params={"phone": "+886912345678"}, headers=agent_headers)
    assert [c["name"] for c in mobile.json()["customers"]] == ["陳美玉"]


async def test_lookup_of_unknown_or_invalid_number_is_empty_not_an_error(
    client: AsyncTestClient[Any], agent_headers: dict[str, str]
) -> None:
    unknown = await client.get("/api/customers/lookup", params={"phone": "0988-000-111"}, headers=agent_headers)
    assert unknown.status_code == 200 and unknown.json()["customers"] == []
    invalid = await client.get("/api/customers/lookup", params={"phone": "12345"}, headers=agent_headers)
    assert invalid.status_code == 200 and invalid.json() == {"phone": "12345", "e164": None, "customers": []}
    missing = await client.get("/api/customers/lookup", headers=agent_headers)
    assert missing.status_code == 400


async def test_invalid_customer_is_refused_and_nothing_is_written(
    client: AsyncTestClient[Any], agent_headers: dict[str, str]
) -> None:
    bad_phone = await client.post(
        "/api/customers", json={"name": "王先生", "phones": ["0912-345-678", "1999"]}, headers=agent_headers
    )
    assert bad_phone.status_code == 422
    assert "1999" in bad_phone.json()["message"]
    no_name = await client.post("/api/customers", json={"name": "  ", "phones": []}, headers=agent_headers)
    assert no_name.status_code == 422
    bad_tier = await client.post(
        "/api/customers", json={"name": "王先生", "value_tier": "platinum"}, headers=agent_headers
    )
    assert bad_tier.status_code == 422
    not_json = await client.post(
        "/api/customers", content=b"{", headers={**agent_headers, "content-type": "application/json"}
    )
    assert not_json.status_code == 400
    listing = await client.get("/api/customers", headers=agent_headers)
    assert listing.json()["total"] == 0


async def test_search_pages_through_customers(client: AsyncTestClient[Any], agent_headers: dict[str, str]) -> None:
    for i in range(7):
        await _create(client, agent_headers, name=f"張{i}號", phones=[f"0912-000-00{i}"], city="台中市")
    await _create(client, agent_headers, name="李先生", city="高雄市")
    first = (await client.get("/api/customers", params={"q": "張", "limit": 5}, headers=agent_headers)).json()
    second = (
        await client.get("/api/customers", params={"q": "張", "limit": 5, "offset": 5}, headers=agent_headers)
    ).json()
    assert first["total"] == 7 and len(first["items"]) == 5 and len(second["items"]) == 2
    assert {c["id"] for c in first["items"]}.isdisjoint({c["id"] for c in second["items"]})
    by_phone = (await client.get("/api/customers", params={"q": "+886 912 000 003"}, headers=agent_headers)).json()
    assert [c["name"] for c in by_phone["items"]] == ["張3號"]
    by_city = (await client.get("/api/customers", params={"city": "高雄市"}, headers=agent_headers)).json()
    assert [c["name"] for c in by_city["items"]] == ["李先生"]
    too_many = await client.get("/api/customers", params={"limit": 5000}, headers=agent_headers)
    assert too_many.status_code == 422


async def test_update_replaces_phones_and_delete_is_for_admins(
    client: AsyncTestClient[Any], agent_headers: dict[str, str], admin_headers: dict[str, str]
) -> None:
    customer = await _create(client, agent_headers, name="吳小姐", phones=["0912-111-222"])
    changed = await client.patch(
        f"/api/customers/{customer['id']}",
        json={"phones": [{"number": "0922-333-444", "label": "mobile"}], "taboos": "勿於上班時間來電"},
        headers=agent_headers,
    )
    assert changed.status_code == 200
    assert [p["e164"] for p in changed.json()["phones"]] == ["+886922333444"]
    assert changed.json()["taboos"] == "勿於上班時間來電"
    old = await client.get("/api/customers/lookup", params={"phone": "0912-111-222"}, headers=agent_headers)
    assert old.json()["customers"] == []

    assert (await client.delete(f"/api/customers/{customer['id']}", headers=agent_headers)).status_code == 403
    assert (await client.delete(f"/api/customers/{customer['id']}", headers=admin_headers)).status_code == 204
    assert (await client.get(f"/api/customers/{customer['id']}", headers=agent_headers)).status_code == 404


async def test_contacts_are_logged_and_listed_newest_first(
    client: AsyncTestClient[Any], agent_headers: dict[str, str]
) -> None:
    customer = await _create(client, agent_headers, name="周先生", phones=["0912-222-333"])
    other = await _create(client, agent_headers, name="別人")
    ticket = (
        await client.post(
            "/api/tickets",
            json={"kind": "repair", "subject": "漏水", "customer_id": other["id"]},
            headers=agent_headers,
        )
    ).json()
    url = f"/api/customers/{customer['id']}/interactions"
    for summary, when in [("第一通", "2026-01-01T10:00:00+08:00"), ("第二通", "2026-02-01T10:00:00+08:00")]:
        logged = await client.post(
            url, json={"channel": "call", "summary": summary, "started_at": when}, headers=agent_headers
        )
        assert logged.status_code == 201 and logged.json()["agent"]
    refused = [
        {"channel": "pigeon", "summary": "x"},
        {"channel": "call", "summary": "  "},
        {"channel": "call", "summary": "x", "ticket_id": ticket["id"]},  # someone else's ticket
    ]
    for body in refused:
        assert (await client.post(url, json=body, headers=agent_headers)).status_code == 422
    page = (await client.get(url, params={"limit": 1}, headers=agent_headers)).json()
    assert page["total"] == 2 and [i["summary"] for i in page["items"]] == ["第二通"]
    assert (await client.get("/api/customers/99999/interactions", headers=agent_headers)).status_code == 404


async def test_a_callers_number_is_attached_to_an_existing_customer(
    client: AsyncTestClient[Any], agent_headers: dict[str, str]
) -> None:
    customer = await _create(client, agent_headers, name="許小姐", phones=["0912-000-111"])
    url = f"/api/customers/{customer['id']}/phones"
    added = await client.post(url, json={"number": "(04)2234-5678", "label": "office"}, headers=agent_headers)
    assert added.status_code == 201 and [p["e164"] for p in added.json()["phones"]] == [
        "+886912000111",
        "+886422345678",
    ]
    again = await client.post(url, json={"number": "04-2234-5678"}, headers=agent_headers)
    assert len(again.json()["phones"]) == 2
    assert (await client.post(url, json={"number": "12"}, headers=agent_headers)).status_code == 422
    found = await client.get("/api/customers/lookup", params={"phone": "0422345678"}, headers=agent_headers)
    assert [c["name"] for c in found.json()["customers"]] == ["許小姐"]
