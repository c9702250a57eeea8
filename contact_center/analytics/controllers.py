"""REST endpoints of QA analytics (supervisors, QA, admins)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from litestar import Controller, get
from litestar.params import QueryParameter
from sqlalchemy.ext.asyncio import AsyncSession

from contact_center.analytics import quality
from contact_center.analytics import service as analytics
from contact_center.analytics.trends import ComplaintTrends
from contact_center.analytics.value import CustomerValue
from contact_center.auth.guards import requires
from contact_center.models import Role

QA = (Role.ADMIN, Role.SUPERVISOR, Role.QA)
TAIPEI = dt.timezone(dt.timedelta(hours=8))


def _today() -> dt.date:
    return dt.datetime.now(TAIPEI).date()


class AnalyticsController(Controller):
    path = "/api/analytics"
    tags = ["analytics"]

    @get("/repair-anomalies", guards=[requires(*QA)])
    async def repair_anomalies(
        self, db_session: AsyncSession, as_of: dt.date | None = None
    ) -> analytics.RepairAnomaliesOut:
        """Units repaired abnormally often for their model and age, models whose repair rate jumped
        against their own history, technicians whose rework is abnormal against peers; each with its
        evidence (counts, expected, score). `as_of` defaults to today (Taipei)."""
        return await analytics.repair_anomalies(db_session, as_of or _today())

    @get("/complaint-trends", guards=[requires(*QA)])
    async def complaint_trends(
        self,
        db_session: AsyncSession,
        start: Annotated[dt.date | None, QueryParameter(name="from")] = None,
        end: Annotated[dt.date | None, QueryParameter(name="to")] = None,
    ) -> ComplaintTrends:
        """Weekly complaint topics (`from`..`to`, default the last 26 weeks) and the emerging ones."""
        last = end or _today()
        return await analytics.complaint_trends(db_session, start or last - dt.timedelta(weeks=26), last)

    @get("/customer-value", guards=[requires(*QA)])
    async def customer_value(self, db_session: AsyncSession, as_of: dt.date | None = None) -> CustomerValue:
        """The customer pyramid (tiers by the last 24 months' spending) and this month's gains and losses:
        activated, spending more, the same, less, lapsed."""
        return await analytics.customer_value(db_session, as_of or _today())

    @get("/service-quality", guards=[requires(*QA)])
    async def service_quality(
        self,
        db_session: AsyncSession,
        start: Annotated[dt.date | None, QueryParameter(name="from")] = None,
        end: Annotated[dt.date | None, QueryParameter(name="to")] = None,
        by: str = "agent",
    ) -> quality.ServiceQuality:
        """First-contact resolution, average handle time, CSAT and reopen rate per `agent`, `queue` or
        `week` (`from`..`to`, default the last 12 weeks)."""
        last = end or _today()
        return await quality.service_quality(db_session, start or last - dt.timedelta(weeks=12), last, by)
