"""Article suggestions: one `knowledge_base.ArticleIndex` per database per process, kept in step
with the articles table.

At most every `REFRESH_SECONDS` a search asks the database whether anything changed (one small
query: article count and latest edit, synonym groups, latest feedback). New or edited articles are
re-indexed one by one; a deletion or a changed synonym list rebuilds the index in a worker thread
while searches keep using the previous one. Feedback votes are replayed into the index, so the
re-ranking survives restarts.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from dataclasses import dataclass, field
from typing import Any

import msgspec
from sqlalchemy import func, select
from sqlalchemy.engine import URL
from sqlalchemy.ext.asyncio import AsyncSession

from contact_center import clock
from contact_center.bounded import Id, Int32, LongText, Text64
from contact_center.errors import ValidationFailed
from contact_center.models import Asset, KbArticle, KbFeedback, KbSynonymGroup, Ticket
from knowledge_base.index import Article, ArticleIndex
from knowledge_base.synonyms import DEFAULT_GROUPS, Synonyms

REFRESH_SECONDS = 2.0
MAX_TEXT = 10_000  # a longer text is refused: a pasted e-mail fits, a dumped log does not
MAX_LIMIT = 20
REPLAYED_FEEDBACK = 20_000  # the most recent votes a rebuilt index learns again


class SuggestRequest(msgspec.Struct, forbid_unknown_fields=True):
    text: LongText = ""
    limit: Int32 = 5
    customer_id: Id | None = None
    product: Text64 | None = None


class Suggestion(msgspec.Struct):
    id: int
    external_id: str
    title: str
    score: float
    snippet: str  # HTML: the body's best passage, escaped, matched words in <mark>
    lang: str
    product: str | None
    public: bool


class Suggestions(msgspec.Struct):
    suggestions: list[Suggestion]
    query: str  # what was searched: the text, or the context built from the customer's tickets
    product: str | None


@dataclass
class _State:
    index: ArticleIndex
    stamp: tuple[Any, ...]
    last_edit: dt.datetime | None
    last_feedback: int
    ids: dict[str, int]  # external_id → article id
    products: set[str] = field(default_factory=set)
    checked: float = 0.0


class KbSearch:
    """The indexes of this process (one per database: tests run several)."""

    def __init__(self) -> None:
        self._states: dict[URL, _State] = {}
        self._locks: dict[URL, asyncio.Lock] = {}

    def changed(self) -> None:
        """An article or synonym was written here: check the database on the next search, not in 2 s."""
        for state in self._states.values():
            state.checked = 0.0

    async def _stamp(self, session: AsyncSession) -> tuple[Any, ...]:
        # The sum of ids changes when an article is deleted and another added between two checks.
        articles = (
            await session.execute(select(func.count(), func.max(KbArticle.updated_at), func.sum(KbArticle.id)))
        ).one()
        synonyms = (await session.execute(select(func.count(), func.max(KbSynonymGroup.id)))).one()
        feedback = (await session.execute(select(func.max(KbFeedback.id)))).scalar() or 0
        return (articles[0], articles[1], synonyms[0], synonyms[1], feedback, articles[2])

    async def state(self, session: AsyncSession) -> _State:
        bind = session.bind or session.get_bind()
        key = bind.engine.url
        state = self._states.get(key)
        if state is not None and time.monotonic() - state.checked < REFRESH_SECONDS:
            return state
        async with self._locks.setdefault(key, asyncio.Lock()):
            state = self._states.get(key)
            if state is not None and time.monotonic() - state.checked < REFRESH_SECONDS:
                return state
            stamp = await self._stamp(session)
            if state is not None and stamp != state.stamp and stamp[2:4] == state.stamp[2:4]:
                await _catch_up(session, state, stamp)
                # New and edited articles are caught up; one deleted since shows as a count or id-sum
                # that no longer adds up: rebuild.
                if (len(state.ids), sum(state.ids.values())) != (stamp[0], stamp[5] or 0):
                    state = None
            elif state is not None and stamp[2:4] != state.stamp[2:4]:
                state = None  # new synonyms change every article's terms
            if state is None:
                state = await _build(session, stamp)
            state.checked = time.monotonic()
            self._states[key] = state
            return state


def _article(row: KbArticle) -> Article:
    return Article(external_id=row.external_id, title=row.title, body=row.body, lang=row.lang,  # type: ignore[arg-type]
                   tags=list(row.tags), product=row.product, public=row.public, status=row.status)  # type: ignore[arg-type]  # fmt: skip


async def _build(session: AsyncSession, stamp: tuple[Any, ...]) -> _State:
    rows = (await session.execute(select(KbArticle))).scalars().all()
    groups = [list(g.words) for g in (await session.execute(select(KbSynonymGroup))).scalars()]
    articles = [_article(r) for r in rows]
    synonyms = Synonyms.from_groups([*DEFAULT_GROUPS, *groups])
    # Tokenising thousands of articles takes seconds: off the event loop.
    index = await asyncio.to_thread(ArticleIndex.build, articles, synonyms)
    ids, products = {r.external_id: r.id for r in rows}, {r.product for r in rows if r.product}
    state = _State(index=index, stamp=stamp, last_edit=stamp[1], last_feedback=0, ids=ids, products=products)
    await _replay_feedback(session, state, stamp[4], limit=REPLAYED_FEEDBACK)
    for row in rows:  # after the replay, which counted votes again: the stored totals are the truth
        index.set_feedback(row.external_id, row.helpful, row.not_helpful)
    return state


async def _replay_feedback(session: AsyncSession, state: _State, upto: int, limit: int | None = None) -> None:
    query = (
        select(KbFeedback.id, KbFeedback.query, KbFeedback.helpful, KbArticle.external_id)
        .join(KbArticle, KbArticle.id == KbFeedback.article_id)
        .where(KbFeedback.id > state.last_feedback, KbFeedback.id <= upto, KbFeedback.query != "")
        .order_by(KbFeedback.id.desc())
    )
    rows = (await session.execute(query.limit(limit) if limit else query)).all()
    for _, text, helpful, external_id in reversed(rows):
        # For the (query word, article) votes; the caller then sets each article's stored totals.
        state.index.record_feedback(external_id, text, helpful)
    state.last_feedback = upto


async def _catch_up(session: AsyncSession, state: _State, stamp: tuple[Any, ...]) -> None:
    await _replay_feedback(session, state, stamp[4])  # a vote also bumps its article: re-read below
    query = select(KbArticle)
    if state.last_edit is not None:
        query = query.where(KbArticle.updated_at > state.last_edit)
    for row in (await session.execute(query)).scalars():
        state.index.add(_article(row))
        state.index.set_feedback(row.external_id, row.helpful, row.not_helpful)
        state.ids[row.external_id] = row.id
        if row.product:
            state.products.add(row.product)
    state.stamp, state.last_edit = stamp, stamp[1]


def _article_product(state: _State, product: str | None) -> str | None:
    """The articles' product naming for a model: "RAC-22" finds articles about "RAC-22" or "RAC" (an
    article's product is a model prefix). A model no article names filters nothing: general articles
    and those of other naming still answer."""
    if not product:
        return None
    model = product.strip().upper()
    matches = [p for p in state.products if model.startswith(p.strip().upper())]
    return max(matches, key=len) if matches else None


async def customer_context(session: AsyncSession, customer_id: int) -> tuple[str, str | None]:
    """What the caller is probably calling about: their open tickets, then recent complaints (text),
    and the product of the most recent of those (to filter articles)."""
    since = clock.now() - dt.timedelta(days=90)
    rows = (
        await session.execute(
            select(Ticket.subject, Ticket.description, Asset.product_model)
            .outerjoin(Asset, Asset.id == Ticket.asset_id)
            .where(Ticket.customer_id == customer_id)
            .where(Ticket.status.in_(("new", "open", "pending", "on_hold")) | (
                (Ticket.kind == "complaint") & (Ticket.created_at >= since)))
            .order_by(Ticket.created_at.desc())
            .limit(3)
        )
    ).all()  # fmt: skip
    text = "\n".join(f"{r.subject} {r.description or ''}"[:300] for r in rows)
    product = next((r.product_model for r in rows if r.product_model), None)
    return text, product


async def suggest(
    searcher: KbSearch, session: AsyncSession, request: SuggestRequest, *, include_internal: bool = True
) -> Suggestions:
    """Ranked articles for what the customer says (or, with only `customer_id`, for their open tickets)."""
    if not 1 <= request.limit <= MAX_LIMIT:
        raise ValidationFailed("limit must be between 1 and {max_limit}", max_limit=MAX_LIMIT)
    if len(request.text) > MAX_TEXT:
        raise ValidationFailed(
            "text is longer than {max_text} characters: send the customer's question", max_text=MAX_TEXT
        )
    text, product = request.text.strip(), request.product
    if request.customer_id is not None:
        context, customer_product = await customer_context(session, request.customer_id)
        text = text or context
        product = product or customer_product
    state = await searcher.state(session)
    if not text:
        return Suggestions(suggestions=[], query="", product=product)
    # Off the event loop: cutting words is CPU work, and the first search loads jieba and spaCy's tables
    # (seconds) — on the loop that stalled every call's screen-pop in the process meanwhile.
    hits = await asyncio.to_thread(state.index.search, text, request.limit, product=_article_product(state, product),
                                   include_internal=include_internal)  # fmt: skip
    return Suggestions(
        suggestions=[Suggestion(id=state.ids.get(h.external_id, 0), external_id=h.external_id, title=h.title,
                                score=h.score, snippet=h.snippet, lang=h.lang, product=h.product, public=h.public)
                     for h in hits],
        query=text[:500],
        product=product,
    )  # fmt: skip
