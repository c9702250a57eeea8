"""Keeps ticket search's terms in step with the text: refreshed in the transaction that changes it (a new
ticket, a subject or description edit, a message, a merge, an import batch); `index_missing` fills in the
tickets written before the index existed."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable

from sqlalchemy.ext.asyncio import AsyncSession

from contact_center.tickets import repository, search_terms

REFRESH_CHUNK = 500


def row_terms(subject: str, description: str) -> str:
    """The terms of a ticket that has no messages yet, as stored."""
    return " ".join(search_terms.terms_of([subject, description]))


async def refresh(session: AsyncSession, ticket_ids: Iterable[int]) -> int:
    """Recomputes the terms of these tickets from their current text; returns how many were indexed."""
    ids = sorted(set(ticket_ids))
    done = 0
    for start in range(0, len(ids), REFRESH_CHUNK):
        chunk = ids[start : start + REFRESH_CHUNK]
        texts = await repository.texts_of(session, chunk)
        rows = [(ticket_id, " ".join(search_terms.terms_of(pieces))) for ticket_id, pieces in texts.items()]
        await repository.write_terms(session, rows)
        done += len(rows)
    return done


async def index_missing(
    session: AsyncSession, batch: int = 2_000, after_batch: Callable[[int], Awaitable[None]] | None = None
) -> int:
    """Indexes every ticket without terms yet, `batch` at a time; `after_batch(total)` may commit and report."""
    total = 0
    while ids := await repository.unindexed(session, batch):
        total += await refresh(session, ids)
        if after_batch:
            await after_batch(total)
    return total
