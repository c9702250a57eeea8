"""What the CTI intake has done since this process started: read by /health (and the metrics)."""

from __future__ import annotations

import dataclasses


@dataclasses.dataclass
class CtiStats:
    received: int = 0
    acknowledged: int = 0
    duplicates: int = 0
    # Events the app can never store (stored nowhere, acknowledged as rejected, logged).
    rejected: int = 0
    # Events with a field cut to the contract's bounds (stored, with the fact recorded).
    truncated: int = 0
    # Frames that are not contract messages at all.
    malformed: int = 0
    writer_restarts: int = 0
    # Writers that crashed and wait to be restarted; the intake is degraded while any is down.
    writers_down: int = 0
    # A store that failed for a reason that passes (the database unreachable): retried, never dropped.
    retrying: int = 0
    last_error: str | None = None

    @property
    def healthy(self) -> bool:
        return self.writers_down == 0 and self.retrying == 0
