"""The bridge's unacknowledged events on disk, so a bridge that is killed and started again sends them.

A small SQLite file (the standard library's sqlite3, WAL): an event is written before it is sent
and deleted when the app acknowledges it; at start the bridge loads what is left, in order. WAL with
`synchronous=NORMAL` keeps a committed row through a process crash (what we guard against: a kill,
an OOM, a deploy) at tens of microseconds a write, without an fsync on the screen-pop path.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from pathlib import Path


class Spool:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute("CREATE TABLE IF NOT EXISTS pending (seq INTEGER PRIMARY KEY, id TEXT UNIQUE, data BLOB)")

    def load(self) -> list[tuple[str, bytes]]:
        """What was still unacknowledged, oldest first."""
        return [(str(i), bytes(d)) for i, d in self._db.execute("SELECT id, data FROM pending ORDER BY seq")]

    def add(self, event_id: str, data: bytes) -> None:
        self._db.execute("INSERT OR IGNORE INTO pending (id, data) VALUES (?, ?)", (event_id, data))

    def remove(self, event_ids: Iterable[str]) -> None:
        self._db.executemany("DELETE FROM pending WHERE id = ?", [(i,) for i in event_ids])

    def close(self) -> None:
        self._db.close()
