"""A page on another origin cannot use a signed-in agent's cookie: not to create a ticket, not to open the
agent's socket, not with JSON dressed as text/plain. Our own pages, scripts with bearer tokens and
non-browser clients are unaffected."""

from __future__ import annotations

from typing import Any

import pytest
from litestar.exceptions import WebSocketDisconnect
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from contact_center.settings import Settings
from tests.builders import bearer, make_user

TICKET = {"kind": "inquiry", "subject": "跨站建立的案件"}


@pytest.fixture
async def agent(sessions: async_sessionmaker[AsyncSession], client: AsyncTestClient[Any]) -> str:
    _, token = await make_user(sessions, "agent", "alice", extension="1001", password="a-long-passphrase")
    response = await client.post("/api/auth/login", json={"username": "alice", "password": "a-long-passphrase"})
    assert response.status_code == 201, response.text
    return token


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "http://evil.example", "Sec-Fetch-Site": "cross-site"},
        {"Origin": "http://evil.localhost:8000", "Sec-Fetch-Site": "same-site"},  # same site, other origin
        {"Origin": "http://evil.example"},  # an old browser: Origin only
        {"Sec-Fetch-Site": "cross-site"},  # Origin stripped by a privacy setting
    ],
)
async def test_a_cookie_from_another_origin_changes_nothing(
    client: AsyncTestClient[Any], agent: str, headers: dict[str, str]
) -> None:
    response = await client.post("/api/tickets", json=TICKET, headers=headers)
    assert response.status_code == 403 and "cross-origin" in response.json()["message"]
    assert (await client.get("/api/tickets", headers=bearer(agent))).json()["total"] == 0


@pytest.mark.parametrize(
    "headers",
    [
        {"Sec-Fetch-Site": "same-origin", "Origin": "http://testserver.local"},
        {"Origin": "http://127.0.0.1:8000"},  # APP_URL's origin
        {},  # no browser at all: nobody's cookie rode along
    ],
)
async def test_our_own_pages_and_non_browser_clients_go_through(
    client: AsyncTestClient[Any], agent: str, headers: dict[str, str]
) -> None:
    response = await client.post("/api/tickets", json=TICKET, headers=headers)
    assert response.status_code == 201, response.text


async def test_a_bearer_token_is_not_a_cookie(client: AsyncTestClient[Any], agent: str) -> None:
    client.cookies.clear()
    response = await client.post("/api/tickets", json=TICKET,
                                 headers={**bearer(agent), "Origin": "http://evil.example"})  # fmt: skip
    assert response.status_code == 201


async def test_json_endpoints_refuse_text_plain(client: AsyncTestClient[Any], agent: str) -> None:
    for headers in ({"content-type": "text/plain"}, {**bearer(agent), "content-type": "text/plain"}):
        response = await client.post("/api/tickets", content='{"kind": "inquiry", "subject": "x"}', headers=headers)
        assert response.status_code == 415, response.text


async def test_the_agent_socket_refuses_another_origin(
    client: AsyncTestClient[Any], agent: str, settings: Settings
) -> None:
    with pytest.raises(WebSocketDisconnect):
        with await client.websocket_connect("/ws/agent", headers={"Origin": "http://evil.example"}) as ws:
            ws.receive_json(timeout=2)
    with await client.websocket_connect("/ws/agent", headers={"Origin": "http://testserver.local"}) as ws:
        assert ws.receive_json(timeout=5) == {"type": "ready"}
    assert settings.app_url == "http://127.0.0.1:8000"
