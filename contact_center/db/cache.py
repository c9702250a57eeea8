"""Small, rarely changing tables remembered per database for a few seconds.

Every new ticket reads the routing rules, the SLA policies and a business calendar; they change a
few times a year. The process that changes one forgets it at once; other processes (workers,
instances) see the change within `seconds`.
"""

from __future__ import annotations

import time
from collections.abc import Hashable
from typing import ClassVar, Generic, TypeVar

from sqlalchemy.engine import URL
from sqlalchemy.ext.asyncio import AsyncSession

T = TypeVar("T")


class PerDatabase(Generic[T]):
    _instances: ClassVar[list[PerDatabase[object]]] = []

    def __init__(self, seconds: float = 10.0) -> None:
        self.seconds = seconds
        self._entries: dict[tuple[URL, Hashable], tuple[float, T]] = {}
        PerDatabase._instances.append(self)  # type: ignore[arg-type]

    @staticmethod
    def _database(session: AsyncSession) -> URL:
        bind = session.bind or session.get_bind()
        return bind.engine.url  # immutable and hashable; repr() of it costs more than the lookup

    def get(self, session: AsyncSession, key: Hashable = None) -> tuple[bool, T | None]:
        """(found, value): a remembered None is a value too (no policy, no rule)."""
        entry = self._entries.get((self._database(session), key))
        if entry is None or entry[0] < time.monotonic():
            return False, None
        return True, entry[1]

    def put(self, session: AsyncSession, value: T, key: Hashable = None) -> T:
        self._entries[(self._database(session), key)] = (time.monotonic() + self.seconds, value)
        return value

    def forget(self) -> None:
        self._entries.clear()

    @classmethod
    def forget_all(cls) -> None:
        """After a test empties a database, nothing remembered from before may survive."""
        for cache in cls._instances:
            cache.forget()
