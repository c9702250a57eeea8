"""Full-text ticket search on both databases: two-character Chinese words, Simplified and Traditional
alike, full-width Latin, messages included, kept current as the text changes."""

from __future__ import annotations

from typing import Any

from litestar.testing import AsyncTestClient
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from contact_center.models import Ticket
from contact_center.tickets import search_index
from tests.builders import bearer, make_user


async def _ticket(client: AsyncTestClient[Any], token: str, subject: str, description: str = "") -> int:
    made = await client.post("/api/tickets", json={"kind": "repair", "subject": subject, "description": description},
                             headers=bearer(token))  # fmt: skip
    assert made.status_code == 201, made.text
    return int(made.json()["id"])


async def _found(client: AsyncTestClient[Any], token: str, q: str) -> list[int]:
    response = await client.get("/api/tickets/search", params={"q": q}, headers=bearer(token))
    assert response.status_code == 200, response.text
    return sorted(hit["ticket"]["id"] for hit in response.json()["items"])


async def test_search_finds_words_in_subjects_descriptions_and_messages(
    client: AsyncTestClient[Any], sessions: async_sessionmaker[AsyncSession]
) -> None:
    _, token = await make_user(sessions, "agent")
    leak = await _ticket(client, token, "冷氣漏水了")
    washer = await _ticket(client, token, "洗衣機不脫水")
    simplified = await _ticket(client, token, "空调问题", "空调一直漏水，地板都湿了")
    wifi = await _ticket(client, token, "WiFi 連不上", "路由器重開也沒用")
    assert await _found(client, token, "漏水") == sorted([leak, simplified])
    assert await _found(client, token, "冷氣漏水") == [leak]  # all its pairs, together
    assert await _found(client, token, "空調") == [simplified]  # Simplified text, Traditional query
    assert await _found(client, token, "空调") == [simplified]
    assert await _found(client, token, "ＷｉＦｉ") == [wifi]  # full-width from a Chinese IME
    assert await _found(client, token, "水") == sorted([leak, washer, simplified])

    reply = await client.post(f"/api/tickets/{washer}/messages", json={"body": "樓下住戶反映漏水"},
                              headers=bearer(token))  # fmt: skip
    assert reply.status_code == 201
    assert await _found(client, token, "漏水") == sorted([leak, washer, simplified])  # messages count
    renamed = await client.patch(f"/api/tickets/{leak}", json={"subject": "冷氣不冷"}, headers=bearer(token))
    assert renamed.status_code == 200
    assert await _found(client, token, "漏水") == sorted([washer, simplified])  # the old subject is gone

    empty = await client.get("/api/tickets/search", params={"q": "!!!"}, headers=bearer(token))
    assert empty.status_code == 422 and empty.json()["field"] == "q"


async def test_tickets_written_before_the_index_are_filled_in(
    client: AsyncTestClient[Any], sessions: async_sessionmaker[AsyncSession]
) -> None:
    _, token = await make_user(sessions, "agent")
    old = await _ticket(client, token, "熱水器不熱")
    async with sessions() as session, session.begin():
        await session.execute(update(Ticket).values(search_terms=None))  # as after the migration
    assert await _found(client, token, "熱水") == []
    reported: list[int] = []

    async def report(total: int) -> None:
        reported.append(total)

    async with sessions() as session, session.begin():
        assert await search_index.index_missing(session, batch=1, after_batch=report) == 1
    assert reported == [1] and await _found(client, token, "熱水") == [old]


async def test_the_views_page_searches_within_the_view(
    client: AsyncTestClient[Any], sessions: async_sessionmaker[AsyncSession]
) -> None:
    _, token = await make_user(sessions, "agent", "alice", password="correct horse battery")
    found = await _ticket(client, token, "冷氣漏水了")
    await _ticket(client, token, "洗衣機不脫水")
    await client.post("/api/auth/login", json={"username": "alice", "password": "correct horse battery"})
    page = await client.get("/desk/tickets", params={"view": "all", "q": "漏水"})
    assert page.status_code == 200
    assert page.text.count('data-testid="ticket-row"') == 1 and f'data-ticket="{found}"' in page.text
