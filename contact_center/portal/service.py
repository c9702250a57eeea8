"""What a signed-in customer may do, always within their own customer record.

Every query here is filtered by the customer's id *and* the object's id: a ticket of another
customer is "not found", never "forbidden" (which would confirm that it exists).

Registration links the new account to an existing customer record only with proof: the phone
number on file *and* one of that customer's ticket numbers (or their customer number), which only the
customer has from our messages. Without a match a new customer record is opened.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac

import msgspec
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from contact_center import clock, phones
from contact_center.auth import service as auth_service
from contact_center.auth.passwords import check_policy
from contact_center.bounded import Id, Int32, LongText, Text32, Text64, Text200, Text255, Text300, Text2000
from contact_center.customers import repository as customer_repository
from contact_center.customers.service import normalise_phones
from contact_center.errors import Conflict, NotFound, ValidationFailed
from contact_center.models import Asset, Customer, Role, Ticket, TicketEvent, TicketMessage, User
from contact_center.tickets import schemas as ts
from contact_center.tickets import service as ticket_service
from contact_center.tickets.workflow import can_move

PORTAL_KINDS = ("repair", "inquiry", "complaint", "billing", "installation")
CSAT_LINK_DAYS = 14
REOPEN_DAYS = 14  # a reply within this many days of the resolution reopens the ticket


class Registration(msgspec.Struct, forbid_unknown_fields=True):
    username: Text64
    password: Text255
    name: Text200
    phone: Text64
    email: Text255 | None = None
    # Proof for linking to the customer record we already have: a ticket number or customer number.
    reference: Text64 | None = None


class PortalTicket(msgspec.Struct):
    id: int
    external_id: str | None
    kind: str
    status: str
    subject: str
    description: str
    created_at: dt.datetime
    updated_at: dt.datetime
    asset_id: int | None
    product_model: str | None
    resolved_at: dt.datetime | None
    satisfaction: int | None
    can_rate: bool


class PortalMessage(msgspec.Struct):
    id: int
    body: str
    created_at: dt.datetime
    from_customer: bool


class PortalTicketDetail(msgspec.Struct):
    ticket: PortalTicket
    messages: list[PortalMessage]


class PortalAsset(msgspec.Struct):
    id: int
    product_model: str
    product_name: str | None
    serial: str | None
    warranty_until: dt.date | None


class NewTicket(msgspec.Struct, forbid_unknown_fields=True):
    kind: Text32
    subject: Text300
    description: LongText = ""
    asset_id: Id | None = None


class Reply(msgspec.Struct, forbid_unknown_fields=True):
    body: LongText


class Rating(msgspec.Struct, forbid_unknown_fields=True):
    score: Int32
    comment: Text2000 = ""


# -- registration -----------------------------------------------------------------------------


async def _linked_customer(session: AsyncSession, e164: str, reference: str | None) -> Customer | None:
    if not reference or not reference.strip():
        return None
    reference = reference.strip()
    candidates = {c.id for c in await customer_repository.identity_rows(session, e164)}
    if not candidates:
        return None
    by_ticket = select(Ticket.customer_id).where(Ticket.external_id == reference, Ticket.customer_id.in_(candidates))
    by_customer = select(Customer.id).where(Customer.external_id == reference, Customer.id.in_(candidates))
    found = (await session.execute(by_ticket)).scalar() or (await session.execute(by_customer)).scalar()
    if found is None:
        return None
    taken = await session.execute(select(User.id).where(User.customer_id == found, User.role == Role.CUSTOMER))
    if taken.first() is not None:
        raise Conflict("this customer already has a portal account: sign in, or ask us to reset it")
    return await session.get(Customer, found)


async def register(session: AsyncSession, data: Registration) -> User:
    """A customer account, linked to their existing record when they prove it is theirs."""
    name = data.name.strip()
    if not name or len(name) > 100:
        raise ValidationFailed("name: 1-100 characters")
    e164 = phones.to_e164(data.phone)
    if e164 is None:
        raise ValidationFailed("phone: not a valid phone number")
    check_policy(data.password, data.username)
    customer = await _linked_customer(session, e164, data.reference)
    if customer is None:
        customer = Customer(name=name, emails=[data.email] if data.email else [], important_dates=[], extra={},
                            value_tier="standard", customer_since=clock.today())  # fmt: skip
        customer.phones = normalise_phones([data.phone])
        session.add(customer)
        await session.flush()
    return await auth_service.add_user(session, data.username, Role.CUSTOMER, display_name=name,
                                       password=data.password, customer_id=customer.id)  # fmt: skip


# -- tickets ----------------------------------------------------------------------------------


def _can_rate(t: Ticket) -> bool:
    return t.status in ("resolved", "closed") and t.satisfaction is None


def _ticket(t: Ticket, product_model: str | None) -> PortalTicket:
    return PortalTicket(id=t.id, external_id=t.external_id, kind=t.kind, status=t.status, subject=t.subject,
                        description=t.description, created_at=t.created_at, updated_at=t.updated_at,
                        asset_id=t.asset_id, product_model=product_model, resolved_at=t.resolved_at,
                        satisfaction=t.satisfaction, can_rate=_can_rate(t))  # fmt: skip


async def _own_ticket(session: AsyncSession, customer_id: int, ticket_id: int, *, lock: bool = False) -> Ticket:
    query = select(Ticket).where(Ticket.id == ticket_id, Ticket.customer_id == customer_id)
    ticket = (await session.execute(query.with_for_update() if lock else query)).scalar()
    if ticket is None:
        raise NotFound("no ticket {ticket_id}", ticket_id=ticket_id)
    return ticket


async def tickets(session: AsyncSession, customer_id: int, limit: int = 50, offset: int = 0) -> list[PortalTicket]:
    query = (
        select(Ticket, Asset.product_model)
        .outerjoin(Asset, Asset.id == Ticket.asset_id)
        .where(Ticket.customer_id == customer_id)
        .order_by(Ticket.created_at.desc(), Ticket.id.desc())
        .limit(min(max(limit, 1), 200))
        .offset(max(offset, 0))
    )
    return [_ticket(t, model) for t, model in (await session.execute(query)).all()]


async def ticket(session: AsyncSession, customer_id: int, ticket_id: int) -> PortalTicketDetail:
    found = await _own_ticket(session, customer_id, ticket_id)
    model = (await session.execute(select(Asset.product_model).where(Asset.id == found.asset_id))).scalar()
    rows = await session.execute(
        select(TicketMessage, User.role)
        .outerjoin(User, User.id == TicketMessage.author_id)
        .where(TicketMessage.ticket_id == found.id, TicketMessage.visibility == "public")  # never internal notes
        .order_by(TicketMessage.created_at, TicketMessage.id)
    )
    messages = [PortalMessage(id=m.id, body=m.body, created_at=m.created_at, from_customer=role == Role.CUSTOMER)
                for m, role in rows.all()]  # fmt: skip
    return PortalTicketDetail(ticket=_ticket(found, model), messages=messages)


async def assets(session: AsyncSession, customer_id: int) -> list[PortalAsset]:
    rows = await session.execute(select(Asset).where(Asset.customer_id == customer_id).order_by(Asset.id))
    return [PortalAsset(id=a.id, product_model=a.product_model, product_name=a.product_name, serial=a.serial,
                        warranty_until=a.warranty_until) for a in rows.scalars()]  # fmt: skip


async def open_ticket(session: AsyncSession, customer_id: int, user_id: int, data: NewTicket) -> PortalTicket:
    """A ticket from the portal (channel `web`), about one of the customer's own products if any."""
    if data.kind not in PORTAL_KINDS:
        raise ValidationFailed("kind must be one of {choices}", choices=", ".join(PORTAL_KINDS))
    if len(data.description) > 10_000:
        raise ValidationFailed("description: at most 10,000 characters")
    if data.asset_id is not None:
        owner = (await session.execute(select(Asset.customer_id).where(Asset.id == data.asset_id))).scalar()
        if owner != customer_id:  # someone else's product looks like no product at all
            raise ValidationFailed("asset_id {asset_id} is not one of your products", asset_id=data.asset_id)
    created = await ticket_service.create(
        session,
        ts.TicketCreate(
            kind=data.kind,
            subject=data.subject[:300],
            description=data.description,
            customer_id=customer_id,
            asset_id=data.asset_id,
            channel="web",
        ),
        user_id,
    )
    model = (await session.execute(select(Asset.product_model).where(Asset.id == created.asset_id))).scalar()
    return _ticket(created, model)


async def reply(session: AsyncSession, customer_id: int, user_id: int, ticket_id: int, data: Reply) -> PortalMessage:
    """The customer's answer: it ends a wait for them (the SLA clock runs again) and reopens a recently
    resolved ticket; a closed one stays closed (open a new ticket)."""
    body = data.body.strip()
    if not body:
        raise ValidationFailed("the message is empty")
    if len(body) > ticket_service.MAX_MESSAGE_LENGTH:
        raise ValidationFailed(
            "the message is longer than {max_message_length} characters",
            max_message_length=ticket_service.MAX_MESSAGE_LENGTH,
        )
    found = await _own_ticket(session, customer_id, ticket_id, lock=True)
    now = clock.now()
    if found.status == "closed":
        raise Conflict("this ticket is closed: please open a new one")
    if found.status == "resolved" and found.resolved_at and now - found.resolved_at > dt.timedelta(days=REOPEN_DAYS):
        raise Conflict(
            "this ticket was resolved more than {reopen_days} days ago: please open a new one", reopen_days=REOPEN_DAYS
        )
    message = TicketMessage(ticket_id=found.id, author_id=user_id, visibility="public", body=body, created_at=now,
                            channel="web", direction="in")  # fmt: skip
    session.add(message)
    if found.status in ("pending", "resolved") and can_move(found.status, "open"):
        await ticket_service.update(session, found.id, ts.TicketUpdate(status="open", note="customer replied"), user_id)
    found.updated_at = now
    await session.flush()
    session.add(
        TicketEvent(ticket_id=found.id, kind="customer_replied", actor_id=user_id, data={"message_id": message.id})
    )
    return PortalMessage(id=message.id, body=message.body, created_at=message.created_at, from_customer=True)


async def rate(session: AsyncSession, ticket_id: int, data: Rating, actor_id: int | None,
               customer_id: int | None = None) -> PortalTicket:  # fmt: skip
    """CSAT: 1-5 once a ticket is resolved; rated once. `customer_id` None: the caller proved the right
    to rate with a signed link instead of a session."""
    if not 1 <= data.score <= 5:
        raise ValidationFailed("score must be between 1 and 5")
    if len(data.comment) > 2000:
        raise ValidationFailed("comment: at most 2,000 characters")
    if customer_id is not None:
        found = await _own_ticket(session, customer_id, ticket_id, lock=True)
    else:
        found = await ticket_service.get(session, ticket_id, for_update=True)
    if found.status not in ("resolved", "closed"):
        raise Conflict("a ticket can be rated once it is resolved")
    if found.satisfaction is not None:
        raise Conflict("this ticket is already rated: thank you")
    found.satisfaction = data.score
    session.add(TicketEvent(ticket_id=found.id, kind="rated", actor_id=actor_id,
                            data={"score": data.score, "comment": data.comment.strip()}))  # fmt: skip
    await session.flush()
    return _ticket(found, None)


# -- signed CSAT links --------------------------------------------------------------------------


def _sign(secret: str, payload: bytes) -> str:
    digest = hmac.new(hashlib.sha256(b"csat:" + secret.encode()).digest(), payload, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:18]).decode().rstrip("=")


def csat_token(secret: str, ticket_id: int, now: dt.datetime | None = None) -> str:
    """A link token for rating one ticket without signing in (sent by e-mail or SMS), valid 14 days."""
    expires = int(((now or clock.now()) + dt.timedelta(days=CSAT_LINK_DAYS)).timestamp())
    payload = f"{ticket_id}.{expires}".encode()
    return f"{ticket_id}.{expires}.{_sign(secret, payload)}"


def check_csat_token(secret: str, token: str, now: dt.datetime | None = None) -> int:
    """The ticket a valid, unexpired token is for; ValidationFailed otherwise (one message for all)."""
    try:
        ticket_id, expires, signature = token.split(".")
        payload = f"{int(ticket_id)}.{int(expires)}".encode()
    except ValueError:
        raise ValidationFailed("this rating link is not valid") from None
    if not hmac.compare_digest(signature, _sign(secret, payload)):
        raise ValidationFailed("this rating link is not valid")
    if int(expires) < (now or clock.now()).timestamp():
        raise ValidationFailed("this rating link has expired")
    return int(ticket_id)
