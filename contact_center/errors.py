"""One error family: each error carries the HTTP status it maps to, so no expected failure is a 500."""

from __future__ import annotations

import re

# "title: 1-300 characters", "kind must be one of …", "rules.tiers[0]: …": the input field a message is about.
_FIELD = re.compile(r"^(?:rules\.)?([a-z_]+)(?:\[\d+\])?(?::| must | cannot )")


class DomainError(Exception):
    """`message` is an English template; `params` fill it (`str.format`). The template, not the filled
    text, is what the error catalogs translate (`contact_center/messages.py`), so a message with a
    customer's number in it is still found."""

    status_code = 400
    code = "bad_request"

    def __init__(self, message: str, *, detail: object | None = None, **params: object) -> None:
        self.template = message
        self.params = params
        self.message = message.format(**params) if params else message
        super().__init__(self.message)
        self.detail = detail

    @property
    def field(self) -> str | None:
        """The input field the message names, for forms to mark it whatever the language shown."""
        found = _FIELD.match(self.message)
        return found.group(1) if found else None


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
