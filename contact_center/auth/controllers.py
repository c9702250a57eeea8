"""Sign-in and sign-out for the REST API (JSON); the pages use the same session cookie."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from sqlalchemy.ext.asyncio import AsyncSession

from contact_center.auth import service as auth_service
from contact_center.auth.guards import STAFF, current_user, public, requires
from contact_center.auth.middleware import SESSION_USER_KEY
from contact_center.auth.schemas import CurrentUser, LoginRequest
from contact_center.models import Role


class AuthController(Controller):
    path = "/api/auth"
    tags = ["auth"]

    @post("/login", guards=[public])
    async def login(self, request: Request[Any, Any, Any], db_session: AsyncSession, data: LoginRequest) -> CurrentUser:
        """Checks a username and password and starts a session (cookie)."""
        user = await auth_service.authenticate_password(db_session, data.username, data.password)
        request.set_session({SESSION_USER_KEY: user.id})
        return user

    @post("/logout", guards=[public], status_code=204)
    async def logout(self, request: Request[Any, Any, Any]) -> None:
        """Ends the session."""
        request.clear_session()

    @get("/me", guards=[requires(*STAFF, Role.CUSTOMER)])
    async def me(self, request: Request[Any, Any, Any]) -> CurrentUser:
        """The signed-in user."""
        user = current_user(request)
        assert user is not None
        return user
