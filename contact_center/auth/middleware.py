"""Who is calling: a bearer token, a `?token=` on websockets (browsers cannot set headers there),
or the signed session cookie of a signed-in browser. Anonymous otherwise; the guards decide."""

from __future__ import annotations

from typing import Any

from litestar.connection import ASGIConnection
from litestar.enums import ScopeType
from litestar.middleware import AbstractAuthenticationMiddleware, AuthenticationResult
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from contact_center.auth import service as auth_service
from contact_center.auth.schemas import CurrentUser

SESSION_USER_KEY = "uid"


def _bearer(connection: ASGIConnection[Any, Any, Any, Any]) -> str | None:
    header = connection.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    if connection.scope["type"] == ScopeType.WEBSOCKET:
        return connection.query_params.get("token") or None
    return None


async def resolve_user(
    connection: ASGIConnection[Any, Any, Any, Any],
    sessions: async_sessionmaker[AsyncSession],
) -> CurrentUser | None:
    token = _bearer(connection)
    user_id = None
    if token is None and "session" in connection.scope:
        raw = connection.session.get(SESSION_USER_KEY)
        user_id = raw if isinstance(raw, int) else None
    if token is None and user_id is None:
        return None
    async with sessions() as session:
        if token is not None:
            return await auth_service.authenticate_token(session, token)
        assert user_id is not None
        return await auth_service.current_user_by_id(session, user_id)


class AuthMiddleware(AbstractAuthenticationMiddleware):
    async def authenticate_request(self, connection: ASGIConnection[Any, Any, Any, Any]) -> AuthenticationResult:
        sessions = connection.app.state.session_factory
        return AuthenticationResult(user=await resolve_user(connection, sessions), auth=None)
