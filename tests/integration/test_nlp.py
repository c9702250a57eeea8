"""The classifier in the app: trained on the tickets' own categories, it answers /api/nlp/classify,
proposes the category of a new ticket (recording its version), and the rule table routes on it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from contact_center.models import NlpModel, Queue, Ticket
from contact_center.nlp import service as nlp_service
from knowledge_base.training_data import generate

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)


async def _tickets(sessions: async_sessionmaker[AsyncSession]) -> list[str]:
    examples = generate(n=900, classes=5, seed=3)
    async with sessions() as s, s.begin():
        for e in examples:
            s.add(Ticket(kind="repair", subject=e.text[:300], description="", category=e.category,
                         priority=e.urgency or "normal", status="closed", extra={}, sla_pauses=[],
                         escalation_level=0))  # fmt: skip
    return sorted({e.category for e in examples})


async def test_trained_on_the_tickets_it_classifies_and_routes_new_ones(
    client: AsyncTestClient[Any],
    agent_headers: dict[str, str],
    admin_headers: dict[str, str],
    sessions: async_sessionmaker[AsyncSession],
    tmp_path: Path,
) -> None:
    untrained = await client.post("/api/nlp/classify", json={"text": "冷氣不冷"}, headers=agent_headers)
    assert untrained.status_code == 409 and "nlp train" in untrained.json()["message"]

    categories = await _tickets(sessions)
    async with sessions() as s, s.begin():
        result = await nlp_service.train_and_activate(s, tmp_path / "models", seed=1)
    assert result.evaluation is not None and result.evaluation.accuracy > 0.6
    assert any("macro-F1" in line for line in nlp_service.report(result))
    async with sessions() as s:
        active = (await s.execute(select(NlpModel).where(NlpModel.active))).scalar_one()
        assert active.version == result.classifier.version and (Path(active.path) / "classifier.json").exists()

    client.app.state.classifier.changed()  # as another process would within CHECK_SECONDS
    sample = next(e for e in generate(n=300, classes=5, seed=99) if e.category == categories[0])
    found = await client.post("/api/nlp/classify", json={"text": sample.text}, headers=agent_headers)
    assert found.status_code == 200, found.text
    body = found.json()
    assert body["model_version"] == result.classifier.version and body["urgency"] in ("low", "normal", "high", "urgent")
    assert body["alternatives"][0]["category"] == body["category"] or body["unsure"]
    empty = (await client.post("/api/nlp/classify", json={"text": "   "}, headers=agent_headers)).json()
    assert empty["unsure"] is True and empty["category"] is None
    too_long = await client.post("/api/nlp/classify", json={"text": "x" * 10_001}, headers=agent_headers)
    assert too_long.status_code == 422

    # A rule on the proposed category puts new tickets in a queue.
    async with sessions() as s, s.begin():
        queue = Queue(name="special", display_name="專線", description="", required_skills=[], strategy="round_robin")
        s.add(queue)
        await s.flush()
        queue_id = queue.id
    rule = {"queue_id": queue_id, "category": body["category"] or body["alternatives"][0]["category"]}
    assert (await client.post("/api/routing-rules", json=rule, headers=admin_headers)).status_code == 201
    created = await client.post("/api/tickets", json={"kind": "repair", "subject": sample.text[:300]},
                                headers=agent_headers)  # fmt: skip
    ticket = created.json()
    assert ticket["category_model"] == result.classifier.version and ticket["category_confidence"] > 0
    if ticket["category"] is not None:  # confident: categorised and routed by the rule
        assert ticket["category"] == rule["category"] and ticket["queue_id"] == queue_id
    given = await client.post("/api/tickets", json={"kind": "repair", "subject": sample.text[:300], "category": "人工分類"},
                              headers=agent_headers)  # fmt: skip
    assert (
        given.json()["category"] == "人工分類" and given.json()["category_model"] is None
    )  # the agent's choice stands
