"""One error family: each error carries the HTTP status it maps to, so no expected failure is a 500."""

from __future__ import annotations


class DomainError(Exception):
    status_code = 400
    code = "bad_request"

    def __init__(self, message: str, *, detail: object | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.detail = detail


class ValidationFailed(DomainError):
    status_code = 422
    code = "validation_failed"


class NotAuthenticated(DomainError):
    status_code = 401
    code = "not_authenticated"


class PermissionDenied(DomainError):
    status_code = 403
    code = "permission_denied"


class NotFound(DomainError):
    status_code = 404
    code = "not_found"


class Conflict(DomainError):
    status_code = 409
    code = "conflict"
