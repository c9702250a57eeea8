"""Mail in: each message received is kept as it came (`keep`, committed before the sender is told
"250 OK"), then becomes part of a ticket's conversation (`process`), or is set aside with the reason.

Threading, in order: `In-Reply-To`/`References` naming one of our messages (or an earlier one of the
customer's); then a `[#<ticket>]` tag in the subject, from an address of that ticket's customer; else a
new ticket. A reply to a resolved ticket reopens it; a reply to a closed one starts a new ticket linked
to it. The sender is matched to a customer by address: one match is the ticket's customer, several
leave the ticket for the agent to choose (as the screen-pop does for a shared number), none creates a
customer. Auto-replies, mailing lists, bounces and our own messages coming back never start a ticket
or a reply; a bounce marks the message that bounced as failed. The same Message-ID is used once.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession

from contact_center import attachments
from contact_center.customers import schemas as customer_schemas
from contact_center.customers import service as customer_service
from contact_center.errors import DomainError
from contact_center.mail import repository
from contact_center.mail.parse import Mail, parse
from contact_center.models import InboundMail, TicketMessage
from contact_center.tickets import schemas as ticket_schemas
from contact_center.tickets import service as ticket_service

OWN_ID_MARK = ".cc@"  # our Message-IDs: <t{ticket}.m{message}.{random}.cc@{domain}>
MAX_SUBJECT = 300
MAX_BODY = 20_000
MAX_ATTACHMENTS = 20


@dataclasses.dataclass(frozen=True, slots=True)
class Outcome:
    outcome: str  # ticket (a new one), reply (to an existing one), duplicate, automatic, bounce, own, failed
    reason: str | None = None
    ticket_id: int | None = None


def keep(session: AsyncSession, raw: bytes, envelope_from: str | None, recipients: list[str]) -> InboundMail:
    """The message as received, to be committed before it is acknowledged."""
    message_id = parse_message_id(raw)
    entry = InboundMail(raw=raw, envelope_from=(envelope_from or "")[:320] or None,
                        recipients=",".join(recipients)[:5000], message_id=message_id, outcome="new")  # fmt: skip
    session.add(entry)
    return entry


def parse_message_id(raw: bytes) -> str | None:
    head = raw.split(b"\r\n\r\n", 1)[0].split(b"\n\n", 1)[0][:64_000]
    return parse(head + b"\r\n\r\n").message_id


async def process(session: AsyncSession, entry: InboundMail, var_dir: Path) -> Outcome:
    """What the message becomes; the entry records it. The caller commits. Attachments go to the
    attachment store under `var_dir`."""
    mail = parse(entry.raw)
    outcome = await _route(session, entry, mail, var_dir)
    entry.outcome, entry.reason, entry.ticket_id = outcome.outcome, outcome.reason, outcome.ticket_id
    return outcome


async def _route(session: AsyncSession, entry: InboundMail, mail: Mail, var_dir: Path) -> Outcome:
    if mail.message_id and OWN_ID_MARK in mail.message_id:
        return Outcome("own", "one of our own messages came back")
    if mail.message_id and (earlier := await repository.received_before(session, mail.message_id, entry.id)):
        return Outcome("duplicate", f"Message-ID already received (inbox entry {earlier.id})", earlier.ticket_id)
    if mail.bounced:
        failed = await repository.mark_messages_failed(session, mail.bounced)
        return Outcome("bounce", f"delivery failed for {len(mail.bounced)} message(s), {failed} of ours")
    if mail.automatic:
        return Outcome("automatic", mail.automatic)
    if mail.sender is None:
        return Outcome("failed", "no From address: nobody to answer")
    ticket_id = await repository.ticket_of_messages(session, [*mail.in_reply_to, *mail.references])
    if ticket_id is None and (tag := mail.ticket_tag) is not None:
        ticket_id = await _tagged(session, tag, mail.sender)
    if ticket_id is not None:
        return await _reply(session, ticket_id, mail, var_dir)
    return await _new_ticket(session, mail, None, var_dir)


async def _tagged(session: AsyncSession, ticket_id: int, sender: str) -> int | None:
    """A subject's ticket tag counts only from an address of that ticket's customer: a tag anyone can
    type must not let a stranger write into someone else's ticket."""
    ticket = await repository.ticket(session, ticket_id)
    if ticket is None or ticket.customer_id is None:
        return None
    customers = await repository.customers_with_email(session, sender)
    return ticket.id if any(c.id == ticket.customer_id for c in customers) else None


async def _reply(session: AsyncSession, ticket_id: int, mail: Mail, var_dir: Path) -> Outcome:
    ticket = await repository.ticket(session, ticket_id)
    assert ticket is not None
    if ticket.status == "closed":
        return await _new_ticket(session, mail, ticket.id, var_dir)
    if ticket.status == "resolved":
        await ticket_service.update(session, ticket.id, ticket_schemas.TicketUpdate(status="open"), None)
    await _message(session, ticket.id, mail, var_dir)
    return Outcome("reply", None, ticket.id)


async def _customer(session: AsyncSession, mail: Mail) -> tuple[int | None, str | None]:
    assert mail.sender is not None
    found = await repository.customers_with_email(session, mail.sender)
    if len(found) == 1:
        return found[0].id, None
    if found:
        return None, f"{len(found)} customers have the address {mail.sender}: choose the customer"
    name = (mail.sender_name or mail.sender.split("@")[0]).strip()[:200] or mail.sender
    customer = await customer_service.create(session, customer_schemas.CustomerCreate(name=name, emails=[mail.sender]))
    return customer.id, None


async def _new_ticket(session: AsyncSession, mail: Mail, related_to: int | None, var_dir: Path) -> Outcome:
    customer_id, note = await _customer(session, mail)
    subject = (mail.subject or "").strip()[:MAX_SUBJECT] or "(no subject)"
    data = ticket_schemas.TicketCreate(kind="inquiry", subject=subject, description=mail.text[:MAX_BODY],
                                       customer_id=customer_id, channel="email")  # fmt: skip
    ticket = await ticket_service.create(session, data, None)
    await session.flush()
    await _message(session, ticket.id, mail, var_dir)
    if related_to is not None:
        try:
            link = ticket_schemas.TicketLinkCreate(other_id=related_to, kind="related")
            await ticket_service.link(session, ticket.id, link, None)
        except DomainError:
            pass  # the link is a courtesy: the new ticket stands without it
    reason = note or (f"the reply came after ticket {related_to} was closed" if related_to else None)
    return Outcome("ticket", reason, ticket.id)


async def _message(session: AsyncSession, ticket_id: int, mail: Mail, var_dir: Path) -> None:
    message = TicketMessage(ticket_id=ticket_id, author_id=None, visibility="public",
                            body=(mail.text or mail.full_text or "(no text)")[:MAX_BODY], channel="email",
                            direction="in", message_id=mail.message_id, sender=mail.sender)  # fmt: skip
    session.add(message)
    await session.flush()
    for file in mail.attachments[:MAX_ATTACHMENTS]:
        attachments.add(session, var_dir, ticket_id, message.id, file.filename, file.data, file.declared_type,
                        inline=file.inline)  # fmt: skip
