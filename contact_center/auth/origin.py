"""Cross-origin protection for what a browser's cookie authenticates.

A request that changes state (POST, PUT, PATCH, DELETE) or opens a websocket with the session cookie
must come from our own origin. The browser says where a request comes from: `Sec-Fetch-Site` (every
current browser) and `Origin`. Allowed: `Sec-Fetch-Site: same-origin` or `none` (typed in the address
bar), or an `Origin` that is one of ours (APP_URL, TRUSTED_ORIGINS, or the Host the request was sent
to). Refused: another site, and another origin of the same site (a page on `evil.example.com` for
`support.example.com`), which SameSite cookies alone let through. A request with neither header comes
from no browser, so no cookie was sent behind its user's back. Bearer-token calls carry no ambient
credential and are not checked. JSON endpoints also insist on `Content-Type: application/json`: a
form can post `text/plain` across origins without a preflight, JSON cannot.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from litestar.enums import RequestEncodingType, ScopeType
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Receive, Scope, Send

from contact_center.errors import DomainError, PermissionDenied

UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
COOKIE = "cookie"  # the `auth` the authentication middleware records for a cookie session


class UnsupportedMediaType(DomainError):
    status_code = 415
    code = "unsupported_media_type"


def origin_of(url: str) -> str:
    parts = urlsplit(url.strip())
    return f"{parts.scheme}://{parts.netloc}".lower() if parts.scheme and parts.netloc else ""


def _header(scope: Scope, name: bytes) -> str:
    for key, value in scope["headers"]:
        if key == name:
            return str(value.decode("latin-1"))
    return ""


def _ours(scope: Scope, origin: str, trusted: frozenset[str]) -> bool:
    if origin in trusted:
        return True
    host = _header(scope, b"host").lower()
    return bool(host) and urlsplit(origin).netloc == host


def check_origin(scope: Scope, trusted: frozenset[str]) -> None:
    """Raises PermissionDenied for a cookie-authenticated browser request from another origin."""
    site = _header(scope, b"sec-fetch-site").lower()
    origin = _header(scope, b"origin").lower()
    if site in ("same-origin", "none"):
        return
    if origin and origin != "null" and _ours(scope, origin, trusted):
        return
    if not site and not origin:
        return  # not a browser: nobody's cookie rode along
    raise PermissionDenied("cross-origin request refused: {origin} is not this site", origin=origin or site)


def _takes_json(scope: Scope) -> bool:
    handler = scope.get("route_handler")
    signature = getattr(handler, "parsed_fn_signature", None)
    data = signature.parameters.get("data") if signature is not None else None
    if data is None:
        return False
    media = getattr(data.kwarg_definition, "media_type", RequestEncodingType.JSON)
    return bool(media == RequestEncodingType.JSON)


class OriginCheck(ASGIMiddleware):
    def __init__(self, trusted: frozenset[str]) -> None:
        self.trusted = trusted

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        websocket = scope["type"] == ScopeType.WEBSOCKET
        if scope.get("auth") == COOKIE and (websocket or scope.get("method") in UNSAFE):
            check_origin(scope, self.trusted)
        if not websocket and scope.get("method") in UNSAFE and _takes_json(scope):
            content_type = _header(scope, b"content-type").split(";")[0].strip().lower()
            if content_type and content_type != "application/json" and not content_type.endswith("+json"):
                raise UnsupportedMediaType("send JSON with Content-Type: application/json, not {type}",
                                           type=content_type)  # fmt: skip
        await next_app(scope, receive, send)


def trusted_origins(app_url: str, extra: str) -> frozenset[str]:
    return frozenset(o for o in (origin_of(app_url), *(origin_of(x) for x in extra.split(","))) if o)


__all__ = ["OriginCheck", "check_origin", "trusted_origins"]
