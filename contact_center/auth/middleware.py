"""Who is calling: a bearer token, a `?token=` on websockets (browsers cannot set headers there),
or the signed session cookie of a signed-in browser. Anonymous otherwise; the guards decide."""

from __future__ import annotations

import time
from typing import Any

from litestar import Request
from litestar.connection import ASGIConnection
from litestar.enums import ScopeType
from litestar.middleware import AbstractAuthenticationMiddleware, AuthenticationResult, DefineMiddleware
from litestar.middleware.session import base as litestar_session
from litestar.middleware.session.client_side import ClientSideSessionBackend, CookieBackendConfig
from litestar.types import Receive, Scope, Send
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from contact_center.auth import service as auth_service
from contact_center.auth.origin import COOKIE
from contact_center.auth.schemas import CurrentUser

SESSION_USER_KEY = "uid"
SESSION_ISSUED_KEY = "iat"


def start_session(request: Request[Any, Any, Any], user_id: int) -> None:
    """The signed-in browser's cookie: who, and since when (so signing out can end it on the server)."""
    request.set_session({SESSION_USER_KEY: user_id, SESSION_ISSUED_KEY: time.time()})


def session_user_id(request: Request[Any, Any, Any]) -> int | None:
    raw = request.session.get(SESSION_USER_KEY) if "session" in request.scope else None
    return raw if isinstance(raw, int) else None


async def end_session(request: Request[Any, Any, Any]) -> None:
    """Signs the browser out: the cookie is cleared, and refused on the server should a copy be replayed."""
    user_id = session_user_id(request)
    if user_id is not None:
        async with request.app.state.session_factory() as session, session.begin():
            await auth_service.end_sessions(session, user_id)
    request.clear_session()


TOKEN_CACHE_SECONDS = 10.0
TOKEN_CACHE_SIZE = 10_000


class TokenCache:
    """Bearer token → user for a few seconds, so a bridge or a script calling many times a second
    costs one database round trip per token per interval, not one per request. A revoked token or a
    deactivated user is refused at the latest `TOKEN_CACHE_SECONDS` later."""

    def __init__(self, ttl: float = TOKEN_CACHE_SECONDS, size: int = TOKEN_CACHE_SIZE) -> None:
        self._ttl = ttl
        self._size = size
        self._entries: dict[str, tuple[float, CurrentUser]] = {}

    def get(self, token: str) -> CurrentUser | None:
        entry = self._entries.get(token)
        if entry is None or entry[0] < time.monotonic():
            return None
        return entry[1]

    def forget_all(self) -> None:
        """After a revocation here: this process refuses the token at once (others within the TTL)."""
        self._entries.clear()

    def put(self, token: str, user: CurrentUser) -> None:
        if len(self._entries) >= self._size:
            self._entries.clear()
        self._entries[token] = (time.monotonic() + self._ttl, user)


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
    tokens: TokenCache,
) -> CurrentUser | None:
    token = _bearer(connection)
    user_id, issued = None, 0.0
    if token is None and "session" in connection.scope:
        raw = connection.session.get(SESSION_USER_KEY)
        user_id = raw if isinstance(raw, int) else None
        stamp = connection.session.get(SESSION_ISSUED_KEY)
        issued = float(stamp) if isinstance(stamp, int | float) else 0.0
    if token is None and user_id is None:
        return None
    if token is not None and (cached := tokens.get(token)):
        return cached
    async with sessions() as session:
        if token is None:
            assert user_id is not None
            return await auth_service.current_user_by_id(session, user_id, issued)
        user = await auth_service.authenticate_token(session, token)
    if user is not None:  # unknown tokens are not cached: a forged-token flood must not evict real ones
        tokens.put(token, user)
    return user


class AuthMiddleware(AbstractAuthenticationMiddleware):
    async def authenticate_request(self, connection: ASGIConnection[Any, Any, Any, Any]) -> AuthenticationResult:
        state = connection.app.state
        user = await resolve_user(connection, state.session_factory, state.token_cache)
        # How: the cross-origin check applies to what the browser's cookie authenticated, not to tokens.
        how = None if user is None else "token" if _bearer(connection) is not None else COOKIE
        return AuthenticationResult(user=user, auth=how)


class SessionMiddleware(litestar_session.SessionMiddleware[Any]):
    """The cookie session, skipped for a bearer-token call that carries no cookie: scripts, the bridge
    and integrations never have a session, and decrypting and re-signing nothing cost ~10 % of a
    small API request."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == ScopeType.HTTP:
            headers = dict(scope["headers"])
            if b"cookie" not in headers and headers.get(b"authorization", b"")[:7].lower() == b"bearer ":
                await self.app(scope, receive, send)
                return
        await super().__call__(scope, receive, send)


def session_middleware(config: CookieBackendConfig) -> DefineMiddleware:
    return DefineMiddleware(SessionMiddleware, backend=ClientSideSessionBackend(config=config))
