"""Mail out: a public reply on a ticket the customer wrote by e-mail goes back by e-mail.

The reply is stored `queued` with the ticket (`tickets.service.add_message`); `send_due` (every few
seconds, by the worker or the in-process scheduler) sends what is due, each message in three steps: its
Message-ID, threading headers and a lease are committed first (a process that dies while sending leaves
it to be tried again when the lease runs out, with the same Message-ID, so the customer's mail program
shows one message), then SMTP, then the outcome. A temporary failure (4xx, the server unreachable) is
tried again after 1, 5, 15, 60 and 180 minutes; a permanent one (5xx) or the last try marks it failed,
with the server's words, on the conversation.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import secrets
import smtplib
import ssl
from collections.abc import Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, parseaddr
from urllib.parse import unquote, urlsplit

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from contact_center import clock
from contact_center.mail.inbound import OWN_ID_MARK
from contact_center.mail.parse import TICKET_TAG
from contact_center.models import Customer, Ticket, TicketMessage

DUE = ("queued", "retrying")
RETRY_MINUTES = (1, 5, 15, 60, 180)
LEASE = dt.timedelta(minutes=5)
BATCH = 50


@dataclass(frozen=True, slots=True)
class SmtpTarget:
    host: str
    port: int
    security: str  # "starttls" (when offered), "tls", "none"
    user: str | None = None
    password: str | None = None


def smtp_target(url: str) -> SmtpTarget:
    """`smtp://[user:password@]host[:port]` (STARTTLS when the server offers it) or `smtps://…` (TLS)."""
    parts = urlsplit(url)
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise ValueError("SMTP_URL must look like smtp://host:port or smtps://host:port")
    tls = parts.scheme == "smtps"
    return SmtpTarget(host=parts.hostname, port=parts.port or (465 if tls else 25),
                      security="tls" if tls else "starttls", user=unquote(parts.username) if parts.username else None,
                      password=unquote(parts.password) if parts.password else None)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Sender:
    address: str  # the support address replies come from
    name: str = ""

    @property
    def domain(self) -> str:
        return self.address.rsplit("@", 1)[-1]


def configured(
    smtp_url: str | None, mail_from: str | None, addresses: frozenset[str]
) -> tuple[SmtpTarget, Sender] | None:
    """Where and as whom replies go out; None when SMTP_URL or a sending address is missing."""
    name, address = parseaddr(mail_from or "")
    address = address or (sorted(addresses)[0] if addresses else "")
    if not smtp_url or "@" not in address:
        return None
    return smtp_target(smtp_url), Sender(address.lower(), name)


class PermanentFailure(Exception):
    """The server refused the message for good (5xx): trying again would not help."""


def _send(target: SmtpTarget, message: EmailMessage) -> None:
    """Blocking SMTP, run in a thread."""
    context = ssl.create_default_context()
    client: smtplib.SMTP
    if target.security == "tls":
        client = smtplib.SMTP_SSL(target.host, target.port, timeout=30, context=context)
    else:
        client = smtplib.SMTP(target.host, target.port, timeout=30)
    with client:
        client.ehlo()
        if target.security == "starttls" and client.has_extn("starttls"):
            client.starttls(context=context)
            client.ehlo()
        if target.user:
            client.login(target.user, target.password or "")
        try:
            refused = client.send_message(message)
        except smtplib.SMTPRecipientsRefused as error:
            codes = [code for code, _ in error.recipients.values()]
            if all(code >= 500 for code in codes):
                raise PermanentFailure(f"recipient refused: {error.recipients}") from error
            raise
        except smtplib.SMTPResponseException as error:
            if error.smtp_code >= 500:
                raise PermanentFailure(f"{error.smtp_code} {error.smtp_error!r}") from error
            raise
        if refused:
            raise PermanentFailure(f"recipient refused: {refused}")


async def _recipient(session: AsyncSession, ticket: Ticket) -> str | None:
    """Whom to answer: the address the customer last wrote from, else the customer's first address."""
    last = await session.execute(
        select(TicketMessage.sender).where(TicketMessage.ticket_id == ticket.id, TicketMessage.direction == "in",
                                           TicketMessage.sender.is_not(None))
        .order_by(TicketMessage.id.desc()).limit(1)
    )  # fmt: skip
    if (address := last.scalar_one_or_none()) is not None:
        return address
    if ticket.customer_id is None:
        return None
    customer = await session.get(Customer, ticket.customer_id)
    emails = [e for e in (customer.emails if customer else []) if isinstance(e, str) and "@" in e]
    return emails[0] if emails else None


async def _thread(session: AsyncSession, ticket_id: int) -> tuple[str | None, list[str]]:
    """(In-Reply-To, References) for a reply on this ticket: the customer's last message, and the chain."""
    rows = (await session.execute(
        select(TicketMessage.message_id, TicketMessage.direction).where(
            TicketMessage.ticket_id == ticket_id, TicketMessage.message_id.is_not(None)).order_by(TicketMessage.id)
    )).all()  # fmt: skip
    inbound = [m for m, d in rows if d == "in"]
    return (inbound[-1] if inbound else None), [m for m, _ in rows][-20:]


def _subject(ticket: Ticket) -> str:
    subject = ticket.subject if TICKET_TAG.search(ticket.subject) else f"{ticket.subject} [#{ticket.id}]"
    return subject if subject.lower().startswith(("re:", "回覆:", "回覆：")) else f"Re: {subject}"


async def _prepare(session: AsyncSession, message: TicketMessage, sender: Sender) -> EmailMessage | str:
    """The e-mail of a reply, or why there is none (no address to send to)."""
    ticket = await session.get(Ticket, message.ticket_id)
    assert ticket is not None
    to = await _recipient(session, ticket)
    if to is None:
        return "the customer has no e-mail address"
    if message.message_id is None:
        message.message_id = f"t{ticket.id}.m{message.id}.{secrets.token_hex(4)}{OWN_ID_MARK}{sender.domain}"
    in_reply_to, references = await _thread(session, ticket.id)
    mail = EmailMessage()
    mail["From"] = formataddr((sender.name, sender.address)) if sender.name else sender.address
    mail["To"] = to
    mail["Subject"] = _subject(ticket)
    mail["Date"] = format_datetime(message.created_at)
    mail["Message-ID"] = f"<{message.message_id}>"
    if in_reply_to:
        mail["In-Reply-To"] = f"<{in_reply_to}>"
    chain = [r for r in references if r != message.message_id]
    if chain:
        mail["References"] = " ".join(f"<{r}>" for r in chain)
    mail["Auto-Submitted"] = "no"
    mail.set_content(message.body)
    return mail


async def _due(sessions: async_sessionmaker[AsyncSession], now: dt.datetime) -> Sequence[int]:
    async with sessions() as session:
        query = (select(TicketMessage.id).where(TicketMessage.delivery.in_(DUE), TicketMessage.next_attempt_at <= now)
                 .order_by(TicketMessage.id).limit(BATCH))  # fmt: skip
        return (await session.execute(query)).scalars().all()


async def send_due(sessions: async_sessionmaker[AsyncSession], target: SmtpTarget, sender: Sender) -> dict[str, int]:
    """Sends the replies that are due; how many were sent, will be retried, failed."""
    counts = {"sent": 0, "retrying": 0, "failed": 0}
    for message_id in await _due(sessions, clock.now()):
        now = clock.now()
        async with sessions() as session, session.begin():
            message = await session.get(TicketMessage, message_id, with_for_update=True)
            if message is None or message.delivery not in DUE or (message.next_attempt_at or now) > now:
                continue  # another sender took it
            prepared = await _prepare(session, message, sender)
            message.attempts += 1
            if isinstance(prepared, str):
                message.delivery, message.delivery_error, message.next_attempt_at = "failed", prepared, None
                counts["failed"] += 1
                continue
            message.next_attempt_at = now + LEASE  # the lease: tried again if this process dies while sending
            attempts = message.attempts
        try:
            await asyncio.to_thread(_send, target, prepared)
            outcome, error = "sent", None
        except PermanentFailure as refusal:
            outcome, error = "failed", str(refusal)
        except (OSError, smtplib.SMTPException) as problem:
            outcome = "retrying" if attempts <= len(RETRY_MINUTES) else "failed"
            error = f"{type(problem).__name__}: {problem}"
        async with sessions() as session, session.begin():
            message = await session.get(TicketMessage, message_id, with_for_update=True)
            if message is None:
                continue
            message.delivery, message.delivery_error = outcome, (error or "")[:2000] or None
            message.next_attempt_at = (
                clock.now() + dt.timedelta(minutes=RETRY_MINUTES[attempts - 1]) if outcome == "retrying" else None
            )
        counts[outcome] += 1
    return counts
