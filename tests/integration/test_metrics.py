"""GET /metrics: Prometheus text for admins only, with the CTI intake, realtime frames, sockets and HTTP
latency counted as the system works."""

from __future__ import annotations

import re
import time
from typing import Any

import msgspec
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from cti_bridge import contract as c
from tests.builders import bearer, make_user


def _value(text: str, name: str) -> float:
    found = re.search(rf"^{re.escape(name)} ([0-9.e+]+)$", text, re.M)
    return float(found.group(1)) if found else 0.0


async def test_metrics_count_the_call_path_and_are_for_admins_only(
    client: AsyncTestClient[Any], sessions: async_sessionmaker[AsyncSession], admin_headers: dict[str, str]
) -> None:
    _, agent = await make_user(sessions, "agent", "alice", extension="1001")
    _, pbx = await make_user(sessions, "pbx", "bridge")
    assert (await client.get("/metrics")).status_code == 401
    assert (await client.get("/metrics", headers=bearer(agent))).status_code == 403
    before = (await client.get("/metrics", headers=admin_headers)).text
    with await client.websocket_connect(f"/ws/agent?token={agent}") as ws:
        ws.receive_json()
        during = (await client.get("/metrics", headers=admin_headers)).text
        assert _value(during, 'cc_websocket_clients{socket="agent"}') >= 1
        now = time.time()
        events = [c.CallOffered(id="m:1:o", call_id="m1", at=now, caller="0912345678"),
                  c.CallRinging(id="m:1:r", call_id="m1", at=now, extension="1001", caller="0912345678")]  # fmt: skip
        response = await client.post("/api/cti/events", content=msgspec.json.encode(events),
                                     headers={**bearer(pbx), "content-type": "application/json"})  # fmt: skip
        assert response.status_code == 200
    scrape = await client.get("/metrics", headers=admin_headers)
    after = scrape.text
    assert _value(after, 'cc_cti_events_total{outcome="received"}') == 2
    assert _value(after, 'cc_cti_events_total{outcome="acknowledged"}') == 2
    pops = 'cc_realtime_frames_total{type="screen_pop"}'
    assert _value(after, pops) >= _value(before, pops) + 1
    assert 'cc_http_request_duration_seconds_count{method="POST",route="/api/cti/events",status="2xx"}' in after
    assert after.startswith("# HELP") and scrape.headers["content-type"].startswith("text/plain; version=0.0.4")
