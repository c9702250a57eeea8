"""A public reply on a ticket the customer wrote by e-mail goes back by e-mail through a real SMTP
server (aiosmtpd recording what it is handed): threaded to the customer's message, tagged with the
ticket; the customer's answer to it threads back; a refusal fails the message with the server's words,
an unreachable server is tried again later; our own message coming back starts nothing."""

from __future__ import annotations

import asyncio
import email
import smtplib
from email.message import EmailMessage
from email.policy import default
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from contact_center import clock
from contact_center.mail import outbound, smtp
from contact_center.models import InboundMail, Ticket, TicketMessage
from contact_center.settings import Settings
from tests.builders import bearer, make_user

SUPPORT = "support@cc.example"


class Recorder:
    """An SMTP server's mailbox: what our app sent, as the server received it."""

    def __init__(self) -> None:
        self.received: list[tuple[list[str], EmailMessage]] = []
        self.refuse: str | None = None

    async def handle_RCPT(self, server: SMTP, session: Session, envelope: Envelope, address: str,
                          options: list[str]) -> str:  # fmt: skip
        if self.refuse:
            return self.refuse
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        message = email.message_from_bytes(envelope.original_content or b"", policy=default)
        self.received.append((list(envelope.rcpt_tos), message))  # type: ignore[arg-type]
        return "250 OK"


@pytest.fixture
def smtp_server(unused_tcp_port_factory: Any) -> Any:
    recorder = Recorder()
    controller = Controller(recorder, hostname="127.0.0.1", port=unused_tcp_port_factory())
    controller.start()
    yield recorder, controller.port
    controller.stop()


@pytest.fixture
async def inbox(sessions: async_sessionmaker[AsyncSession], unused_tcp_port: int, settings: Settings) -> Any:
    """Our SMTP receiver, for what customers send: (the inbox, its port)."""
    server, receiver = await smtp.listen(sessions, frozenset({SUPPORT}), "127.0.0.1", unused_tcp_port, 1_000_000,
                                         settings.var_dir)  # fmt: skip
    yield receiver, unused_tcp_port
    server.close()
    await server.wait_closed()
    await receiver.drain()


async def _deliver(port: int, message: EmailMessage) -> None:
    def send() -> None:
        with smtplib.SMTP("127.0.0.1", port, timeout=10) as client:
            client.send_message(message, to_addrs=[SUPPORT])

    await asyncio.to_thread(send)


def _mail(sender: str, subject: str, body: str, **headers: str) -> EmailMessage:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = sender, SUPPORT, subject
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content(body)
    return message


async def test_a_reply_goes_out_threaded_and_the_customers_answer_comes_back_into_the_ticket(
    sessions: async_sessionmaker[AsyncSession], client: Any, smtp_server: Any, inbox: Any
) -> None:
    recorder, smtp_port = smtp_server
    receiver, port = inbox
    _, agent = await make_user(sessions, "agent", "alice")
    first = _mail("林美華 <mh@customer.example>", "冷氣漏水", "一直滴水", Message_ID="<first@customer.example>")
    await _deliver(port, first)
    await receiver.drain()
    async with sessions() as session:
        ticket = (await session.execute(select(Ticket))).scalar_one()
    reply = await client.post(f"/api/tickets/{ticket.id}/messages", json={"body": "明天上午十點到府"},
                              headers=bearer(agent))  # fmt: skip
    assert reply.status_code == 201, reply.text
    assert reply.json()["channel"] == "email" and reply.json()["delivery"] == "queued"
    note = await client.post(f"/api/tickets/{ticket.id}/messages", json={"body": "內部", "internal": True},
                             headers=bearer(agent))  # fmt: skip
    assert note.json()["delivery"] is None  # an internal note never leaves

    mail = outbound.configured(f"smtp://127.0.0.1:{smtp_port}", "客服中心 <support@cc.example>", frozenset())
    assert mail is not None
    assert await outbound.send_due(sessions, *mail) == {"sent": 1, "retrying": 0, "failed": 0}
    ((to, sent),) = recorder.received
    assert to == ["mh@customer.example"] and sent["In-Reply-To"] == "<first@customer.example>"
    assert sent["Subject"] == f"Re: 冷氣漏水 [#{ticket.id}]" and sent.get_content().strip() == "明天上午十點到府"
    assert sent["From"] == "客服中心 <support@cc.example>" and sent["Message-ID"].endswith(".cc@cc.example>")
    messages = (await client.get(f"/api/tickets/{ticket.id}/messages", headers=bearer(agent))).json()
    ours = next(m for m in messages if m["body"] == "明天上午十點到府")
    assert ours["delivery"] == "sent" and f"<{ours['message_id']}>" == sent["Message-ID"]
    assert await outbound.send_due(sessions, *mail) == {"sent": 0, "retrying": 0, "failed": 0}  # once

    # The customer answers our message; and our own message bounced back by a loop starts nothing.
    answer = _mail("mh@customer.example", f"Re: 冷氣漏水 [#{ticket.id}]", "好的，謝謝",
                   In_Reply_To=sent["Message-ID"])  # fmt: skip
    await _deliver(port, answer)
    await _deliver(port, sent)
    await receiver.drain()
    async with sessions() as session:
        outcomes = [(e.outcome, e.ticket_id) for e in (await session.execute(select(InboundMail).order_by(InboundMail.id))).scalars()]  # fmt: skip
        count = len((await session.execute(select(Ticket))).scalars().all())
    assert outcomes == [("ticket", ticket.id), ("reply", ticket.id), ("own", None)] and count == 1


async def test_a_refused_reply_fails_with_the_servers_words_and_an_unreachable_server_is_tried_again(
    sessions: async_sessionmaker[AsyncSession],
    client: Any,
    smtp_server: Any,
    inbox: Any,
    unused_tcp_port_factory: Any,
) -> None:
    recorder, smtp_port = smtp_server
    receiver, port = inbox
    _, agent = await make_user(sessions, "agent", "alice")
    await _deliver(port, _mail("gone@customer.example", "退貨", "想退貨"))
    await receiver.drain()
    async with sessions() as session:
        ticket = (await session.execute(select(Ticket))).scalar_one()
    for body in ("第一封", "第二封"):
        response = await client.post(f"/api/tickets/{ticket.id}/messages", json={"body": body}, headers=bearer(agent))
        assert response.status_code == 201

    closed = unused_tcp_port_factory()  # nobody listens there
    nowhere = outbound.configured(f"smtp://127.0.0.1:{closed}", SUPPORT, frozenset())
    assert nowhere is not None
    assert await outbound.send_due(sessions, *nowhere) == {"sent": 0, "retrying": 2, "failed": 0}
    async with sessions() as session:
        waiting = (
            (await session.execute(select(TicketMessage).where(TicketMessage.delivery == "retrying"))).scalars().all()
        )
    assert all(m.next_attempt_at is not None and m.next_attempt_at > clock.now() for m in waiting)
    assert await outbound.send_due(sessions, *nowhere) == {"sent": 0, "retrying": 0, "failed": 0}  # not due yet

    async with sessions() as session, session.begin():
        for message in (
            await session.execute(select(TicketMessage).where(TicketMessage.delivery == "retrying"))
        ).scalars():
            message.next_attempt_at = clock.now()
    recorder.refuse = "550 5.1.1 <gone@customer.example>: no such user"
    mail = outbound.configured(f"smtp://127.0.0.1:{smtp_port}", SUPPORT, frozenset())
    assert mail is not None
    assert await outbound.send_due(sessions, *mail) == {"sent": 0, "retrying": 0, "failed": 2}
    messages = (await client.get(f"/api/tickets/{ticket.id}/messages", headers=bearer(agent))).json()
    assert [m["delivery"] for m in messages if m["direction"] == "out"] == ["failed", "failed"]
    async with sessions() as session:
        failed = (
            (await session.execute(select(TicketMessage).where(TicketMessage.delivery == "failed"))).scalars().all()
        )
    assert all("no such user" in (m.delivery_error or "") for m in failed) and recorder.received == []
