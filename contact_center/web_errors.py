"""Renders errors: JSON for the API and websockets, a redirect to sign-in for pages."""

from __future__ import annotations

from typing import Any

from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException, NotAuthorizedException, ValidationException
from litestar.response import Redirect
from sqlalchemy.exc import IntegrityError

from contact_center import messages
from contact_center.errors import DomainError


def _wants_page(request: Request[Any, Any, Any]) -> bool:
    path = request.url.path
    return not path.startswith(("/api", "/ws", "/health", "/schema")) and "text/html" in request.headers.get(
        "accept", ""
    )


def _json(
    status: int,
    code: str,
    message: str,
    detail: object = None,
    field: str | None = None,
    headers: dict[str, str] | None = None,
) -> Response[dict[str, object]]:
    body: dict[str, object] = {"error": code, "message": message}
    if detail is not None:
        body["detail"] = detail
    if field is not None:
        body["field"] = field
    return Response(body, status_code=status, media_type=MediaType.JSON, headers=headers)


def _locale(request: Request[Any, Any, Any]) -> str | None:
    return messages.wanted_locale(request.cookies.get(messages.LANG_COOKIE), request.headers.get("accept-language"))


def error_text(request: Request[Any, Any, Any], exc: DomainError) -> str:
    """The error's message in the caller's language: what the API answers and what pages show."""
    return messages.error_message(exc, _locale(request))


def domain_error(request: Request[Any, Any, Any], exc: DomainError) -> Response[dict[str, object]]:
    retry_after = getattr(exc, "retry_after", None)
    headers = {"Retry-After": str(retry_after)} if retry_after is not None else None
    message = error_text(request, exc)
    return _json(exc.status_code, exc.code, message, exc.detail, exc.field, headers=headers)


def not_authorized(request: Request[Any, Any, Any], exc: NotAuthorizedException) -> Response[object]:
    if _wants_page(request):
        return Redirect(f"/login?next={request.url.path}")
    return _json(401, "not_authenticated", messages.translate(exc.detail, _locale(request)))  # type: ignore[return-value]


def integrity_error(request: Request[Any, Any, Any], exc: IntegrityError) -> Response[dict[str, object]]:
    # A unique key lost a race with another request: the caller can retry or pick another value.
    text = "the change conflicts with existing data (duplicate or missing reference)"
    return _json(409, "conflict", messages.translate(text, _locale(request)))


def http_error(request: Request[Any, Any, Any], exc: HTTPException) -> Response[dict[str, object]]:
    code = {400: "bad_request", 403: "permission_denied", 404: "not_found", 405: "method_not_allowed"}
    extra = getattr(exc, "extra", None) or None
    locale = _locale(request)
    if locale == "zh-Hant" and isinstance(exc, ValidationException) and isinstance(extra, list) and extra:
        message = messages.request_problems(extra)
    elif locale == "zh-Hant" and (isinstance(exc, ValidationException) or exc.detail.startswith("JSON is malformed")):
        message = "送出的資料有誤：" + exc.detail
    else:
        message = messages.translate(exc.detail, locale)
    # 405 keeps Litestar's `Allow` header (and any other header an exception carries, e.g. Retry-After).
    return _json(exc.status_code, code.get(exc.status_code, "error"), message, extra, headers=exc.headers)


EXCEPTION_HANDLERS = {
    DomainError: domain_error,
    NotAuthorizedException: not_authorized,
    IntegrityError: integrity_error,
    HTTPException: http_error,
}
