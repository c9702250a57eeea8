"""Prometheus metrics: GET /metrics (admins' bearer token; Prometheus sends it with `authorization`).

Counters that code increments live here, module-level (one process, one set, whatever app object serves
it); the CTI intake and the Redis link report what their own objects already count, read at scrape time.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

from litestar import Request, Response, get
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Message, Receive, Scope, Send
from prometheus_client import REGISTRY, CollectorRegistry, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector

from contact_center.auth.guards import requires
from contact_center.counters import HTTP
from contact_center.models import Role


class _AppState(Collector):
    """What this app's objects count: the CTI intake and the Redis link."""

    def __init__(self, state: Any) -> None:
        self.state = state

    def collect(self) -> Iterator[CounterMetricFamily | GaugeMetricFamily]:
        stats = self.state.call_desk.stats
        events = CounterMetricFamily("cc_cti_events", "CTI events by what became of them", labels=["outcome"])
        for outcome in ("received", "acknowledged", "duplicates", "rejected", "truncated", "malformed"):
            events.add_metric([outcome], getattr(stats, outcome))
        yield events
        yield CounterMetricFamily("cc_cti_writer_restarts", "CTI event writers that crashed and were restarted",
                                  value=stats.writer_restarts)  # fmt: skip
        yield GaugeMetricFamily("cc_cti_writers_down", "CTI event writers down right now", value=stats.writers_down)
        redis = self.state.redis_channels
        if redis is not None:
            yield GaugeMetricFamily("cc_redis_up", "1 while Redis (the channels) answers", value=int(redis.connected))
            yield CounterMetricFamily("cc_redis_reconnects", "Times the channels came back after Redis returned",
                                      value=redis.reconnects)  # fmt: skip
            yield CounterMetricFamily("cc_redis_frames_dropped", "Frames lost to a long Redis outage",
                                      value=redis.dropped)  # fmt: skip


@get("/metrics", guards=[requires(Role.ADMIN)], include_in_schema=False, sync_to_thread=False)
def metrics(request: Request[Any, Any, Any]) -> Response[bytes]:
    """Prometheus text format: this process's counters and its objects' state."""
    own = CollectorRegistry()
    own.register(_AppState(request.app.state))
    body = generate_latest(REGISTRY) + generate_latest(own)
    return Response(body, media_type="text/plain; version=0.0.4; charset=utf-8")


class RequestTiming(ASGIMiddleware):
    """HTTP latency by route template (not the raw path: ids would explode the label set)."""

    scopes = ("http",)  # type: ignore[assignment]

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        started = time.perf_counter()
        status = 500

        async def timed(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await next_app(scope, receive, timed)
        finally:
            template = str(scope.get("path_template") or "unmatched")
            HTTP.labels(scope.get("method", ""), template, f"{status // 100}xx").observe(time.perf_counter() - started)
