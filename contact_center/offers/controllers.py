"""REST endpoints for offers: the catalogue (leads), suggestions and answers (agents), conversion."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post, put
from sqlalchemy.ext.asyncio import AsyncSession

from contact_center.auth.guards import DESK, STAFF, current_user, requires
from contact_center.models import Role
from contact_center.offers import service as offer_service

LEADS = (Role.ADMIN, Role.SUPERVISOR)


class OfferController(Controller):
    path = "/api/offers"
    tags = ["offers"]

    @get("/", guards=[requires(*STAFF)])
    async def list_offers(self, db_session: AsyncSession, active: bool | None = None) -> list[offer_service.OfferOut]:
        """The offer catalogue with each offer's eligibility rules."""
        return await offer_service.offers(db_session, active)

    @post("/", guards=[requires(*LEADS)])
    async def create_offer(self, db_session: AsyncSession, data: offer_service.OfferIn) -> offer_service.OfferOut:
        """Adds an offer; rules are checked (422 lists every problem)."""
        return await offer_service.create(db_session, data)

    @get("/{offer_id:int}", guards=[requires(*STAFF)])
    async def get_offer(self, db_session: AsyncSession, offer_id: int) -> offer_service.OfferOut:
        return await offer_service.offer(db_session, offer_id)

    @put("/{offer_id:int}", guards=[requires(*LEADS)])
    async def update_offer(
        self, db_session: AsyncSession, offer_id: int, data: offer_service.OfferIn
    ) -> offer_service.OfferOut:
        """Changes an offer (`active: false` withdraws it; its answers stay for the report)."""
        return await offer_service.update(db_session, offer_id, data)

    @post("/suggest", guards=[requires(*STAFF)], status_code=200)
    async def suggest(
        self, db_session: AsyncSession, data: offer_service.SuggestIn
    ) -> list[offer_service.SuggestedOffer]:
        """The offers to mention to this customer now, best first, each with its reasons; `text` is what
        the customer says (cue words raise an offer)."""
        return await offer_service.suggest(db_session, data)

    @post("/{offer_id:int}/responses", guards=[requires(*DESK)])
    async def respond(
        self, request: Request[Any, Any, Any], db_session: AsyncSession, offer_id: int, data: offer_service.ResponseIn
    ) -> offer_service.ResponseOut:
        """Records the customer's answer: accept, decline or later (declined offers rest 90 days, later 7)."""
        user = current_user(request)
        return await offer_service.respond(db_session, offer_id, data, user.id if user else None)

    @get("/report", guards=[requires(Role.ADMIN, Role.SUPERVISOR, Role.QA)])
    async def report(self, db_session: AsyncSession) -> list[offer_service.Conversion]:
        """Conversion per offer: customers who answered, accepted, declined, later."""
        return await offer_service.conversion(db_session)
