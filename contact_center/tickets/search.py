"""Full-text ticket search over subject, description and every message, Chinese included.

PostgreSQL keeps the terms (`search_terms.terms`) as a `tsvector` on the ticket with a GIN index; SQLite
keeps them in an FTS5 table that triggers fill from the same column (`search_index` keeps them current)."""

from __future__ import annotations

import msgspec
from sqlalchemy.ext.asyncio import AsyncSession

from contact_center.errors import ValidationFailed
from contact_center.pagination import check_window
from contact_center.tickets import repository, search_terms
from contact_center.tickets import schemas as s
from contact_center.tickets import service as ticket_service


class Hit(msgspec.Struct):
    ticket: s.Ticket
    customer: str | None


class Found(msgspec.Struct):
    """A page of matches; `total` is exact up to 1,000 — beyond, it is 1,001 and `more` is true."""

    items: list[Hit]
    total: int
    more: bool
    limit: int
    offset: int


async def search(session: AsyncSession, query: str, limit: int = 25, offset: int = 0) -> Found:
    """Tickets whose text holds every term of `query`, newest first."""
    check_window(limit, offset)
    wanted = search_terms.query_terms(query)
    if not wanted:
        raise ValidationFailed("q must contain a word or a Chinese character")
    rows, total = await repository.search_terms_page(session, wanted, [], limit, offset)
    items = [Hit(ticket=ticket_service.to_schema(t), customer=name) for t, name, *_ in rows]
    return Found(items=items, total=total, more=total > repository.COUNT_CAP, limit=limit, offset=offset)
