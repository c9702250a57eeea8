"""REST endpoints for a customer's contacts."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from sqlalchemy.ext.asyncio import AsyncSession

from contact_center.auth.guards import DESK, STAFF, current_user, requires
from contact_center.interactions import schemas as s
from contact_center.interactions import service as interaction_service
from contact_center.pagination import DEFAULT_LIMIT, Page


class InteractionController(Controller):
    path = "/api/customers/{customer_id:int}/interactions"
    tags = ["interactions"]

    @get("/", guards=[requires(*STAFF)])
    async def list_interactions(
        self, db_session: AsyncSession, customer_id: int, channel: str | None = None,
        limit: int = DEFAULT_LIMIT, offset: int = 0,
    ) -> Page[s.Interaction]:  # fmt: skip
        """A customer's contacts on every channel, newest first."""
        return await interaction_service.for_customer(db_session, customer_id, channel, limit, offset)

    @post("/", guards=[requires(*DESK)])
    async def log_interaction(
        self, request: Request[Any, Any, Any], db_session: AsyncSession, customer_id: int, data: s.InteractionCreate
    ) -> s.Interaction:
        """Logs a contact (a call note, an e-mail, a visit) with the signed-in agent as its author."""
        user = current_user(request)
        item = await interaction_service.log(db_session, customer_id, data, user.id if user else None)
        return interaction_service.to_schema(item, user.display_name if user else None)
