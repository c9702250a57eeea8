"""Terminal output for long jobs: a progress bar on a terminal, plain periodic lines otherwise."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn


@contextmanager
def progress(description: str, total: int, unit: str = "bytes") -> Iterator[Callable[[int], None]]:
    """Yields `advance(n)`; draws a bar on a terminal, prints a line every 10 s elsewhere (CI, logs)."""
    if sys.stderr.isatty():
        columns = [
            TextColumn("{task.description}"),
            BarColumn(),
            DownloadColumn() if unit == "bytes" else TextColumn("{task.completed:,.0f}/{task.total:,.0f}"),
            TimeRemainingColumn(),
        ]
        with Progress(*columns, transient=True) as bar:
            task = bar.add_task(description, total=total)
            yield lambda n: bar.advance(task, n)
        return
    done = 0
    last = time.monotonic()

    def advance(n: int) -> None:
        nonlocal done, last
        done += n
        if time.monotonic() - last >= 10:
            last = time.monotonic()
            print(f"  {description}: {100 * done / max(total, 1):.0f}%", file=sys.stderr, flush=True)

    yield advance
