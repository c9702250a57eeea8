"""Sign-in: failed attempts throttled per account and per address (in Redis when it is set, so the limit
holds across instances) with a clear 429 and Retry-After; X-Forwarded-For believed only from a
configured proxy; password hashing off the event loop; new passwords held to a policy."""

from __future__ import annotations

import dataclasses
import threading
import uuid
from typing import Any

import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from contact_center.app import create_app
from contact_center.auth import passwords
from contact_center.auth.throttle import ACCOUNT, ADDRESS, client_address
from contact_center.errors import ValidationFailed
from contact_center.settings import Settings
from tests.builders import make_user

GOOD = "correct horse battery"


@pytest.fixture
async def alice(sessions: async_sessionmaker[AsyncSession]) -> None:
    await make_user(sessions, "agent", "alice", extension="1001", password=GOOD)


async def _login(client: AsyncTestClient[Any], password: str, username: str = "alice", **headers: str) -> Any:
    return await client.post("/api/auth/login", json={"username": username, "password": password}, headers=headers)


async def test_wrong_passwords_lock_the_account_for_a_while_even_for_the_right_one(
    client: AsyncTestClient[Any], alice: None
) -> None:
    for _ in range(ACCOUNT.attempts):
        assert (await _login(client, "wrong password")).status_code == 401
    refused = await _login(client, GOOD)
    assert refused.status_code == 429 and refused.json()["error"] == "too_many_attempts"
    assert 0 < int(refused.headers["retry-after"]) <= ACCOUNT.window_seconds


async def test_a_right_password_before_the_limit_clears_the_count(client: AsyncTestClient[Any], alice: None) -> None:
    for _ in range(3):
        for _ in range(ACCOUNT.attempts - 1):
            assert (await _login(client, "wrong password")).status_code == 401
        assert (await _login(client, GOOD)).status_code == 201


async def test_one_address_guessing_many_accounts_is_stopped(client: AsyncTestClient[Any], alice: None) -> None:
    for n in range(ADDRESS.attempts):
        assert (await _login(client, "wrong password", username=f"user{n}")).status_code == 401
    assert (await _login(client, GOOD)).status_code == 429


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
async def test_the_limit_holds_across_instances_through_redis(
    settings: Settings, sessions: async_sessionmaker[AsyncSession]
) -> None:
    await make_user(sessions, "agent", "alice", password=GOOD)
    shared = dataclasses.replace(settings, redis_url="redis://127.0.0.1:6379/0",
                                 channels_prefix=f"t-{uuid.uuid4().hex[:8]}")  # fmt: skip
    async with AsyncTestClient(app=create_app(shared)) as one, AsyncTestClient(app=create_app(shared)) as two:
        for n in range(ACCOUNT.attempts):
            assert (await _login(one if n % 2 else two, "wrong password")).status_code == 401
        assert (await _login(one, GOOD)).status_code == 429
        assert (await _login(two, GOOD)).status_code == 429


def test_x_forwarded_for_is_believed_only_from_a_configured_proxy() -> None:
    assert client_address("203.0.113.9", "10.0.0.1", frozenset()) == "203.0.113.9"
    proxies = frozenset({"10.0.0.2"})
    assert client_address("10.0.0.2", "198.51.100.7", proxies) == "198.51.100.7"
    # The client wrote the leftmost entry itself: the nearest hop not ours is the truth.
    assert client_address("10.0.0.2", "1.2.3.4, 198.51.100.7", proxies) == "198.51.100.7"
    assert client_address("203.0.113.9", "1.2.3.4", proxies) == "203.0.113.9"


async def test_password_hashing_runs_off_the_event_loop(
    client: AsyncTestClient[Any], alice: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    threads: list[str] = []
    real = passwords.verify_password

    def recording(password: str, password_hash: str | None) -> bool:
        threads.append(threading.current_thread().name)
        return real(password, password_hash)

    monkeypatch.setattr(passwords, "verify_password", recording)
    assert (await _login(client, GOOD)).status_code == 201
    assert threads and threading.main_thread().name not in threads


@pytest.mark.parametrize(
    ("password", "why"),
    [("short1", "at least 10"), ("alice-agent", "username"), ("password123", "most used"), ("qwertyuiop", "most used")],
)
def test_new_passwords_are_held_to_the_policy(password: str, why: str) -> None:
    with pytest.raises(ValidationFailed) as refused:
        passwords.check_policy(password, "alice-agent")
    assert why in refused.value.message
    passwords.check_policy("晴天的冷氣 2026 很涼", "alice-agent")  # long, personal, not a list's


async def test_the_portal_refuses_a_common_password(client: AsyncTestClient[Any]) -> None:
    response = await client.post("/api/portal/register", json={
        "username": "mei", "password": "password1234", "name": "林美華", "phone": "0912345678"})  # fmt: skip
    assert response.status_code == 422 and response.json()["field"] == "password"


async def test_signing_out_ends_the_session_on_the_server(client: AsyncTestClient[Any], alice: None) -> None:
    assert (await _login(client, GOOD)).status_code == 201
    stolen = dict(client.cookies)  # a copy of the cookie, as someone looking over the shoulder might keep
    assert (await client.get("/api/auth/me")).status_code == 200
    assert (await client.post("/api/auth/logout")).status_code == 204
    client.cookies.clear()
    client.cookies.update(stolen)
    assert (await client.get("/api/auth/me")).status_code == 401


async def test_admins_list_and_revoke_tokens_and_deactivate_users(
    client: AsyncTestClient[Any], sessions: async_sessionmaker[AsyncSession], admin_headers: dict[str, str]
) -> None:
    from tests.builders import bearer

    bob_id, bob = await make_user(sessions, "agent", "bob", password=GOOD)
    assert (await client.get("/api/auth/me", headers=bearer(bob))).status_code == 200
    tokens = (await client.get("/api/admin/tokens", headers=admin_headers)).json()
    [bobs] = [t for t in tokens if t["username"] == "bob"]
    assert "token" not in bobs and bobs["revoked_at"] is None
    assert (await client.post(f"/api/admin/tokens/{bobs['id']}/revoke", headers=admin_headers)).status_code == 200
    assert (await client.get("/api/auth/me", headers=bearer(bob))).status_code == 401
    assert (await client.get("/api/admin/tokens", headers=bearer(bob))).status_code == 401

    assert (await _login(client, GOOD, username="bob")).status_code == 201
    client.cookies.clear()
    assert (await client.post(f"/api/admin/users/{bob_id}/deactivate", headers=admin_headers)).status_code == 200
    assert (await _login(client, GOOD, username="bob")).status_code == 401
    _, agent_token = await make_user(sessions, "agent", "carol")
    assert (await client.get("/api/admin/tokens", headers=bearer(agent_token))).status_code == 403


async def test_the_session_cookie_is_secure_when_the_setting_says_so(settings: Settings, alice: None) -> None:
    async with AsyncTestClient(app=create_app(dataclasses.replace(settings, secure_cookies=True))) as client:
        response = await _login(client, GOOD)
        assert response.status_code == 201
        cookie = response.headers["set-cookie"].lower()
        assert "secure" in cookie and "httponly" in cookie and "samesite=lax" in cookie


async def test_the_portal_limit_believes_x_forwarded_for_only_from_a_configured_proxy(settings: Settings) -> None:
    async def hits(app_settings: Settings) -> list[int]:
        async with AsyncTestClient(app=create_app(app_settings)) as client:
            return [(await client.get("/api/portal/articles", headers={"X-Forwarded-For": f"198.51.100.{n}"}))
                    .status_code for n in range(125)]  # fmt: skip

    assert 429 in await hits(settings)  # made-up addresses from an unknown peer: one client, limited
    trusted = dataclasses.replace(settings, trusted_proxies=frozenset({"testclient"}))
    assert 429 not in await hits(trusted)  # our proxy says they are 125 different people
