"""Group commit for the ticket-creation endpoint.

Opening a ticket costs four round trips to the database on its own: BEGIN, the ticket's INSERT, its
history's INSERT, COMMIT. Under load most of a worker's time went to those round trips, not to the
work. `TicketWriter` lets the requests that arrive while one transaction is in flight share the next
one: each ticket is still checked, routed and given its deadlines (`service.prepare`), then the batch
is written by one flush (one INSERT for the tickets, one for their history), routed to agents and
committed once. A caller hears back only after the commit, so a 201 still means the ticket is stored.

At low load a batch is one ticket and nothing waits for company. Checks that fail (an unknown
customer, a taken external id) fail that ticket alone. When the batch's transaction fails (a
constraint hit by a concurrent change), each ticket is written again in a transaction of its own,
so the error reaches the one caller it belongs to and the others are stored.
"""

from __future__ import annotations

import asyncio
import contextvars
import dataclasses
import logging

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from contact_center.errors import DomainError
from contact_center.routing import service as routing_service
from contact_center.tickets import schemas as s
from contact_center.tickets import search_index, service

log = logging.getLogger(__name__)
MAX_BATCH = 64  # bounds one INSERT's size and the wait of the batch's first caller


@dataclasses.dataclass(slots=True)
class _Job:
    data: s.TicketCreate
    actor_id: int | None
    proposal: service.CategoryProposal | None
    done: asyncio.Future[s.Ticket]


class TicketWriter:
    """One per process and database; `create` may be called from any number of requests at once."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], max_batch: int = MAX_BATCH) -> None:
        self._sessions = sessions
        self._max_batch = max_batch
        self._queue: list[_Job] = []
        self._drainer: asyncio.Task[None] | None = None
        self.batches = 0  # how many transactions wrote tickets (for the tests and the benchmark)

    async def create(
        self, data: s.TicketCreate, actor_id: int | None, proposal: service.CategoryProposal | None = None
    ) -> s.Ticket:
        """Opens a ticket as `service.create` does; returns once it is committed."""
        job = _Job(data, actor_id, proposal, asyncio.get_running_loop().create_future())
        self._queue.append(job)
        if self._drainer is None:
            # A context of its own: the batch's log lines must not carry the first caller's request id.
            self._drainer = asyncio.create_task(self._drain(), context=contextvars.Context())
        # A caller that goes away (the client hung up) must not cancel the others' batch.
        return await asyncio.shield(job.done)

    async def _drain(self) -> None:
        try:
            while self._queue:
                batch = self._queue[: self._max_batch]
                del self._queue[: self._max_batch]
                try:
                    await self._write(batch)
                except Exception:  # noqa: BLE001  (any failure: each ticket alone, so none waits forever)
                    for job in batch:
                        if not job.done.done():
                            await self._write_alone(job)
        finally:
            self._drainer = None

    async def _write(self, batch: list[_Job]) -> None:
        async with self._sessions() as session, session.begin():
            prepared = []
            for job in batch:
                try:
                    prepared.append((job, await service.prepare(session, job.data, job.actor_id, job.proposal)))
                except DomainError as exc:  # a check failed: only reads happened, the others go on
                    job.done.set_exception(exc)
            session.add_all(ticket for _, ticket in prepared)
            await session.flush()
            await search_index.refresh(session, [ticket.id for _, ticket in prepared])
            for job, ticket in prepared:
                await routing_service.route(session, ticket, actor_id=job.actor_id)
            results = [(job, service.to_schema(ticket)) for job, ticket in prepared]
        self.batches += 1
        for job, result in results:
            job.done.set_result(result)

    async def _write_alone(self, job: _Job) -> None:
        try:
            await self._write([job])
        except Exception as exc:  # noqa: BLE001  (handed to the caller, whose request reports it)
            if not job.done.done():
                job.done.set_exception(exc)
