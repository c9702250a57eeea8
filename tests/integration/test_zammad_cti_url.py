"""A PBX webhook written for Zammad, configured with nothing but Zammad's URL form
(`/api/v1/cti/{token}`), no Authorization header: its form-encoded and JSON requests pop, log the call
and get Zammad's answers. The CTI token opens nothing else, and a revoked one opens nothing."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from contact_center.auth import service as auth_service
from contact_center.customers import schemas
from contact_center.customers import service as customer_service
from tests.builders import bearer, make_user


@pytest.fixture
async def cti_url(sessions: async_sessionmaker[AsyncSession]) -> str:
    await make_user(sessions, "pbx", "pbx-zammad")
    async with sessions() as session, session.begin():
        await customer_service.create(session, schemas.CustomerCreate(name="林美華", phones=["0912-345-678"]))
        token = await auth_service.create_token(session, "pbx-zammad", "zammad webhook", scope="cti")
    return f"/api/v1/cti/{token}"


class ZammadStyleClient:
    """Knows only the URL, as a Zammad generic-CTI webhook does: posts forms (or JSON), no credentials."""

    def __init__(self, client: AsyncTestClient[Any], url: str) -> None:
        self.client, self.url = client, url

    async def form(self, **fields: Any) -> httpx.Response:
        return await self.client.post(self.url, data=fields)

    async def json(self, **fields: Any) -> httpx.Response:
        return await self.client.post(self.url, json=fields)


async def test_a_zammad_webhook_that_knows_only_the_url_pops_and_logs_the_call(
    client: AsyncTestClient[Any], sessions: async_sessionmaker[AsyncSession], cti_url: str
) -> None:
    _, alice = await make_user(sessions, "agent", "alice", extension="1001")
    pbx = ZammadStyleClient(client, cti_url)
    with await client.websocket_connect(f"/ws/agent?token={alice}") as agent:
        assert agent.receive_json() == {"type": "ready"}
        response = await pbx.form(event="newCall", **{"from": "0912345678"}, to="0227208888", direction="in",
                                  callId="z-100", **{"user[]": "alice"})  # fmt: skip
        assert (response.status_code, response.json()) == (200, {})
        popped = agent.receive_json(timeout=5)
        while not popped.get("complete"):
            popped = agent.receive_json(timeout=5)
        assert popped["history"]["customer"]["name"] == "林美華"
        response = await pbx.json(event="answer", **{"from": "0912345678"}, to="0227208888", direction="in",
                                  callId="z-100", answeringNumber="1001")  # fmt: skip
        assert (response.status_code, response.json()) == (200, {})
        response = await pbx.form(event="hangup", **{"from": "0912345678"}, to="0227208888", direction="in",
                                  callId="z-100", cause="normalClearing")  # fmt: skip
        assert (response.status_code, response.json()) == (200, {})
    calls = (await client.get("/api/calls/", headers=bearer(alice))).json()["items"]
    assert [(c["call_id"], c["state"], c["source"]) for c in calls] == [("z-100", "ended", "zammad")]


async def test_the_cti_token_opens_nothing_else_and_a_revoked_one_nothing_at_all(
    client: AsyncTestClient[Any], sessions: async_sessionmaker[AsyncSession], cti_url: str
) -> None:
    token = cti_url.rsplit("/", 1)[1]
    assert (await client.get("/api/customers/lookup?phone=0912345678", headers=bearer(token))).status_code == 401
    response = await client.post("/api/cti/events", json={"event": "newCall", "callId": "x"}, headers=bearer(token))
    assert response.status_code == 401
    bad = await client.post("/api/v1/cti/cc_not-a-token", data={"event": "newCall", "callId": "z-1"})
    assert bad.status_code == 401 and bad.json()["message"] == "invalid CTI token"
    malformed = await client.post(cti_url, data={"event": "ring"})
    assert malformed.status_code == 422 and "callId" in malformed.json()["message"]

    async with sessions() as session, session.begin():
        [issued] = [t for t in await auth_service.list_tokens(session) if t.scope == "cti"]
        await auth_service.revoke_token(session, issued.id)
    revoked = await client.post(cti_url, data={"event": "newCall", "callId": "z-2", "from": "0912345678"})
    assert revoked.status_code == 401


async def test_an_api_token_is_no_cti_token(
    client: AsyncTestClient[Any], sessions: async_sessionmaker[AsyncSession]
) -> None:
    _, api_token = await make_user(sessions, "pbx", "pbx-api")
    response = await client.post(f"/api/v1/cti/{api_token}", data={"event": "newCall", "callId": "z-3"})
    assert response.status_code == 401
