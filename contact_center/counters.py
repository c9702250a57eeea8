"""The process's Prometheus counters (served by `contact_center.metrics`); no web code here, so the worker,
the jobs and the realtime module count without importing the web framework."""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

FRAMES = Counter("cc_realtime_frames_total", "Frames published to sockets, by type (screen_pop, call_update, ...)",
                 ["type"])  # fmt: skip
SOCKETS = Gauge("cc_websocket_clients", "Websocket clients connected to this process, by socket", ["socket"])
JOB_RUNS = Counter("cc_job_runs_total", "Background job runs in this process, by job and outcome", ["job", "outcome"])
HTTP = Histogram(
    "cc_http_request_duration_seconds", "HTTP requests by method, route and status class",
    ["method", "route", "status"], buckets=(0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)  # fmt: skip
