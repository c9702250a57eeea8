"""Builders for test data: short calls that say what a test needs, committed for real."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from contact_center.auth import service as auth_service


async def make_user(
    sessions: async_sessionmaker[AsyncSession], role: str, name: str | None = None, **kwargs: Any
) -> tuple[int, str]:
    """A committed user of `role` and a bearer token for them."""
    username = name or f"{role}-{uuid.uuid4().hex[:6]}"
    async with sessions() as s, s.begin():
        user = await auth_service.add_user(s, username, role, **kwargs)
        token = await auth_service.create_token(s, username)
    return user.id, token


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


T = TypeVar("T")


def run_in_thread(coroutine: Coroutine[Any, Any, T]) -> T:
    """Runs a coroutine to completion from sync code that may sit inside a running loop (Playwright's)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()
