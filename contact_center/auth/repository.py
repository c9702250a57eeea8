"""SQL for users and tokens."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from contact_center.models import ApiToken, User


async def get_user_by_username(session: AsyncSession, username: str) -> User | None:
    return (await session.execute(select(User).where(User.username == username))).scalar_one_or_none()


async def get_user_by_extension(session: AsyncSession, extension: str) -> User | None:
    return (await session.execute(select(User).where(User.extension == extension))).scalar_one_or_none()


async def get_user(session: AsyncSession, user_id: int) -> User | None:
    return await session.get(User, user_id)


async def get_user_by_token_hash(session: AsyncSession, token_hash: str, scope: str = "api") -> User | None:
    query = (
        select(User)
        .join(ApiToken, ApiToken.user_id == User.id)
        .where(ApiToken.token_hash == token_hash, ApiToken.scope == scope, ApiToken.revoked_at.is_(None),
               User.is_active.is_(True))
    )  # fmt: skip
    return (await session.execute(query)).scalar_one_or_none()


async def tokens(session: AsyncSession) -> Sequence[tuple[ApiToken, str]]:
    """Every token with its user's name, newest first (never the token: only its hash is kept)."""
    query = select(ApiToken, User.username).join(User, User.id == ApiToken.user_id).order_by(ApiToken.id.desc())
    return [(token, username) for token, username in (await session.execute(query)).all()]


async def get_token(session: AsyncSession, token_id: int) -> ApiToken | None:
    return await session.get(ApiToken, token_id)


def add(session: AsyncSession, obj: User | ApiToken) -> None:
    session.add(obj)
