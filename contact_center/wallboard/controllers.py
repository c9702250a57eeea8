"""The wallboard over REST (one snapshot) and live over `/ws/supervisor`."""

from __future__ import annotations

from typing import Any

from litestar import WebSocket, get, websocket
from litestar.channels import ChannelsPlugin
from litestar.exceptions import WebSocketDisconnect
from sqlalchemy.ext.asyncio import AsyncSession

from contact_center import realtime
from contact_center.auth.guards import requires
from contact_center.counters import SOCKETS
from contact_center.models import Role
from contact_center.wallboard import service as wallboard_service

LEADS = (Role.ADMIN, Role.SUPERVISOR, Role.QA)


@get("/api/wallboard", guards=[requires(*LEADS)], tags=["wallboard"])
async def wallboard(db_session: AsyncSession) -> wallboard_service.Wallboard:
    """Queues (waiting, longest wait, service level, abandoned, handle time), agents, tickets at risk."""
    return await wallboard_service.snapshot(db_session)


@websocket("/ws/supervisor", guards=[requires(*LEADS)])
async def supervisor_socket(socket: WebSocket[Any, Any, Any], channels: ChannelsPlugin) -> None:
    """Wallboard snapshots as things change (at least every second), plus escalations and phone states."""
    await socket.accept()
    feed = socket.app.state.wallboard

    async def send(data: bytes) -> None:
        await socket.send_data(data.decode(), mode="text")

    await send(await feed.snapshot())
    feed.attach(send)
    SOCKETS.labels("supervisor").inc()
    try:
        async with (
            channels.start_subscription([realtime.SUPERVISORS]) as subscriber,
            subscriber.run_in_background(send, join=False),  # see calls/sockets.py
        ):
            async for _ in socket.iter_data(mode="text"):  # nothing to receive: changes go through REST
                pass
    except WebSocketDisconnect:
        pass
    finally:
        feed.detach(send)
        SOCKETS.labels("supervisor").dec()
