"""Offers in the app: the catalogue (admins), suggestions for one customer (agents), the customers'
answers, conversion per offer, and the nightly co-ownership statistics.

The decisions themselves are pure (`rules`, `recommender`, `coownership`); this module gathers the
facts they need from the database: the customer's tier, products, repairs, repair flags and earlier answers.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

import msgspec
from sqlalchemy import case, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from contact_center import clock
from contact_center.analytics import flags
from contact_center.bounded import Id, Int32, LongText, Text8, Text16, Text32, Text64, Text200, Text300, Text500
from contact_center.clock import TAIPEI
from contact_center.db.cache import PerDatabase
from contact_center.errors import Conflict, NotFound, ValidationFailed
from contact_center.models import Asset, Customer, Offer, OfferImpression, OfferResponse, Snapshot, Ticket
from contact_center.offers import rules as offer_rules
from contact_center.offers.coownership import CoOwnership
from contact_center.offers.reasons import Reason, describe
from contact_center.offers.recommender import RESPONSES, recommend

COOWNERSHIP = "offers.coownership"
MAX_TEXT = 10_000


class OfferIn(msgspec.Struct, forbid_unknown_fields=True):
    code: Text32
    title: Text200
    product_model: Text64
    rules: offer_rules.OfferRules = msgspec.field(default_factory=offer_rules.OfferRules)
    description: LongText = ""
    reason_template: Text300 | None = None
    active: bool = True


class OfferOut(msgspec.Struct):
    id: int
    code: str
    title: str
    product_model: str
    rules: offer_rules.OfferRules
    description: str
    reason_template: str | None
    active: bool
    updated_at: dt.datetime


class SuggestIn(msgspec.Struct, forbid_unknown_fields=True):
    customer_id: Id
    text: LongText = ""
    limit: Int32 = 3
    lang: Text8 = "zh-Hant"


class SuggestedOffer(msgspec.Struct):
    offer_id: int
    code: str
    title: str
    product_model: str
    score: float
    reasons: list[str]  # sentences in the requested language
    reason_codes: list[Reason]
    cues: list[str]
    asset_id: int | None


class ResponseIn(msgspec.Struct, forbid_unknown_fields=True):
    customer_id: Id
    response: Text16
    ticket_id: Id | None = None
    note: Text500 = ""


class ResponseOut(msgspec.Struct):
    id: int
    offer_id: int
    customer_id: int
    response: str
    at: dt.datetime


class Conversion(msgspec.Struct):
    offer_id: int
    code: str
    title: str
    shown: int  # customer-days on which agents were shown it
    answered: int  # answers recorded (accept, decline, later)
    accepted: int
    declined: int
    later: int
    conversion: float  # accepted / shown (or / answered, when answers were recorded without a showing)


def _out(o: Offer) -> OfferOut:
    return OfferOut(id=o.id, code=o.code, title=o.title, product_model=o.product_model,
                    rules=msgspec.convert(o.rules, offer_rules.OfferRules), description=o.description,
                    reason_template=o.reason_template, active=o.active, updated_at=o.updated_at)  # fmt: skip


def _as_rule_offer(o: Offer) -> offer_rules.Offer:
    return offer_rules.Offer(code=o.code, title=o.title, product_model=o.product_model,
                             rules=msgspec.convert(o.rules, offer_rules.OfferRules),
                             reason_template=o.reason_template)  # fmt: skip


def _check(data: OfferIn) -> None:
    candidate = offer_rules.Offer(code=data.code, title=data.title, product_model=data.product_model,
                                  rules=data.rules, reason_template=data.reason_template)  # fmt: skip
    problems = offer_rules.validate_offer(candidate)
    if len(data.code) > 32 or len(data.title) > 200 or len(data.product_model) > 64:
        problems.append("code, title, product_model: at most 32, 200 and 64 characters")
    if problems:
        raise ValidationFailed("; ".join(problems), detail=problems)


async def offers(session: AsyncSession, active: bool | None = None) -> list[OfferOut]:
    query = select(Offer).order_by(Offer.code)
    if active is not None:
        query = query.where(Offer.active == active)
    return [_out(o) for o in (await session.execute(query)).scalars()]


async def _get(session: AsyncSession, offer_id: int) -> Offer:
    offer = await session.get(Offer, offer_id)
    if offer is None:
        raise NotFound("no offer {offer_id}", offer_id=offer_id)
    return offer


async def offer(session: AsyncSession, offer_id: int) -> OfferOut:
    return _out(await _get(session, offer_id))


async def create(session: AsyncSession, data: OfferIn) -> OfferOut:
    _check(data)
    if (await session.execute(select(Offer.id).where(Offer.code == data.code))).first():
        raise Conflict("an offer with code {code!r} exists", code=data.code)
    row = Offer(code=data.code.strip(), title=data.title.strip(), product_model=data.product_model.strip(),
                rules=msgspec.to_builtins(data.rules), description=data.description, active=data.active,
                reason_template=data.reason_template)  # fmt: skip
    session.add(row)
    await session.flush()
    return _out(row)


async def update(session: AsyncSession, offer_id: int, data: OfferIn) -> OfferOut:
    row = await _get(session, offer_id)
    _check(data)
    if data.code != row.code:
        raise ValidationFailed("code cannot change (answers and reports refer to it)")
    row.title, row.product_model, row.description = data.title.strip(), data.product_model.strip(), data.description
    row.rules, row.reason_template, row.active = msgspec.to_builtins(data.rules), data.reason_template, data.active
    await session.flush()
    return _out(row)


# -- facts and suggestions --------------------------------------------------------------------


async def facts(session: AsyncSession, customer_id: int, today: dt.date) -> offer_rules.CustomerFacts:
    """Tier, products, each product's repair dates and standing repair flag: what the rules look at."""
    customer = await session.get(Customer, customer_id)
    if customer is None:
        raise NotFound("no customer {customer_id}", customer_id=customer_id)
    assets = (await session.execute(select(Asset).where(Asset.customer_id == customer_id))).scalars().all()
    repairs: dict[int, list[dt.date]] = defaultdict(list)
    rows = await session.execute(
        select(Ticket.asset_id, Ticket.created_at).where(
            Ticket.customer_id == customer_id, Ticket.kind == "repair", Ticket.asset_id.is_not(None)
        )
    )
    for asset_id, created_at in rows.all():
        repairs[asset_id].append(created_at.astimezone(TAIPEI).date())
    flagged = {asset_id: offer_rules.AbnormalRepairs(flag.repairs, flag.expected)
               for asset_id, flag in (await flags.open_unit_flags(session, customer_id)).items()}  # fmt: skip
    return offer_rules.CustomerFacts(
        customer_id=customer_id, tier=customer.value_tier, today=today,
        assets=[offer_rules.AssetFacts(asset_id=a.id, product_model=a.product_model, installed_on=a.installed_on,
                                       warranty_until=a.warranty_until, repair_dates=sorted(repairs[a.id]),
                                       abnormal=flagged.get(a.id))
                for a in assets],
    )  # fmt: skip


async def _responses(session: AsyncSession, customer_id: int) -> dict[str, tuple[str, dt.date]]:
    """The latest answer per offer code."""
    rows = await session.execute(
        select(Offer.code, OfferResponse.response, OfferResponse.at)
        .join(Offer, Offer.id == OfferResponse.offer_id)
        .where(OfferResponse.customer_id == customer_id)
        .order_by(OfferResponse.at, OfferResponse.id)
    )
    return {code: (response, at.astimezone(TAIPEI).date()) for code, response, at in rows.all()}


_coownership: PerDatabase[CoOwnership] = PerDatabase(seconds=600.0)


async def coownership(session: AsyncSession) -> CoOwnership | None:
    found, stats = _coownership.get(session)
    if found:
        return stats
    row = (await session.execute(select(Snapshot).where(Snapshot.name == COOWNERSHIP))).scalar()
    if row is None:
        return None
    return _coownership.put(session, CoOwnership.from_dict(row.data))


async def suggest(session: AsyncSession, data: SuggestIn, today: dt.date | None = None) -> list[SuggestedOffer]:
    """The best offers for this customer now, with reasons in `lang`; [] when none is eligible."""
    if not 1 <= data.limit <= 10:
        raise ValidationFailed("limit must be between 1 and 10")
    if len(data.text) > MAX_TEXT:
        raise ValidationFailed("text is longer than {max_text} characters", max_text=MAX_TEXT)
    today = today or clock.today()
    customer_facts = await facts(session, data.customer_id, today)
    rows = (await session.execute(select(Offer).where(Offer.active.is_(True)))).scalars().all()
    if not rows:
        return []
    by_code = {o.code: o for o in rows}
    ranked = recommend([_as_rule_offer(o) for o in rows], customer_facts, data.text, await coownership(session),
                       data.limit, recent_responses=await _responses(session, data.customer_id))  # fmt: skip
    await _record_shown(session, data.customer_id, [by_code[r.offer_code].id for r in ranked], today)
    return [
        SuggestedOffer(offer_id=by_code[r.offer_code].id, code=r.offer_code, title=by_code[r.offer_code].title,
                       product_model=by_code[r.offer_code].product_model, score=r.score,
                       reasons=[describe(reason, data.lang) for reason in r.reasons], reason_codes=r.reasons,
                       cues=r.cues, asset_id=r.matched_asset_id)
        for r in ranked
    ]  # fmt: skip


async def respond(session: AsyncSession, offer_id: int, data: ResponseIn, user_id: int | None) -> ResponseOut:
    """Records the customer's answer (accept, decline or later) on the customer."""
    if data.response not in RESPONSES:
        raise ValidationFailed("response must be one of {choices}", choices=", ".join(RESPONSES))
    await _get(session, offer_id)
    if await session.get(Customer, data.customer_id) is None:
        raise ValidationFailed("customer_id {customer_id} does not exist", customer_id=data.customer_id)
    if data.ticket_id is not None and await session.get(Ticket, data.ticket_id) is None:
        raise ValidationFailed("ticket_id {ticket_id} does not exist", ticket_id=data.ticket_id)
    row = OfferResponse(offer_id=offer_id, customer_id=data.customer_id, response=data.response, user_id=user_id,
                        ticket_id=data.ticket_id, note=data.note.strip()[:500], at=clock.now())  # fmt: skip
    session.add(row)
    await session.flush()
    return ResponseOut(id=row.id, offer_id=offer_id, customer_id=data.customer_id, response=row.response, at=row.at)


def _count(value: str) -> Any:
    return func.sum(case((OfferResponse.response == value, 1), else_=0))


async def _record_shown(session: AsyncSession, customer_id: int, offer_ids: list[int], today: dt.date) -> None:
    """Counts the offers as shown for the customer today; a second showing the same day adds nothing
    (the live form asks again at every pause in typing)."""
    if not offer_ids:
        return
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    now = clock.now()
    await session.execute(
        insert(OfferImpression)
        .values([{"offer_id": i, "customer_id": customer_id, "day": today, "at": now} for i in offer_ids])
        .on_conflict_do_nothing(index_elements=["offer_id", "customer_id", "day"])
    )


async def conversion(session: AsyncSession) -> list[Conversion]:
    """Per offer: on how many customer-days agents were shown it, how many answers were recorded, and which."""
    answers = (
        select(OfferResponse.offer_id, func.count(OfferResponse.id).label("n"), _count("accept").label("a"),
               _count("decline").label("d"), _count("later").label("later"))
        .group_by(OfferResponse.offer_id).subquery()
    )  # fmt: skip
    shown = (
        select(OfferImpression.offer_id, func.count(OfferImpression.id).label("n"))
        .group_by(OfferImpression.offer_id).subquery()
    )  # fmt: skip
    rows = await session.execute(
        select(Offer.id, Offer.code, Offer.title, shown.c.n, answers.c.n, answers.c.a, answers.c.d, answers.c.later)
        .outerjoin(answers, answers.c.offer_id == Offer.id)
        .outerjoin(shown, shown.c.offer_id == Offer.id)
        .order_by(Offer.code)
    )  # fmt: skip
    report = []
    for offer_id, code, title, seen, answered, accepted, declined, later in rows.all():
        seen, answered, accepted = int(seen or 0), int(answered or 0), int(accepted or 0)
        base = max(seen, answered)  # every answer was an offer made, shown here or not
        report.append(Conversion(offer_id=offer_id, code=code, title=title, shown=seen, answered=answered,
                                 accepted=accepted, declined=int(declined or 0), later=int(later or 0),
                                 conversion=round(accepted / base, 4) if base else 0.0))  # fmt: skip
    return report


async def refresh_coownership(session: AsyncSession) -> int:
    """Recomputes which product families customers own together (the nightly job); returns customers counted."""
    pairs = (await session.execute(select(Asset.customer_id, Asset.product_model))).all()
    stats = CoOwnership.build((customer_id, model) for customer_id, model in pairs)
    row = (await session.execute(select(Snapshot).where(Snapshot.name == COOWNERSHIP))).scalar()
    if row is None:
        row = Snapshot(name=COOWNERSHIP)
        session.add(row)
    row.data, row.computed_at = stats.to_dict(), clock.now()
    await session.flush()
    _coownership.forget()
    return stats.customers
