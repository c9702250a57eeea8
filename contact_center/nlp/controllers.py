"""REST endpoints of the classifier: classify a text; the trained versions and how well they did."""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec
from litestar import Controller, Request, get, post
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from contact_center.auth.guards import STAFF, requires
from contact_center.models import NlpModel, Role
from contact_center.nlp import service as nlp_service


class ModelInfo(msgspec.Struct):
    version: str
    active: bool
    trained_at: dt.datetime
    metrics: dict[str, Any]


class NlpController(Controller):
    path = "/api/nlp"
    tags = ["classifier"]

    @post("/classify", guards=[requires(*STAFF)], status_code=200)
    async def classify(
        self, request: Request[Any, Any, Any], db_session: AsyncSession, data: nlp_service.ClassifyIn
    ) -> nlp_service.ClassifyOut:
        """Category (None when unsure), confidence, alternatives and urgency for a ticket text or call
        note; 409 until a model is trained."""
        return await nlp_service.classify(request.app.state.classifier, db_session, data.text)

    @get("/models", guards=[requires(Role.ADMIN, Role.SUPERVISOR, Role.QA)])
    async def models(self, db_session: AsyncSession) -> list[ModelInfo]:
        """Trained versions, newest first, with their held-out figures."""
        rows = await db_session.execute(select(NlpModel).order_by(NlpModel.trained_at.desc()).limit(50))
        return [ModelInfo(version=m.version, active=m.active, trained_at=m.trained_at, metrics=m.metrics)
                for m in rows.scalars()]  # fmt: skip
