"""REST endpoints of the knowledge base: articles (leads write, staff read), suggestions, feedback,
synonyms; and the public, read-only part the customer portal uses."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Controller, Request, delete, get, post, put
from sqlalchemy.ext.asyncio import AsyncSession

from contact_center.auth.guards import STAFF, current_user, public, requires
from contact_center.errors import NotFound
from contact_center.kb import articles
from contact_center.kb import search as kb_search
from contact_center.models import Role
from contact_center.pagination import DEFAULT_LIMIT, Page

EDITORS = (Role.ADMIN, Role.SUPERVISOR, Role.QA)


def _searcher(request: Request[Any, Any, Any]) -> kb_search.KbSearch:
    searcher: kb_search.KbSearch = request.app.state.kb_search
    return searcher


def _actor(request: Request[Any, Any, Any]) -> int | None:
    user = current_user(request)
    return user.id if user else None


class KbController(Controller):
    path = "/api/kb"
    tags = ["knowledge base"]

    @post("/suggest", guards=[requires(*STAFF)], status_code=200)
    async def suggest(
        self, request: Request[Any, Any, Any], db_session: AsyncSession, data: kb_search.SuggestRequest
    ) -> kb_search.Suggestions:
        """Ranked articles for what the customer says; with only `customer_id`, for their open tickets
        and recent complaints (the screen-pop). Internal articles included: staff only."""
        return await kb_search.suggest(_searcher(request), db_session, data)

    @get("/articles", guards=[requires(*STAFF)])
    async def list_articles(
        self,
        db_session: AsyncSession,
        q: str | None = None,
        status: str | None = None,
        lang: str | None = None,
        public: bool | None = None,
        limit: int = DEFAULT_LIMIT,
        offset: int = 0,
    ) -> Page[articles.Article]:
        """Articles, most recently edited first; `q` matches the title or external_id."""
        return await articles.search_list(db_session, q=q, status=status, lang=lang, public=public, limit=limit,
                                          offset=offset)  # fmt: skip

    @post("/articles", guards=[requires(*EDITORS)])
    async def create_article(
        self, request: Request[Any, Any, Any], db_session: AsyncSession, data: articles.ArticleWrite
    ) -> articles.Article:
        """Writes an article (draft or published, public or internal)."""
        article = await articles.create(db_session, data, _actor(request))
        _searcher(request).changed()
        return articles.to_schema(article)

    @get("/articles/{article_id:int}", guards=[requires(*STAFF)])
    async def get_article(self, db_session: AsyncSession, article_id: int) -> articles.Article:
        return articles.to_schema(await articles.get(db_session, article_id))

    @put("/articles/{article_id:int}", guards=[requires(*EDITORS)])
    async def update_article(
        self, request: Request[Any, Any, Any], db_session: AsyncSession, article_id: int, data: articles.ArticleWrite
    ) -> articles.Article:
        """Replaces an article's content; the previous version is kept in its history."""
        article = await articles.update(db_session, article_id, data, _actor(request))
        _searcher(request).changed()
        return articles.to_schema(article)

    @delete("/articles/{article_id:int}", guards=[requires(*EDITORS)])
    async def delete_article(self, request: Request[Any, Any, Any], db_session: AsyncSession, article_id: int) -> None:
        await articles.delete(db_session, article_id)
        _searcher(request).changed()

    @get("/articles/{article_id:int}/revisions", guards=[requires(*STAFF)])
    async def article_revisions(self, db_session: AsyncSession, article_id: int) -> list[articles.Revision]:
        """Earlier versions, newest first."""
        return await articles.revisions(db_session, article_id)

    @post("/articles/{article_id:int}/feedback", guards=[requires(*STAFF)], status_code=200)
    async def feedback(
        self, request: Request[Any, Any, Any], db_session: AsyncSession, article_id: int, data: articles.FeedbackIn
    ) -> articles.Article:
        """Marks a suggestion helpful or not for `query` (what was searched); later rankings learn from it."""
        article = await articles.record_feedback(db_session, article_id, data, _actor(request))
        _searcher(request).changed()
        return articles.to_schema(article)

    @get("/synonyms", guards=[requires(*STAFF)])
    async def synonyms(self, db_session: AsyncSession) -> list[articles.SynonymGroup]:
        """The synonym groups admins added (on top of the shipped list)."""
        return await articles.synonym_groups(db_session)

    @post("/synonyms", guards=[requires(*EDITORS)])
    async def add_synonyms(
        self, request: Request[Any, Any, Any], db_session: AsyncSession, data: articles.SynonymGroupIn
    ) -> articles.SynonymGroup:
        """Declares words equivalent for search, e.g. ["洗衣機", "洗衣机", "washer"]."""
        group = await articles.add_synonym_group(db_session, data)
        _searcher(request).changed()
        return group

    @delete("/synonyms/{group_id:int}", guards=[requires(*EDITORS)])
    async def delete_synonyms(self, request: Request[Any, Any, Any], db_session: AsyncSession, group_id: int) -> None:
        await articles.delete_synonym_group(db_session, group_id)
        _searcher(request).changed()


class PublicArticle(msgspec.Struct):
    external_id: str
    title: str
    body: str
    lang: str
    tags: list[str]
    product: str | None
    updated_at: Any


class PortalKbController(Controller):
    """What anyone may read: published, public articles (the portal's search and deflection)."""

    path = "/api/portal"
    tags = ["portal"]

    @get("/articles", guards=[public])
    async def search_articles(
        self, request: Request[Any, Any, Any], db_session: AsyncSession, q: str = "", limit: int = 10
    ) -> kb_search.Suggestions:
        """Public articles answering `q`."""
        request_data = kb_search.SuggestRequest(text=q, limit=limit)
        return await kb_search.suggest(_searcher(request), db_session, request_data, include_internal=False)

    @get("/articles/{external_id:str}", guards=[public])
    async def read_article(self, db_session: AsyncSession, external_id: str) -> PublicArticle:
        article = await articles.by_external_id(db_session, external_id)
        if article is None or not article.public or article.status != "published":
            raise NotFound(
                "no article {external_id}", external_id=external_id
            )  # an internal or draft one does not exist out here
        return PublicArticle(external_id=article.external_id, title=article.title, body=article.body,
                             lang=article.lang, tags=list(article.tags), product=article.product,
                             updated_at=article.updated_at)  # fmt: skip

    @post("/suggest", guards=[public], status_code=200)
    async def deflect(
        self, request: Request[Any, Any, Any], db_session: AsyncSession, data: kb_search.SuggestRequest
    ) -> kb_search.Suggestions:
        """Articles that may answer the question a customer is typing into a new ticket."""
        query = kb_search.SuggestRequest(text=data.text, limit=data.limit, product=data.product)  # no customer context
        return await kb_search.suggest(_searcher(request), db_session, query, include_internal=False)
