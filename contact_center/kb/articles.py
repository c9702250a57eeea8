"""Knowledge-base articles: write, edit (each edit keeps the previous version), list, import, feedback.

Search itself is `contact_center.kb.search` over the `knowledge_base` library; this module is the
data those indexes are built from.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import msgspec
from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from contact_center import clock
from contact_center.bounded import LongText, Text8, Text16, Text64, Text100, Text300, Text500
from contact_center.errors import Conflict, NotFound, ValidationFailed
from contact_center.imports.service import ImportReport
from contact_center.models import KbArticle, KbFeedback, KbRevision, KbSynonymGroup
from contact_center.pagination import Page, check_window

LANGS = ("zh-Hant", "zh-Hans", "en")
STATUSES = ("draft", "published")
EXTERNAL_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$")
MAX_BODY = 100_000
MAX_TAGS = 30
SNAPSHOT_FIELDS = ("title", "body", "lang", "tags", "product", "category", "public", "status")


class Article(msgspec.Struct):
    id: int
    external_id: str
    title: str
    body: str
    lang: str
    tags: list[str]
    product: str | None
    category: str | None
    public: bool
    status: str
    helpful: int
    not_helpful: int
    created_at: dt.datetime
    updated_at: dt.datetime


class ArticleWrite(msgspec.Struct, forbid_unknown_fields=True):
    title: Text300
    body: LongText
    external_id: Text64 | None = None  # generated when omitted (KB-<n>)
    lang: Text8 = "zh-Hant"
    tags: list[Text64] = []
    product: Text64 | None = None
    category: Text100 | None = None
    public: bool = True
    status: Text16 = "published"


class Revision(msgspec.Struct):
    id: int
    at: dt.datetime
    actor_id: int | None
    snapshot: dict[str, Any]


class FeedbackIn(msgspec.Struct, forbid_unknown_fields=True):
    helpful: bool
    query: Text500 = ""


class SynonymGroup(msgspec.Struct):
    id: int
    words: list[str]


class SynonymGroupIn(msgspec.Struct, forbid_unknown_fields=True):
    words: list[Text64]


def to_schema(a: KbArticle) -> Article:
    return Article(id=a.id, external_id=a.external_id, title=a.title, body=a.body, lang=a.lang, tags=list(a.tags),
                   product=a.product, category=a.category, public=a.public, status=a.status, helpful=a.helpful,
                   not_helpful=a.not_helpful, created_at=a.created_at, updated_at=a.updated_at)  # fmt: skip


def _clean(data: ArticleWrite) -> dict[str, Any]:
    """The stored form of an article, or ValidationFailed naming the first bad field."""
    title, body = data.title.strip(), data.body.strip()
    if not title or len(title) > 300:
        raise ValidationFailed("title: 1-300 characters")
    if not body or len(body) > MAX_BODY:
        raise ValidationFailed("body: 1-{max_body} characters", max_body=MAX_BODY)
    if data.lang not in LANGS:
        raise ValidationFailed("lang must be one of {choices}", choices=", ".join(LANGS))
    if data.status not in STATUSES:
        raise ValidationFailed("status must be one of {choices}", choices=", ".join(STATUSES))
    tags = list(dict.fromkeys(t.strip() for t in data.tags if t.strip()))
    if len(tags) > MAX_TAGS or any(len(t) > 50 for t in tags):
        raise ValidationFailed("tags: at most {max_tags}, each at most 50 characters", max_tags=MAX_TAGS)
    if data.external_id is not None and not EXTERNAL_ID.match(data.external_id):
        raise ValidationFailed("external_id: 1-64 letters, digits, '.', '_', ':' or '-'")
    product = (data.product or "").strip() or None
    category = (data.category or "").strip() or None
    if len(product or "") > 64 or len(category or "") > 100:
        raise ValidationFailed("product: at most 64 characters; category: at most 100")
    return {"title": title, "body": body, "lang": data.lang, "tags": tags, "product": product,
            "category": category, "public": data.public, "status": data.status}  # fmt: skip


def _snapshot(article: KbArticle) -> dict[str, Any]:
    return {field: getattr(article, field) for field in SNAPSHOT_FIELDS}


async def get(session: AsyncSession, article_id: int) -> KbArticle:
    article = await session.get(KbArticle, article_id)
    if article is None:
        raise NotFound("no article {article_id}", article_id=article_id)
    return article


async def by_external_id(session: AsyncSession, external_id: str) -> KbArticle | None:
    return (await session.execute(select(KbArticle).where(KbArticle.external_id == external_id))).scalar()


async def create(session: AsyncSession, data: ArticleWrite, actor_id: int | None) -> KbArticle:
    values = _clean(data)
    if data.external_id and await by_external_id(session, data.external_id):
        raise Conflict("an article with external_id {external_id!r} exists", external_id=data.external_id)
    now = clock.now()
    article = KbArticle(**values, external_id=data.external_id or f"tmp-{now.timestamp()}", helpful=0, not_helpful=0,
                        created_at=now, updated_at=now)  # fmt: skip
    session.add(article)
    await session.flush()
    if not data.external_id:
        article.external_id = f"KB-{article.id}"
    session.add(KbRevision(article_id=article.id, actor_id=actor_id, at=now, snapshot={"created": True}))
    await session.flush()
    return article


async def update(session: AsyncSession, article_id: int, data: ArticleWrite, actor_id: int | None) -> KbArticle:
    """Replaces an article's content; the previous version goes to its history (nothing when unchanged)."""
    article = await get(session, article_id)
    values = _clean(data)
    if data.external_id not in (None, article.external_id):
        raise ValidationFailed("external_id cannot change (other systems refer to it)")
    if all(getattr(article, k) == v for k, v in values.items()):
        return article
    now = clock.now()
    session.add(KbRevision(article_id=article.id, actor_id=actor_id, at=now, snapshot=_snapshot(article)))
    for field, value in values.items():
        setattr(article, field, value)
    article.updated_at = now
    await session.flush()
    return article


async def delete(session: AsyncSession, article_id: int) -> None:
    await session.delete(await get(session, article_id))


async def revisions(session: AsyncSession, article_id: int) -> list[Revision]:
    await get(session, article_id)
    query = select(KbRevision).where(KbRevision.article_id == article_id)
    rows = await session.execute(query.order_by(KbRevision.at.desc(), KbRevision.id.desc()))
    return [Revision(id=r.id, at=r.at, actor_id=r.actor_id, snapshot=r.snapshot) for r in rows.scalars()]


async def search_list(
    session: AsyncSession,
    *,
    q: str | None,
    status: str | None,
    lang: str | None,
    public: bool | None,
    limit: int,
    offset: int,
) -> Page[Article]:
    """The admin list: newest edits first, filtered; `q` matches the title or the external_id."""
    check_window(limit, offset)
    conditions = []
    if status is not None:
        if status not in STATUSES:
            raise ValidationFailed("status must be one of {choices}", choices=", ".join(STATUSES))
        conditions.append(KbArticle.status == status)
    if lang is not None:
        conditions.append(KbArticle.lang == lang)
    if public is not None:
        conditions.append(KbArticle.public == public)
    if q and q.strip():
        pattern = f"%{q.strip()[:100]}%"
        conditions.append(or_(KbArticle.title.ilike(pattern), KbArticle.external_id.ilike(pattern)))
    total = (await session.execute(select(func.count()).select_from(KbArticle).where(*conditions))).scalar_one()
    rows = await session.execute(
        select(KbArticle).where(*conditions).order_by(KbArticle.updated_at.desc(), KbArticle.id.desc())
        .limit(limit).offset(offset)
    )  # fmt: skip
    return Page(items=[to_schema(a) for a in rows.scalars()], total=total, limit=limit, offset=offset)


async def record_feedback(session: AsyncSession, article_id: int, data: FeedbackIn, user_id: int | None) -> KbArticle:
    """Stores a vote and keeps the article's counters (what the ranking reads) in step."""
    article = await get(session, article_id)
    session.add(KbFeedback(article_id=article.id, user_id=user_id, query=data.query.strip()[:500], helpful=data.helpful,
                           at=clock.now()))  # fmt: skip
    if data.helpful:
        article.helpful += 1
    else:
        article.not_helpful += 1
    article.updated_at = clock.now()  # the search indexes pick the new counts up
    await session.flush()
    return article


async def synonym_groups(session: AsyncSession) -> list[SynonymGroup]:
    rows = await session.execute(select(KbSynonymGroup).order_by(KbSynonymGroup.id))
    return [SynonymGroup(id=g.id, words=list(g.words)) for g in rows.scalars()]


async def add_synonym_group(session: AsyncSession, data: SynonymGroupIn) -> SynonymGroup:
    words = list(dict.fromkeys(w.strip() for w in data.words if w.strip()))
    if len(words) < 2:
        raise ValidationFailed("a synonym group needs at least two different words")
    if len(words) > 30 or any(len(w) > 40 for w in words):
        raise ValidationFailed("a synonym group has at most 30 words of at most 40 characters")
    group = KbSynonymGroup(words=words, created_at=clock.now())
    session.add(group)
    await session.flush()
    return SynonymGroup(id=group.id, words=words)


async def delete_synonym_group(session: AsyncSession, group_id: int) -> None:
    group = await session.get(KbSynonymGroup, group_id)
    if group is None:
        raise NotFound("no synonym group {group_id}", group_id=group_id)
    await session.delete(group)


# -- import -------------------------------------------------------------------------------------


def _record(obj: Any) -> ArticleWrite:
    if not isinstance(obj, dict):
        raise ValueError("a line must hold one JSON object")
    if not obj.get("external_id"):
        raise ValueError("external_id is required")
    known = {f: obj[f] for f in ("external_id", "title", "body", "lang", "tags", "product", "category", "public",
                                 "status") if obj.get(f) is not None}  # fmt: skip
    try:
        return msgspec.convert(known, ArticleWrite)
    except msgspec.ValidationError as error:
        raise ValueError(str(error)) from None


def _lines(path: Path) -> Iterator[tuple[int, bytes]]:
    with path.open("rb") as handle:
        yield from enumerate(handle, start=1)


async def import_file(
    session: AsyncSession, path: Path, on_message: Callable[[int, str], None] | None = None
) -> ImportReport:
    """Upserts articles by `external_id` from JSON Lines (ARCHITECTURE.md's contract); a changed
    article keeps its previous version in its history, an unchanged one is left alone; a bad line is
    reported with its number and skipped."""
    report = ImportReport(source=str(path), kind="kb articles")
    for number, line in _lines(path):
        if not line.strip():
            continue
        report.read += 1
        try:
            try:
                obj = json.loads(line.decode("utf-8-sig"))
            except UnicodeDecodeError:
                raise ValueError("not UTF-8") from None
            except json.JSONDecodeError as error:
                raise ValueError(f"not valid JSON ({error.msg} at column {error.colno})") from None
            data = _record(obj)
            values = _clean(data)
        except (ValueError, ValidationFailed) as error:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
            text = error.message if isinstance(error, ValidationFailed) else str(error)
            report.note(number, "error", text)
            if on_message:
                on_message(number, text)
            continue
        existing = await by_external_id(session, str(data.external_id))
        if existing is None:
            await create(session, data, None)
            report.inserted += 1
        elif all(getattr(existing, k) == v for k, v in values.items()):
            report.unchanged += 1
        else:
            await update(session, existing.id, data, None)
            report.updated += 1
    return report
