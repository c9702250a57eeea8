"""Sign-in and sign-out for the REST API (JSON); the pages use the same session cookie."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from sqlalchemy.ext.asyncio import AsyncSession

from contact_center.auth import service as auth_service
from contact_center.auth import two_factor
from contact_center.auth.guards import STAFF, current_user, public, requires
from contact_center.auth.middleware import end_session, start_session
from contact_center.auth.schemas import CurrentUser, LoginRequest, OtpCode, RecoveryCodes
from contact_center.auth.throttle import client_address
from contact_center.models import Role


def second_factor(request: Request[Any, Any, Any]) -> auth_service.SecondFactor:
    settings = request.app.state.settings
    return auth_service.SecondFactor(settings.secret_key, settings.require_2fa_roles)


def caller_address(request: Request[Any, Any, Any]) -> str:
    """Who is asking, for throttling: X-Forwarded-For only from a configured proxy."""
    peer = request.client.host if request.client else None
    return client_address(peer, request.headers.get("x-forwarded-for"), request.app.state.settings.trusted_proxies)


class AuthController(Controller):
    path = "/api/auth"
    tags = ["auth"]

    @post("/login", guards=[public])
    async def login(self, request: Request[Any, Any, Any], db_session: AsyncSession, data: LoginRequest) -> CurrentUser:
        """Checks a username and password and starts a session (cookie)."""
        user = await auth_service.sign_in(db_session, request.app.state.login_throttle, data.username,
                                          data.password, caller_address(request), data.otp,
                                          second_factor(request))  # fmt: skip
        start_session(request, user.id)
        return user

    @post("/logout", guards=[public], status_code=204)
    async def logout(self, request: Request[Any, Any, Any]) -> None:
        """Ends the session, on the server too: the old cookie is refused from now on."""
        await end_session(request)

    @post("/2fa/setup", guards=[requires(*STAFF)], status_code=200)
    async def two_factor_setup(self, request: Request[Any, Any, Any], db_session: AsyncSession) -> two_factor.Setup:
        """A new TOTP secret for the signed-in user (as text and as an otpauth URI); on once confirmed."""
        user = current_user(request)
        assert user is not None
        return await two_factor.begin(db_session, user.id, request.app.state.settings.secret_key)

    @post("/2fa/confirm", guards=[requires(*STAFF)], status_code=200)
    async def two_factor_confirm(
        self, request: Request[Any, Any, Any], db_session: AsyncSession, data: OtpCode
    ) -> RecoveryCodes:
        """Turns two-factor sign-in on with a first code; answers the recovery codes, shown only now."""
        user = current_user(request)
        assert user is not None
        codes = await two_factor.confirm(db_session, user.id, data.code, request.app.state.settings.secret_key)
        return RecoveryCodes(recovery_codes=codes)

    @get("/me", guards=[requires(*STAFF, Role.CUSTOMER)])
    async def me(self, request: Request[Any, Any, Any]) -> CurrentUser:
        """The signed-in user."""
        user = current_user(request)
        assert user is not None
        return user


class AccessController(Controller):
    """Who may get in: tokens and accounts, for admins."""

    path = "/api/admin"
    tags = ["auth"]
    guards = [requires(Role.ADMIN)]

    @get("/tokens")
    async def tokens(self, db_session: AsyncSession) -> list[auth_service.TokenInfo]:
        """Every token issued (API and CTI), revoked ones included; never the token itself."""
        return await auth_service.list_tokens(db_session)

    @post("/tokens/{token_id:int}/revoke", status_code=200)
    async def revoke(
        self, request: Request[Any, Any, Any], db_session: AsyncSession, token_id: int
    ) -> auth_service.TokenInfo:
        """Revokes a token: refused by this instance at once, by the others within 10 s."""
        revoked = await auth_service.revoke_token(db_session, token_id)
        request.app.state.token_cache.forget_all()
        return revoked

    @post("/users/{user_id:int}/deactivate", status_code=200)
    async def deactivate(self, request: Request[Any, Any, Any], db_session: AsyncSession, user_id: int) -> CurrentUser:
        """Deactivates an account: its password, sessions and tokens open nothing from now on."""
        user = await auth_service.set_active(db_session, user_id, False)
        request.app.state.token_cache.forget_all()
        return user

    @post("/users/{user_id:int}/activate", status_code=200)
    async def activate(self, db_session: AsyncSession, user_id: int) -> CurrentUser:
        """Lets a deactivated account in again (its old sessions stay ended)."""
        return await auth_service.set_active(db_session, user_id, True)
