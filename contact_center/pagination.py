"""One page shape for every list endpoint."""

from __future__ import annotations

from typing import Generic, TypeVar

import msgspec

from contact_center.errors import ValidationFailed

T = TypeVar("T")

DEFAULT_LIMIT = 25
MAX_LIMIT = 200


class Page(msgspec.Struct, Generic[T]):
    items: list[T]
    total: int
    limit: int
    offset: int


def check_window(limit: int, offset: int, max_limit: int = MAX_LIMIT) -> None:
    if not 1 <= limit <= max_limit:
        raise ValidationFailed("limit must be between 1 and {max_limit}", max_limit=max_limit)
    if offset < 0:
        raise ValidationFailed("offset must not be negative")
