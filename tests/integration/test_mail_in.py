"""Mail handed over by an MTA through the SMTP receiver (aiosmtpd on loopback, spoken to by smtplib)
becomes tickets and replies: threaded by In-Reply-To and by the subject's tag from the ticket's
customer, never from strangers; customers matched or created by address; auto-replies and bounces start
nothing; the same Message-ID once; other recipients refused; every message kept before the 250."""

from __future__ import annotations

import asyncio
import smtplib
from email.message import EmailMessage
from email.utils import make_msgid
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from contact_center.customers import schemas as customer_schemas
from contact_center.customers import service as customer_service
from contact_center.mail import smtp
from contact_center.models import Customer, InboundMail, Ticket, TicketMessage
from contact_center.settings import Settings

SUPPORT = "support@cc.example"


def _mail(sender: str, subject: str, body: str, **headers: str) -> EmailMessage:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = sender, SUPPORT, subject
    message["Message-ID"] = headers.pop("message_id", make_msgid(domain="customer.example"))
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content(body)
    return message


async def _send(port: int, message: EmailMessage, to: str = SUPPORT) -> None:
    def send() -> None:
        with smtplib.SMTP("127.0.0.1", port, timeout=10) as client:
            client.send_message(message, to_addrs=[to])

    await asyncio.to_thread(send)


@pytest.fixture
async def receiver(
    sessions: async_sessionmaker[AsyncSession], unused_tcp_port: int, settings: Settings
) -> smtp.SupportInbox:
    server, inbox = await smtp.listen(
        sessions, frozenset({SUPPORT}), "127.0.0.1", unused_tcp_port, 2_000_000, settings.var_dir
    )
    inbox.port = unused_tcp_port  # type: ignore[attr-defined]
    yield inbox  # type: ignore[misc]
    server.close()
    await server.wait_closed()
    await inbox.drain()


async def _all(sessions: async_sessionmaker[AsyncSession], model: type) -> list:  # type: ignore[type-arg]
    async with sessions() as session:
        return list((await session.execute(select(model).order_by(model.id))).scalars())


async def test_a_new_mail_opens_a_ticket_for_a_new_customer_and_a_reply_threads_into_it(
    sessions: async_sessionmaker[AsyncSession], receiver: smtp.SupportInbox
) -> None:
    port = receiver.port  # type: ignore[attr-defined]
    first = _mail("林美華 <MeiHua@customer.example>", "冷氣漏水", "客廳冷氣一直漏水，請派人來看。")
    await _send(port, first)
    await receiver.drain()
    (ticket,) = await _all(sessions, Ticket)
    (customer,) = await _all(sessions, Customer)
    assert (ticket.subject, ticket.channel, ticket.customer_id) == ("冷氣漏水", "email", customer.id)
    assert customer.name == "林美華" and customer.emails == ["meihua@customer.example"]

    # The customer answers our reply: In-Reply-To names a message of the ticket.
    reply = _mail("meihua@customer.example", "Re: 冷氣漏水", "明天上午可以。\n\n> 請問何時方便？\n",
                  In_Reply_To=first["Message-ID"], References=first["Message-ID"])  # fmt: skip
    await _send(port, reply)
    # A stranger who types the tag gets a ticket of their own, not a place in this one.
    await _send(port, _mail("stranger@evil.example", f"[#{ticket.id}] hello", "let me in"))
    # The customer who types the tag is threaded.
    await _send(port, _mail("MEIHUA@customer.example", f"[#{ticket.id}] 補充", "型號 RAC-22"))
    await receiver.drain()
    messages = [m for m in await _all(sessions, TicketMessage) if m.ticket_id == ticket.id]
    assert [(m.body, m.direction, m.channel) for m in messages] == [
        ("客廳冷氣一直漏水，請派人來看。", "in", "email"), ("明天上午可以。", "in", "email"), ("型號 RAC-22", "in", "email")
    ]  # fmt: skip
    tickets = await _all(sessions, Ticket)
    assert len(tickets) == 2 and tickets[1].subject == f"[#{ticket.id}] hello"
    assert tickets[1].customer_id != ticket.customer_id
    assert {e.outcome for e in await _all(sessions, InboundMail)} == {"ticket", "reply"}


async def test_noise_starts_nothing_a_repeat_is_stored_once_and_strangers_addresses_are_refused(
    sessions: async_sessionmaker[AsyncSession], receiver: smtp.SupportInbox
) -> None:
    port = receiver.port  # type: ignore[attr-defined]
    await _send(port, _mail("a@customer.example", "Out of office", "I am away", Auto_Submitted="auto-replied"))
    await _send(port, _mail("news@shop.example", "Sale!", "50% off", Precedence="bulk"))
    once = _mail("b@customer.example", "洗衣機", "不脫水", message_id="<same-1@customer.example>")
    await _send(port, once)
    await receiver.drain()
    await _send(port, once)  # the MTA delivers it again
    with pytest.raises(smtplib.SMTPRecipientsRefused) as refused:
        await _send(port, _mail("c@customer.example", "hi", "hi"), to="someone-else@cc.example")
    assert refused.value.recipients["someone-else@cc.example"][0] == 550
    await receiver.drain()
    assert len(await _all(sessions, Ticket)) == 1
    outcomes = [(e.outcome, e.reason) for e in await _all(sessions, InboundMail)]
    assert outcomes[:2] == [("automatic", "Auto-Submitted: auto-replied"), ("automatic", "Precedence: bulk")]
    assert outcomes[2][0] == "ticket" and outcomes[3][0] == "duplicate"


async def test_an_address_shared_by_two_customers_leaves_the_choice_to_the_agent(
    sessions: async_sessionmaker[AsyncSession], receiver: smtp.SupportInbox
) -> None:
    async with sessions() as session, session.begin():
        for name in ("陳爸爸", "陳媽媽"):
            await customer_service.create(
                session, customer_schemas.CustomerCreate(name=name, emails=["home@chen.example"])
            )
    await _send(receiver.port, _mail("home@chen.example", "熱水器", "不熱"))  # type: ignore[attr-defined]
    await receiver.drain()
    (ticket,) = await _all(sessions, Ticket)
    (entry,) = await _all(sessions, InboundMail)
    assert ticket.customer_id is None and "2 customers" in (entry.reason or "")
    assert len(await _all(sessions, Customer)) == 2


async def test_a_message_kept_but_not_processed_when_the_receiver_stopped_is_processed_at_start(
    sessions: async_sessionmaker[AsyncSession], unused_tcp_port: int, settings: Settings
) -> None:
    from contact_center.mail import inbound

    async with sessions() as session, session.begin():
        inbound.keep(session, bytes(_mail("d@customer.example", "冰箱", "不冷")), "d@customer.example", [SUPPORT])
    server, _ = await smtp.listen(
        sessions, frozenset({SUPPORT}), "127.0.0.1", unused_tcp_port, 1_000_000, settings.var_dir
    )
    server.close()
    await server.wait_closed()
    (entry,) = await _all(sessions, InboundMail)
    assert entry.outcome == "ticket" and entry.ticket_id is not None


async def test_too_big_is_refused_and_a_message_with_no_sender_is_kept_with_the_reason(
    sessions: async_sessionmaker[AsyncSession], receiver: smtp.SupportInbox
) -> None:
    port = receiver.port  # type: ignore[attr-defined]
    big = _mail("e@customer.example", "photos", "see attached")
    big.add_attachment(b"\x89PNG" + b"\x00" * 3_000_000, maintype="image", subtype="png", filename="a.png")
    with pytest.raises((smtplib.SMTPSenderRefused, smtplib.SMTPDataError)) as refused:
        await _send(port, big)  # refused at MAIL FROM, from the SIZE the receiver announces
    assert refused.value.smtp_code == 552

    def send_raw() -> None:
        with smtplib.SMTP("127.0.0.1", port, timeout=10) as client:
            client.sendmail("", [SUPPORT], b"Subject: no sender\r\n\r\nwho am I\r\n")

    await asyncio.to_thread(send_raw)
    await receiver.drain()
    (entry,) = await _all(sessions, InboundMail)
    assert entry.outcome == "failed" and entry.reason == "no From address: nobody to answer"
    assert b"who am I" in entry.raw and await _all(sessions, Ticket) == []


async def test_the_ticket_page_shows_the_customers_mail_as_theirs_in_both_languages(
    sessions: async_sessionmaker[AsyncSession], receiver: smtp.SupportInbox, client: Any
) -> None:
    from tests.builders import make_user

    await make_user(sessions, "agent", "alice", password="correct horse battery")
    message = _mail("林美華 <mh@customer.example>", "冷氣漏水", "一直滴水")
    message.add_attachment(b"%PDF-1.4 warranty", maintype="application", subtype="pdf", filename="保固卡.pdf")
    await _send(receiver.port, message)  # type: ignore[attr-defined]
    await receiver.drain()
    (ticket,) = await _all(sessions, Ticket)
    login = {"username": "alice", "password": "correct horse battery"}
    assert (await client.post("/api/auth/login", json=login)).status_code == 201
    for language, heading, channel in (("zh-TW", "客戶來信", "電子郵件"), ("en", "From the customer", "E-mail")):
        page = await client.get(f"/desk/tickets/{ticket.id}", headers={"accept-language": language})
        assert page.status_code == 200
        entry = page.text.split('data-kind="inbound"', 1)[1].split("</li>", 1)[0]
        assert heading in entry and channel in entry and "一直滴水" in entry, entry
        assert 'data-testid="attachment"' in entry and "保固卡.pdf" in entry and 'href="/api/attachments/' in entry


async def test_attachments_are_stored_typed_by_their_bytes_and_served_as_downloads_to_staff_only(
    sessions: async_sessionmaker[AsyncSession], receiver: smtp.SupportInbox, client: Any
) -> None:
    from tests.builders import bearer, make_user

    _, agent = await make_user(sessions, "agent", "alice")
    _, customer = await make_user(sessions, "customer", "mei")
    program = b"MZ\x90\x00" + b"\x00" * 200 + b"This program cannot be run in DOS mode"
    photo = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    message = _mail("f@customer.example", "發票", "附上發票與照片")
    message.add_attachment(program, maintype="application", subtype="pdf", filename="發票.pdf")
    message.add_attachment(photo, maintype="image", subtype="png", filename="../../etc/冷氣.png")
    message.add_attachment(photo, maintype="image", subtype="png", filename="again.png")  # the same bytes
    await _send(receiver.port, message)  # type: ignore[attr-defined]
    await receiver.drain()
    (ticket,) = await _all(sessions, Ticket)
    (first,) = (await client.get(f"/api/tickets/{ticket.id}/messages", headers=bearer(agent))).json()
    files = {f["name"]: f for f in first["attachments"]}
    assert set(files) == {"發票.pdf", "冷氣.png", "again.png"}  # a path in a name is not kept
    assert files["發票.pdf"]["content_type"] == "application/x-msdownload"  # what the bytes are
    assert files["冷氣.png"]["content_type"] == "image/png" and files["冷氣.png"]["size"] == len(photo)
    download = await client.get(f"/api/attachments/{files['發票.pdf']['id']}", headers=bearer(agent))
    assert download.status_code == 200 and download.content == program
    assert download.headers["content-disposition"].startswith("attachment")
    assert download.headers["x-content-type-options"] == "nosniff"
    forbidden = await client.get(f"/api/attachments/{files['發票.pdf']['id']}", headers=bearer(customer))
    assert forbidden.status_code == 403
    missing = await client.get("/api/attachments/999999", headers=bearer(agent))
    assert missing.status_code == 404 and "999999" in missing.json()["message"]
    stored = [p for p in (receiver.var_dir / "attachments").rglob("*") if p.is_file()]
    assert len(stored) == 2  # the same bytes once
