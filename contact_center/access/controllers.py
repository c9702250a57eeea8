"""GET /api/admin/access-log: who opened which customer's record, searchable by admins."""

from __future__ import annotations

import datetime as dt

from litestar import get
from sqlalchemy.ext.asyncio import AsyncSession

from contact_center.access import service as access_service
from contact_center.auth.guards import requires
from contact_center.models import Role
from contact_center.pagination import Page


@get("/api/admin/access-log", guards=[requires(Role.ADMIN)], tags=["auth"])
async def access_log(
    db_session: AsyncSession,
    customer_id: int | None = None,
    user_id: int | None = None,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    limit: int = 50,
    offset: int = 0,
) -> Page[access_service.Access]:
    """Every look at customers' records: by customer, by staff member, by period; newest first."""
    return await access_service.search(db_session, customer_id=customer_id, user_id=user_id, since=since,
                                       until=until, limit=limit, offset=offset)  # fmt: skip
