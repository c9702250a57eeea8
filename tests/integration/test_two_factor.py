"""Two-factor sign-in for staff (TOTP, RFC 6238): set up and confirmed with a first code, then asked for at
every sign-in; recovery codes work once; a role that must use it cannot sign in without it; the secret is
stored sealed."""

from __future__ import annotations

import dataclasses
from typing import Any

import pyotp
import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from contact_center.app import create_app
from contact_center.cli import main
from contact_center.models import User
from contact_center.settings import Settings, get_settings
from tests.builders import bearer, make_user

GOOD = "correct horse battery"


async def _login(client: AsyncTestClient[Any], username: str, otp: str | None = None) -> Any:
    body = {"username": username, "password": GOOD, **({"otp": otp} if otp else {})}
    return await client.post("/api/auth/login", json=body)


async def test_set_up_confirm_then_every_sign_in_asks_for_a_code(
    client: AsyncTestClient[Any], sessions: async_sessionmaker[AsyncSession]
) -> None:
    _, token = await make_user(sessions, "supervisor", "sophia", password=GOOD)
    setup = (await client.post("/api/auth/2fa/setup", headers=bearer(token))).json()
    assert setup["uri"].startswith("otpauth://totp/") and "sophia" in setup["uri"]
    assert (await _login(client, "sophia")).status_code == 201  # not on until confirmed
    wrong = await client.post("/api/auth/2fa/confirm", json={"code": "000000"}, headers=bearer(token))
    assert wrong.status_code == 422 and wrong.json()["field"] == "code"
    app = pyotp.TOTP(setup["secret"])
    confirmed = await client.post("/api/auth/2fa/confirm", json={"code": app.now()}, headers=bearer(token))
    codes = confirmed.json()["recovery_codes"]
    assert confirmed.status_code == 200 and len(codes) == 10

    client.cookies.clear()
    asked = await _login(client, "sophia")
    assert asked.status_code == 401 and asked.json()["error"] == "otp_required"
    assert (await _login(client, "sophia", "123456" if app.now() != "123456" else "654321")).status_code == 401
    assert (await _login(client, "sophia", app.now())).status_code == 201
    client.cookies.clear()
    assert (await _login(client, "sophia", codes[0])).status_code == 201  # a recovery code, once
    client.cookies.clear()
    assert (await _login(client, "sophia", codes[0])).status_code == 401
    async with sessions() as session:
        stored = (await session.execute(select(User).where(User.username == "sophia"))).scalar_one()
    assert setup["secret"] not in (stored.totp_secret or "") and codes[1] not in str(stored.recovery_codes)


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
async def test_a_role_that_must_use_it_cannot_sign_in_without_it(
    settings: Settings,
    sessions: async_sessionmaker[AsyncSession],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DATABASE_URL", settings.database.url)
    monkeypatch.setenv("SECRET_KEY", settings.secret_key)
    get_settings.cache_clear()
    await make_user(sessions, "admin", "root", password=GOOD)
    await make_user(sessions, "agent", "alice", password=GOOD)
    strict = dataclasses.replace(settings, require_2fa_roles=frozenset({"admin", "supervisor"}))
    async with AsyncTestClient(app=create_app(strict)) as client:
        refused = await _login(client, "root")
        assert refused.status_code == 403 and "users totp root" in refused.json()["message"]
        assert (await _login(client, "alice")).status_code == 201  # agents are not required to
        client.cookies.clear()
        assert await _cli(["users", "totp", "root"]) == 0
        printed = capsys.readouterr().out
        secret = printed.split("secret")[1].split()[0]
        assert (await _login(client, "root")).json()["error"] == "otp_required"
        assert (await _login(client, "root", pyotp.TOTP(secret).now())).status_code == 201
    get_settings.cache_clear()


async def _cli(argv: list[str]) -> int:
    import asyncio

    return await asyncio.to_thread(main, argv)


async def test_the_sign_in_page_asks_for_the_code(
    client: AsyncTestClient[Any], sessions: async_sessionmaker[AsyncSession]
) -> None:
    _, token = await make_user(sessions, "supervisor", "sophia", password=GOOD)
    setup = (await client.post("/api/auth/2fa/setup", headers=bearer(token))).json()
    await client.post("/api/auth/2fa/confirm", json={"code": pyotp.TOTP(setup["secret"]).now()}, headers=bearer(token))
    page = await client.get("/login")
    csrf = client.cookies.get("cc_csrf") or ""
    form = {"username": "sophia", "password": GOOD, "next": "/wallboard", "_csrf_token": csrf}
    asked = await client.post("/login", data=form, headers={"x-csrftoken": csrf})
    assert asked.status_code == 401 and 'name="otp"' in asked.text and 'value="sophia"' in asked.text
    signed_in = await client.post("/login", data={**form, "otp": pyotp.TOTP(setup["secret"]).now()},
                                  headers={"x-csrftoken": csrf}, follow_redirects=False)  # fmt: skip
    assert signed_in.status_code in (302, 303) and signed_in.headers["location"] == "/wallboard"
    assert page.status_code == 200
