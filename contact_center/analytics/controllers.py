"""REST endpoints of QA analytics (supervisors, QA, admins)."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Annotated, Any

import msgspec
from litestar import Controller, Litestar, Request, Response, get, post
from litestar.background_tasks import BackgroundTask
from litestar.channels import ChannelsPlugin
from litestar.params import QueryParameter
from sqlalchemy.ext.asyncio import AsyncSession

from contact_center import clock, jobs, realtime
from contact_center.analytics import flags, quality
from contact_center.analytics import service as analytics
from contact_center.analytics.trends import ComplaintTrends
from contact_center.analytics.value import CustomerValue
from contact_center.auth.guards import current_user, requires
from contact_center.models import Role
from contact_center.pagination import DEFAULT_LIMIT, Page

QA = (Role.ADMIN, Role.SUPERVISOR, Role.QA)
LEADS = (Role.ADMIN, Role.SUPERVISOR)
log = logging.getLogger(__name__)


class ScanStarted(msgspec.Struct):
    """The answer to a manual scan: it runs in the background; new flags come over /ws/supervisor."""

    status: str  # started | queued | already_running | already_queued
    runner: str  # in-process | arq
    message: str


async def _scan_in_process(app: Litestar) -> None:
    channels = app.plugins.get(ChannelsPlugin)

    async def publish(channel: str, data: bytes) -> None:
        channels.publish(data, channel)

    try:
        await jobs.run_anomaly_scan(app.state.session_factory, publish)
    except Exception:  # the request was answered already; the error belongs in the log
        log.exception("repair anomaly scan failed")


async def _enqueue_scan(redis_url: str) -> bool:
    """Queues the worker's `anomaly_scan`; False when one was queued this minute (a double click)."""
    from arq import create_pool
    from arq.connections import RedisSettings

    pool = await create_pool(RedisSettings.from_dsn(redis_url))
    try:
        job_id = f"anomaly_scan:{clock.now():%Y-%m-%dT%H:%M}"
        return await pool.enqueue_job("anomaly_scan", _job_id=job_id) is not None
    finally:
        await pool.aclose()


async def _announce_acknowledged(app: Litestar, flag: flags.RepairFlag) -> None:
    realtime.publish(app.plugins.get(ChannelsPlugin), realtime.SUPERVISORS,
                     {"type": "repair_flag_acknowledged", "flag_id": flag.id, "kind": flag.kind,
                      "subject": flag.subject, "acknowledged_by": flag.acknowledged_by})  # fmt: skip


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
        return await analytics.repair_anomalies(db_session, as_of or clock.today())

    @get("/complaint-trends", guards=[requires(*QA)])
    async def complaint_trends(
        self,
        db_session: AsyncSession,
        start: Annotated[dt.date | None, QueryParameter(name="from")] = None,
        end: Annotated[dt.date | None, QueryParameter(name="to")] = None,
    ) -> ComplaintTrends:
        """Weekly complaint topics (`from`..`to`, default the last 26 weeks) and the emerging ones."""
        last = end or clock.today()
        return await analytics.complaint_trends(db_session, start or last - dt.timedelta(weeks=26), last)

    @get("/customer-value", guards=[requires(*QA)])
    async def customer_value(self, db_session: AsyncSession, as_of: dt.date | None = None) -> CustomerValue:
        """The customer pyramid (tiers by the last 24 months' spending) and this month's gains and losses:
        activated, spending more, the same, less, lapsed."""
        return await analytics.customer_value(db_session, as_of or clock.today())

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
        last = end or clock.today()
        return await quality.service_quality(db_session, start or last - dt.timedelta(weeks=12), last, by)

    @post("/repair-anomalies/scan", guards=[requires(*LEADS)], status_code=202)
    async def scan_repair_anomalies(self, request: Request[Any, Any, Any]) -> Response[ScanStarted]:
        """Runs the full repair-anomaly scan now, in the background (202): every flag is stored, those no
        longer found are cleared, new ones are announced on /ws/supervisor and listed at
        /api/analytics/repair-flags. The worker runs it when there is one, else this process."""
        redis_url = request.app.state.settings.redis_url
        if redis_url:
            if await _enqueue_scan(redis_url):
                body = ScanStarted("queued", "arq", "The scan is queued for the worker; new flags are announced live.")
            else:
                body = ScanStarted("already_queued", "arq", "A scan was queued a moment ago; it runs once.")
            return Response(body, status_code=202)
        if jobs.anomaly_scan_running(request.app.state.session_factory):
            body = ScanStarted("already_running", "in-process", "A scan is running; its new flags are announced live.")
            return Response(body, status_code=202)
        body = ScanStarted("started", "in-process", "The scan runs in the background; new flags are announced live.")
        return Response(body, status_code=202, background=BackgroundTask(_scan_in_process, request.app))

    @get("/repair-flags", guards=[requires(*QA)])
    async def repair_flags(
        self,
        db_session: AsyncSession,
        status: str = flags.OPEN,
        kind: str | None = None,
        limit: int = DEFAULT_LIMIT,
        offset: int = 0,
    ) -> Page[flags.RepairFlag]:
        """Stored repair flags (units, models, technicians) with their evidence, newest first; `status`
        is open (default), acknowledged, cleared or all; `kind` unit, model or technician."""
        return await flags.list_flags(db_session, None if status == "all" else status, kind, limit, offset)

    @post("/repair-flags/{flag_id:int}/acknowledge", guards=[requires(*QA)], status_code=200)
    async def acknowledge_repair_flag(
        self, request: Request[Any, Any, Any], db_session: AsyncSession, flag_id: int
    ) -> Response[flags.RepairFlag]:
        """QA has seen the flag; it stays on the screen-pop until a scan clears it. Acknowledging twice
        is harmless (the first acknowledgement is kept); a cleared flag answers 409."""
        user = current_user(request)
        flag = await flags.acknowledge(db_session, flag_id, user.id if user else None)
        return Response(flag, background=BackgroundTask(_announce_acknowledged, request.app, flag))
