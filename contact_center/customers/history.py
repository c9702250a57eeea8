"""The single customer view (seeds 002/004): profile, products (with their repair flags), tickets, contacts,
value, satisfaction."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Row
from sqlalchemy.ext.asyncio import AsyncSession

from contact_center import clock
from contact_center.analytics import flags
from contact_center.clock import TAIPEI
from contact_center.customers import history_repository as repository
from contact_center.customers import schemas as s
from contact_center.customers.service import get, to_schema
from contact_center.pagination import check_window

WARRANTY_SOON_DAYS = 30
OPEN_TICKETS_SHOWN = 50
CONTACTS_SHOWN = 20
PURCHASES_SHOWN = 10
MAX_TICKETS_PAGE = 100


def coverage_state(until: dt.date | None, today: dt.date) -> tuple[str, int | None]:
    """in_warranty / expiring (≤ 30 days left) / expired / unknown, and the days left."""
    if until is None:
        return "unknown", None
    days = (until - today).days
    if days < 0:
        return "expired", days
    return ("expiring" if days <= WARRANTY_SOON_DAYS else "in_warranty"), days


def _asset_view(row: Row[Any], today: dt.date, flag: flags.UnitFlag | None) -> s.AssetView:
    warranty, days_left = coverage_state(row.warranty_until, today)
    maintenance, _ = coverage_state(row.maintenance_until, today)
    fields = {k: v for k, v in row._mapping.items() if k != "repairs"}
    return s.AssetView(
        **fields,
        warranty_state=warranty,
        warranty_days_left=days_left,
        maintenance_state=maintenance,
        repairs=int(row.repairs),
        repair_flag=None if flag is None else s.AssetRepairFlag(
            repairs=flag.repairs, expected=flag.expected, rate_ratio=flag.rate_ratio,
            first_flagged_on=flag.first_flagged_on, status=flag.status,
        ),
    )  # fmt: skip


def _ticket_brief(row: Row[Any]) -> s.TicketBrief:
    return s.TicketBrief(**{k: v for k, v in row._mapping.items() if k != "total"})


def _interaction_brief(row: Row[Any]) -> s.InteractionBrief:
    return s.InteractionBrief(**{k: v for k, v in row._mapping.items() if k != "total"})


def _purchase_brief(row: Row[Any]) -> s.PurchaseBrief:
    return s.PurchaseBrief(
        id=row.id, amount=row.amount, purchased_at=row.purchased_at,
        product_model=row.product_model, sku=row.sku, channel=row.channel,
    )  # fmt: skip


def _summaries(stats: list[Row[Any]]) -> tuple[s.RepairSummary, s.Satisfaction, dict[str, int]]:
    repair = next((row for row in stats if row.kind == "repair"), None)
    rated = sum(int(row.rated) for row in stats)
    rating_sum = sum(int(row.rating_sum or 0) for row in stats)
    return (
        s.RepairSummary(
            total=int(repair.tickets) if repair else 0,
            last_12_months=int(repair.recent) if repair else 0,
            last_repair_at=repair.last_at if repair else None,
        ),
        s.Satisfaction(
            average=round(rating_sum / rated, 2) if rated else None,
            rated=rated,
            last=stats[0].last_rating if stats else None,
        ),
        {row.kind: int(row.tickets) for row in stats},
    )


async def history(
    session: AsyncSession,
    customer_id: int,
    *,
    tickets_limit: int = 20,
    tickets_offset: int = 0,
    now: dt.datetime | None = None,
) -> s.CustomerHistory:
    """Everything we know about a customer; every list bounded, the ticket history paginated."""
    check_window(tickets_limit, tickets_offset, max_limit=MAX_TICKETS_PAGE)
    now = now or clock.now()
    today = now.astimezone(TAIPEI).date()
    customer = await get(session, customer_id)
    assets = await repository.assets(session, customer_id)
    flagged = await flags.open_unit_flags(session, customer_id) if assets else {}
    open_rows, open_total = await repository.open_tickets(session, customer_id, OPEN_TICKETS_SHOWN)
    page, total = await repository.tickets_page(session, customer_id, tickets_limit, tickets_offset)
    stats = await repository.ticket_stats(session, customer_id, since=now - dt.timedelta(days=365))
    contacts, contacts_total = await repository.recent_interactions(session, customer_id, CONTACTS_SHOWN)
    bought = await repository.purchases(session, customer_id, PURCHASES_SHOWN)
    repairs, satisfaction, kinds = _summaries(stats)
    return s.CustomerHistory(
        customer=to_schema(customer),
        assets=[_asset_view(row, today, flagged.get(row.id)) for row in assets],
        open_tickets=[_ticket_brief(row) for row in open_rows],
        open_tickets_total=open_total,
        tickets=s.TicketPage(
            items=[_ticket_brief(row) for row in page], total=total, limit=tickets_limit, offset=tickets_offset
        ),
        interactions=[_interaction_brief(row) for row in contacts],
        interactions_total=contacts_total,
        purchases=[_purchase_brief(row) for row in bought],
        value=s.Value(
            lifetime_amount=int(bought[0].lifetime_amount) if bought else 0,
            purchases=int(bought[0].purchases) if bought else 0,
            last_purchase_at=bought[0].last_purchase_at if bought else None,
        ),
        repairs=repairs,
        satisfaction=satisfaction,
        kinds=kinds,
    )
