"""The SMTP receiver (`contact-center mail listen`): an MTA hands over mail for the support addresses.

aiosmtpd speaks the protocol. A recipient that is not a support address is refused at RCPT (550), a
message over `MAIL_MAX_BYTES` at DATA (552, by aiosmtpd). A message is acknowledged (250) only once it
is committed to the inbox table: if the database is down the MTA hears 451 and tries again later, so a
message is never lost between the two. Turning it into a ticket follows in the background; messages
still unprocessed when the receiver stopped are processed when it starts again.
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Any

from aiosmtpd.smtp import SMTP, Envelope, Session
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from contact_center.db.failures import describe
from contact_center.mail import inbound
from contact_center.models import InboundMail

log = logging.getLogger(__name__)


class SupportInbox:
    """aiosmtpd's handler: RCPT checks the address, DATA keeps the message and starts its processing."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], addresses: frozenset[str], var_dir: Path) -> None:
        self.sessions = sessions
        self.addresses = addresses
        self.var_dir = var_dir
        self._tasks: set[asyncio.Task[Any]] = set()

    async def handle_RCPT(self, server: SMTP, session: Session, envelope: Envelope, address: str,
                          rcpt_options: list[str]) -> str:  # fmt: skip
        if address.lower() not in self.addresses:
            return "550 5.1.1 no such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        raw = envelope.original_content or b""
        if isinstance(raw, str):
            raw = raw.encode("utf-8", "surrogateescape")
        mail_from = envelope.mail_from if isinstance(envelope.mail_from, str) else None
        try:
            async with self.sessions() as db, db.begin():
                entry = inbound.keep(db, raw, mail_from, list(envelope.rcpt_tos))
                await db.flush()
                entry_id = entry.id
        except Exception as error:  # noqa: BLE001  (the MTA keeps the message and tries again)
            log.warning("mail: could not store a message from %s: %s", mail_from, describe(error))
            return "451 4.3.0 cannot store the message now; try again later"
        task = asyncio.create_task(self.process(entry_id))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return "250 OK"

    async def process(self, entry_id: int) -> inbound.Outcome | None:
        """One inbox entry into its ticket; a failure is recorded on the entry with its reason."""
        try:
            async with self.sessions() as db, db.begin():
                entry = await db.get(InboundMail, entry_id, with_for_update=True)
                if entry is None or entry.outcome != "new":
                    return None
                outcome = await inbound.process(db, entry, self.var_dir)
            log.info("mail: inbox entry %d → %s %s", entry_id, outcome.outcome, outcome.ticket_id or "")
            return outcome
        except Exception as error:
            log.exception("mail: inbox entry %d could not be processed", entry_id)
            async with self.sessions() as db, db.begin():
                entry = await db.get(InboundMail, entry_id)
                if entry is not None:
                    entry.outcome, entry.reason = "failed", describe(error)[:2000]
            return inbound.Outcome("failed", describe(error))

    async def process_pending(self) -> int:
        """The messages kept but not processed before the receiver last stopped."""
        async with self.sessions() as db:
            ids = (await db.execute(select(InboundMail.id).where(InboundMail.outcome == "new")
                                    .order_by(InboundMail.id))).scalars().all()  # fmt: skip
        for entry_id in ids:
            await self.process(entry_id)
        return len(ids)

    async def drain(self) -> None:
        await asyncio.gather(*self._tasks, return_exceptions=True)


async def listen(sessions: async_sessionmaker[AsyncSession], addresses: frozenset[str], host: str, port: int,
                 max_bytes: int, var_dir: Path) -> tuple[asyncio.Server, SupportInbox]:  # fmt: skip
    """Starts the receiver on host:port (in the running loop) and processes what was left pending."""
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every SMTP command at INFO
    handler = SupportInbox(sessions, addresses, var_dir)
    loop = asyncio.get_running_loop()

    def protocol() -> Any:
        return SMTP(handler, data_size_limit=max_bytes, enable_SMTPUTF8=True, decode_data=False,
                    hostname="contact-centre", ident="contact-centre")  # fmt: skip

    server = await loop.create_server(protocol, host, port)
    await handler.process_pending()
    return server, handler
