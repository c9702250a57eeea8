"""SQL for users and tokens."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from contact_center.models import ApiToken, User


async def get_user_by_username(session: AsyncSession, username: str) -> User | None:
    return (await session.execute(select(User).where(User.username == username))).scalar_one_or_none()


async def get_user_by_extension(session: AsyncSession, extension: str) -> User | None:
    return (await session.execute(select(User).where(User.extension == extension))).scalar_one_or_none()


async def get_user(session: AsyncSession, user_id: int) -> User | None:
    return await session.get(User, user_id)


async def get_user_by_token_hash(session: AsyncSession, token_hash: str) -> User | None:
    query = (
        select(User)
        .join(ApiToken, ApiToken.user_id == User.id)
        .where(ApiToken.token_hash == token_hash, ApiToken.revoked_at.is_(None), User.is_active.is_(True))
    )
    return (await session.execute(query)).scalar_one_or_none()


def add(session: AsyncSession, obj: User | ApiToken) -> None:
    session.add(obj)
