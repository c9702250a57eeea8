"""Role guards. Every route handler carries exactly one of these; a test walks the route table to prove it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from litestar.connection import ASGIConnection
from litestar.enums import ScopeType
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException, WebSocketException
from litestar.handlers.base import BaseRouteHandler

from contact_center.auth.schemas import CurrentUser
from contact_center.models import Role

# Async on purpose: Litestar runs a plain function guard in a worker thread, a hop on every request.
Guard = Callable[[ASGIConnection[Any, Any, Any, Any], BaseRouteHandler], Awaitable[None]]

STAFF = (Role.ADMIN, Role.SUPERVISOR, Role.AGENT, Role.QA)
DESK = (Role.ADMIN, Role.SUPERVISOR, Role.AGENT)


def current_user(connection: ASGIConnection[Any, Any, Any, Any]) -> CurrentUser | None:
    user = connection.scope.get("user")
    return user if isinstance(user, CurrentUser) else None


def requires(*roles: Role) -> Guard:
    """Only signed-in users holding one of `roles`: 401 when anonymous, 403 for any other role."""
    allowed = frozenset(roles)

    async def guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
        user = current_user(connection)
        websocket = connection.scope["type"] == ScopeType.WEBSOCKET
        if user is None:
            # A websocket has no status line: the refusal is its close code, 4000 + the HTTP status.
            if websocket:
                raise WebSocketException(detail="sign in or send a bearer token", code=4401)
            raise NotAuthorizedException("sign in or send a bearer token")
        if user.role not in allowed:
            if websocket:
                raise WebSocketException(detail="your role may not do this", code=4403)
            raise PermissionDeniedException("your role may not do this")

    guard.allowed_roles = allowed  # type: ignore[attr-defined]
    return guard


async def public(_: ASGIConnection[Any, Any, Any, Any], __: BaseRouteHandler) -> None:
    """Open to anyone: declared, so a forgotten guard is never mistaken for a public route."""


public.allowed_roles = None  # type: ignore[attr-defined]
