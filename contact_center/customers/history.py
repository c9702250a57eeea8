"""The single customer view (seeds 002/004): profile, products, tickets, contacts, value, satisfaction."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from contact_center.customers import repository
from contact_center.customers import schemas as s
from contact_center.customers.service import (
    HISTORY_INTERACTIONS,
    HISTORY_OPEN_LIMIT,
    HISTORY_PURCHASES,
    WARRANTY_SOON_DAYS,
    get,
    to_schema,
)
from contact_center.models import Asset, Ticket
from contact_center.pagination import check_window

TAIPEI = dt.timezone(dt.timedelta(hours=8))


def coverage_state(until: dt.date | None, today: dt.date) -> tuple[str, int | None]:
    """in_warranty / expiring / expired / unknown, and the days left."""
    if until is None:
        return "unknown", None
    days = (until - today).days
    if days < 0:
        return "expired", days
    return ("expiring" if days <= WARRANTY_SOON_DAYS else "in_warranty"), days


def _asset_view(asset: Asset, repairs: int, last_repair: dt.datetime | None, today: dt.date) -> s.AssetView:
    warranty, days_left = coverage_state(asset.warranty_until, today)
    maintenance, _ = coverage_state(asset.maintenance_until, today)
    return s.AssetView(
        id=asset.id,
        external_id=asset.external_id,
        product_model=asset.product_model,
        product_name=asset.product_name,
        serial=asset.serial,
        installed_on=asset.installed_on,
        warranty_until=asset.warranty_until,
        maintenance_until=asset.maintenance_until,
        warranty_state=warranty,
        warranty_days_left=days_left,
        maintenance_state=maintenance,
        repairs=int(repairs),
        last_repair_at=last_repair,
    )


def ticket_brief(t: Ticket) -> s.TicketBrief:
    return s.TicketBrief(
        id=t.id,
        external_id=t.external_id,
        kind=t.kind,
        status=t.status,
        priority=t.priority,
        subject=t.subject,
        category=t.category,
        channel=t.channel,
        asset_id=t.asset_id,
        technician=t.technician,
        created_at=t.created_at,
        closed_at=t.closed_at,
        satisfaction=t.satisfaction,
    )


def _interaction_brief(row: Any) -> s.InteractionBrief:
    item, agent_display = row
    return s.InteractionBrief(
        id=item.id,
        channel=item.channel,
        direction=item.direction,
        started_at=item.started_at,
        duration_seconds=item.duration_seconds,
        agent=agent_display or item.agent_name,
        summary=item.summary,
        ticket_id=item.ticket_id,
    )


async def history(
    session: AsyncSession,
    customer_id: int,
    *,
    tickets_limit: int = 20,
    tickets_offset: int = 0,
    now: dt.datetime | None = None,
) -> s.CustomerHistory:
    """Everything we know about a customer, every list bounded (tickets paginated)."""
    check_window(tickets_limit, tickets_offset, max_limit=100)
    now = now or dt.datetime.now(dt.UTC)
    today = now.astimezone(TAIPEI).date()
    customer = await get(session, customer_id)
    assets = await repository.assets_with_repairs(session, customer_id)
    open_items, open_total = await repository.open_tickets(session, customer_id, HISTORY_OPEN_LIMIT)
    page, total = await repository.tickets_page(session, customer_id, tickets_limit, tickets_offset)
    stats = await repository.ticket_stats(session, customer_id, since=now - dt.timedelta(days=365))
    contacts, contacts_total = await repository.recent_interactions(session, customer_id, HISTORY_INTERACTIONS)
    bought, (amount, count, last_purchase) = await repository.purchases(session, customer_id, HISTORY_PURCHASES)
    rated = stats["rated"]
    return s.CustomerHistory(
        customer=to_schema(customer),
        assets=[_asset_view(asset, repairs, last, today) for asset, repairs, last in assets],
        open_tickets=[ticket_brief(t) for t in open_items],
        open_tickets_total=open_total,
        tickets=s.TicketPage(
            items=[ticket_brief(t) for t in page], total=total, limit=tickets_limit, offset=tickets_offset
        ),
        interactions=[_interaction_brief(row) for row in contacts],
        interactions_total=contacts_total,
        purchases=[
            s.PurchaseBrief(
                id=p.id,
                amount=p.amount,
                purchased_at=p.purchased_at,
                product_model=p.product_model,
                sku=p.sku,
                channel=p.channel,
            )
            for p in bought
        ],
        value=s.Value(lifetime_amount=int(amount), purchases=int(count), last_purchase_at=last_purchase),
        repairs=s.RepairSummary(
            total=stats["repairs"], last_12_months=stats["repairs_since"], last_repair_at=stats["last_repair_at"]
        ),
        satisfaction=s.Satisfaction(
            average=round(stats["rating_sum"] / rated, 2) if rated else None, rated=rated, last=stats["last_rating"]
        ),
        kinds=stats["kinds"],
    )
