"""The rule table that puts a new ticket without a queue into one: by kind, product, category
(the NLP classifier's label, once it exists) and keywords of its text."""

from __future__ import annotations

import msgspec
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from contact_center.bounded import Id, Int32, Text32, Text64, Text100
from contact_center.db.cache import PerDatabase
from contact_center.errors import NotFound, ValidationFailed
from contact_center.models import Asset, Queue, RoutingRule, Ticket


class Rule(msgspec.Struct):
    id: int
    position: int
    queue_id: int
    kind: str | None = None
    product_prefix: str | None = None
    category: str | None = None
    keywords: list[str] = []


class RuleCreate(msgspec.Struct):
    queue_id: Id
    position: Int32 = 100
    kind: Text32 | None = None
    product_prefix: Text64 | None = None
    category: Text100 | None = None
    keywords: list[Text64] = []


def _schema(r: RoutingRule) -> Rule:
    return Rule(id=r.id, position=r.position, queue_id=r.queue_id, kind=r.kind, product_prefix=r.product_prefix,
                category=r.category, keywords=list(r.keywords))  # fmt: skip


_table_cache: PerDatabase[tuple[Rule, ...]] = PerDatabase()


async def _table(session: AsyncSession) -> tuple[Rule, ...]:
    found, table = _table_cache.get(session)
    if found and table is not None:
        return table
    rows = await session.execute(select(RoutingRule).order_by(RoutingRule.position, RoutingRule.id))
    return _table_cache.put(session, tuple(_schema(r) for r in rows.scalars().all()))


def matches(rule: Rule, ticket: Ticket, product_model: str | None) -> bool:
    text = f"{ticket.subject}\n{ticket.description}".lower()
    return (
        (rule.kind is None or rule.kind == ticket.kind)
        and (rule.product_prefix is None or (product_model or "").upper().startswith(rule.product_prefix.upper()))
        and (rule.category is None or rule.category == ticket.category)
        and (not rule.keywords or any(str(k).lower() in text for k in rule.keywords))
    )


async def queue_for(session: AsyncSession, ticket: Ticket) -> int | None:
    """The queue of the first rule that matches, or None."""
    rules = await _table(session)
    if not rules:
        return None
    asset = await session.get(Asset, ticket.asset_id) if ticket.asset_id else None
    product = asset.product_model if asset else None
    return next((r.queue_id for r in rules if matches(r, ticket, product)), None)


async def rules(session: AsyncSession) -> list[Rule]:
    _table_cache.forget()  # whoever looks at the table sees it as it is
    return list(await _table(session))


async def create(session: AsyncSession, data: RuleCreate) -> Rule:
    """Adds a rule; a rule needs at least one condition, or it would catch every ticket by accident."""
    if await session.get(Queue, data.queue_id) is None:
        raise ValidationFailed("queue {queue_id} does not exist", queue_id=data.queue_id)
    keywords = [k.strip() for k in data.keywords if k.strip()]
    if not (data.kind or data.product_prefix or data.category or keywords):
        raise ValidationFailed("a rule needs a condition: kind, product_prefix, category or keywords")
    rule = RoutingRule(queue_id=data.queue_id, position=data.position, kind=data.kind,
                       product_prefix=data.product_prefix, category=data.category, keywords=keywords)  # fmt: skip
    session.add(rule)
    await session.flush()
    _table_cache.forget()
    return _schema(rule)


async def delete(session: AsyncSession, rule_id: int) -> None:
    rule = await session.get(RoutingRule, rule_id)
    if rule is None:
        raise NotFound("no rule {rule_id}", rule_id=rule_id)
    await session.delete(rule)
    _table_cache.forget()
