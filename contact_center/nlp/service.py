"""Train the classifier on the tickets' own categories, keep each version, load the active one.

Training is CPU work of minutes: it runs in the CLI (`nlp train`), the arq worker (weekly) or the
embedded scheduler, in a thread, never in a request. Every process loads the active version named
in `nlp_models` from the shared var directory and checks for a newer one every `CHECK_SECONDS`.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import msgspec
import structlog
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from contact_center import clock
from contact_center.bounded import LongText
from contact_center.errors import DomainError, ValidationFailed
from contact_center.models import NlpModel, Ticket
from knowledge_base.classifier import Classifier, Example, Prediction, TrainResult, train

log = structlog.get_logger(__name__)
CHECK_SECONDS = 30.0
MAX_TEXT = 10_000
MAX_EXAMPLES = 200_000  # the newest tickets; older habits of categorising matter less
PRIORITY_AS_URGENCY = {"low": "low", "normal": "normal", "high": "high", "urgent": "urgent"}


class NoModel(DomainError):
    status_code = 409
    code = "no_model"


class ClassifyIn(msgspec.Struct, forbid_unknown_fields=True):
    text: LongText


class Alternative(msgspec.Struct):
    category: str
    confidence: float


class ClassifyOut(msgspec.Struct):
    category: str | None  # None when unsure: below the calibrated threshold
    confidence: float
    unsure: bool
    urgency: str
    urgency_cues: list[str]
    alternatives: list[Alternative]
    model_version: str


def to_schema(p: Prediction) -> ClassifyOut:
    return ClassifyOut(category=None if p.unsure else p.category, confidence=round(p.confidence, 4), unsure=p.unsure,
                       urgency=p.urgency, urgency_cues=list(p.urgency_cues),
                       alternatives=[Alternative(c, round(s, 4)) for c, s in p.alternatives],
                       model_version=p.model_version)  # fmt: skip


async def examples(session: AsyncSession, limit: int = MAX_EXAMPLES) -> list[Example]:
    """Tickets that carry a category (imported or set by agents), newest first; their priority is the
    urgency label."""
    rows = await session.execute(
        select(Ticket.subject, Ticket.description, Ticket.category, Ticket.priority)
        .where(Ticket.category.is_not(None), Ticket.category != "")
        .order_by(Ticket.created_at.desc())
        .limit(limit)
    )
    return [Example(f"{subject}\n{description or ''}".strip(), category, PRIORITY_AS_URGENCY.get(priority))
            for subject, description, category, priority in rows.all()]  # fmt: skip


async def train_and_activate(
    session: AsyncSession, models_dir: Path, *, seed: int = 0, holdout: float = 0.2, limit: int = MAX_EXAMPLES
) -> TrainResult:
    """Trains on the tickets, saves the model under `models_dir/<version>` and makes it the active one."""
    data = await examples(session, limit)
    if len({e.category for e in data}) < 2:
        raise ValidationFailed("training needs tickets with at least two different categories")
    result = await asyncio.to_thread(train, data, seed=seed, holdout=holdout)
    version = result.classifier.version
    path = models_dir / version
    await asyncio.to_thread(result.classifier.save, path)
    existing = (await session.execute(select(NlpModel).where(NlpModel.version == version))).scalar()
    await session.execute(update(NlpModel).values(active=False))
    if existing is None:
        existing = NlpModel(version=version, path=str(path))
        session.add(existing)
    existing.metrics, existing.active, existing.trained_at = (
        result.classifier.meta.get("metrics", {}),
        True,
        clock.now(),
    )
    existing.path = str(path)
    await session.flush()
    log.info("nlp.trained", version=version, examples=len(data), seconds=result.seconds)
    return result


class ClassifierHolder:
    """The active classifier of this process, reloaded when another process trains a new one."""

    def __init__(self) -> None:
        self._current: Classifier | None = None
        self._version: str | None = None
        self._checked = 0.0
        self._lock = asyncio.Lock()

    async def get(self, session: AsyncSession) -> Classifier | None:
        if time.monotonic() - self._checked < CHECK_SECONDS:
            return self._current
        async with self._lock:
            if time.monotonic() - self._checked < CHECK_SECONDS:
                return self._current
            row = (await session.execute(select(NlpModel.version, NlpModel.path).where(NlpModel.active))).first()
            if row is None:
                self._current = self._version = None
            elif row.version != self._version:
                try:
                    self._current = await asyncio.to_thread(Classifier.load, row.path)
                    self._version = row.version
                except (OSError, ValueError) as error:  # files not on this machine's volume, or incompatible
                    log.warning("nlp.load_failed", version=row.version, path=row.path, error=str(error))
            self._checked = time.monotonic()
            return self._current

    def changed(self) -> None:
        self._checked = 0.0


async def classify(holder: ClassifierHolder, session: AsyncSession, text: str) -> ClassifyOut:
    if len(text) > MAX_TEXT:
        raise ValidationFailed("text is longer than {max_text} characters", max_text=MAX_TEXT)
    classifier = await holder.get(session)
    if classifier is None:
        raise NoModel("no classifier trained yet: run `contact-center nlp train` (or wait for the weekly job)")
    return to_schema(await asyncio.to_thread(classifier.predict, text))  # CPU work: off the event loop


def report(result: TrainResult, worst: int = 10) -> list[str]:
    """Lines for the operator: accuracy, macro-F1, the worst classes, what was not learned."""
    lines = [f"model {result.classifier.version}: {len(result.classifier.labels)} categories, "
             f"{result.n_train} training and {result.n_holdout} held-out texts, {result.seconds:.1f} s"]  # fmt: skip
    evaluation = result.evaluation
    if evaluation is not None:
        lines.append(f"held-out accuracy {evaluation.accuracy:.3f}, macro-F1 {evaluation.macro_f1:.3f}; "
                     f"answered {evaluation.answered_share:.1%} at precision {evaluation.answered_precision:.3f} "
                     f"(threshold {result.classifier.threshold:.2f})")  # fmt: skip
        ranked = sorted(evaluation.per_class.items(), key=lambda item: item[1].f1)
        lines.append("per-class F1 (worst first):")
        lines += [f"  {score.f1:.3f}  P {score.precision:.2f} R {score.recall:.2f}  n={score.support:<5} {label}"
                  for label, score in ranked[:worst]]  # fmt: skip
        if len(ranked) > worst:
            lines.append(f"  ... {len(ranked) - worst} more, best {ranked[-1][1].f1:.3f}")
    if result.not_learned:
        lines.append("not learned (too few examples): "
                     + ", ".join(f"{c} ({n})" for c, n in list(result.not_learned.items())[:20]))  # fmt: skip
    return lines
