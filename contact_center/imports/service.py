"""The importer: streams a JSON Lines file, converts each line, and upserts in batches.

Each batch is one transaction: resolve references in bulk, upsert by `external_id` (a row whose
values did not change is left alone, so importing the same file twice changes nothing), sync the
customers' phones, commit. A bad line is reported with its number and skipped; the rest goes in.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from contact_center.db.failures import describe
from contact_center.imports import kinds, records, upsert

MAX_KEPT_MESSAGES = 1000


@dataclass
class ImportReport:
    source: str
    kind: str
    read: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    warnings: int = 0
    messages: list[tuple[int, str, str]] = field(default_factory=list)  # (line, "error"|"warning", text)

    def note(self, line: int, level: str, text: str) -> None:
        if level == "error":
            self.skipped += 1
        else:
            self.warnings += 1
        if len(self.messages) < MAX_KEPT_MESSAGES:
            self.messages.append((line, level, text))

    def summary(self) -> str:
        return (
            f"{self.source} ({self.kind}): {self.read} read, {self.inserted} new, {self.updated} updated, "
            f"{self.unchanged} unchanged, {self.skipped} skipped, {self.warnings} warnings"
        )


Message = Callable[[str, int, str, str], None]  # (source, line, level, text)


def _lines(path: Path, progress: Callable[[int], None] | None) -> Iterator[tuple[int, bytes]]:
    with path.open("rb") as handle:
        for number, line in enumerate(handle, start=1):
            if progress:
                progress(len(line))
            yield number, line


def _nul_field(value: Any, path: str) -> str | None:
    """The first field (dotted path) whose text holds a NUL character: PostgreSQL refuses it in text."""
    if isinstance(value, str):
        return path if "\x00" in value else None
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, item in items:
        where = f"{path}.{key}" if path else str(key)
        if isinstance(key, str) and "\x00" in key:
            return where
        if (found := _nul_field(item, where)) is not None:
            return found
    return None


def _parse(line: bytes) -> dict[str, Any]:
    try:
        obj = json.loads(line.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise records.RecordError("not UTF-8") from None
    except json.JSONDecodeError as exc:
        raise records.RecordError(f"not valid JSON ({exc.msg} at column {exc.colno})") from None
    except RecursionError:
        raise records.RecordError("JSON nested too deeply") from None
    if not isinstance(obj, dict):
        raise records.RecordError("a line must hold one JSON object")
    if b"\\u0000" in line and (field := _nul_field(obj, "")) is not None:
        raise records.RecordError(f"{field} contains a NUL character")
    return obj


def _convert(kind: str, line: bytes) -> Any:
    """A line as the record to write; whatever is wrong with it is a RecordError, never a traceback."""
    try:
        return records.CONVERTERS[kind](_parse(line))
    except records.RecordError:
        raise
    except (ValueError, TypeError, OverflowError, RecursionError, AttributeError) as exc:
        raise records.RecordError(f"cannot be read ({type(exc).__name__}: {str(exc)[:200]})") from None


FIRST_ANALYZE = 10_000


class Importer:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        *,
        batch_size: int = 2000,
        on_message: Message | None = None,
    ) -> None:
        self._sessions = sessions
        self._batch_size = batch_size
        self._on_message = on_message
        self._refs = upsert.ReferenceCache()

    async def import_file(
        self, path: Path, kind: str | None = None, progress: Callable[[int], None] | None = None
    ) -> ImportReport:
        """Imports one file; `kind` is detected from the name or the fields when not given."""
        kind = kind or kinds.detect(path)
        if kind not in records.CONVERTERS:
            raise ValueError(f"{path}: cannot tell what this file holds; name it customers.jsonl, tickets.jsonl, ...")
        report = ImportReport(source=str(path), kind=kind)
        batch: list[tuple[int, Any]] = []
        analyze_at = FIRST_ANALYZE
        for number, line in _lines(path, progress):
            if not line.strip():
                continue
            report.read += 1
            try:
                batch.append((number, _convert(kind, line)))
            except records.RecordError as exc:
                self._note(report, number, "error", str(exc))
            if len(batch) >= self._batch_size:
                await self._flush(report, batch)
                batch = []
                if report.inserted >= analyze_at:
                    # Into an empty table the planner's statistics say "empty", and each batch's lookup
                    # by external id becomes a scan of everything loaded so far: quadratic. Refresh them
                    # as the table grows (at 10k, 40k, 160k, ... rows).
                    await self.analyze({kind})
                    analyze_at *= 4
        if batch:
            await self._flush(report, batch)
        return report

    def _note(self, report: ImportReport, line: int, level: str, text: str) -> None:
        report.note(line, level, text)
        if self._on_message:
            self._on_message(report.source, line, level, text)

    async def analyze(self, kinds_done: set[str]) -> None:
        """Refreshes PostgreSQL's planner statistics after a bulk load: with stale ones the first
        screen-pops after a migration plan badly until autovacuum catches up."""
        if not kinds_done:
            return
        async with self._sessions() as session:
            if session.get_bind().dialect.name != "postgresql":
                return
            tables = [upsert.MODELS[k].__tablename__ for k in sorted(kinds_done)]
            if "customers" in kinds_done:
                tables.append("customer_phones")
            await session.execute(text(f"ANALYZE {', '.join(tables)}"))
            await session.commit()

    async def _flush(self, report: ImportReport, batch: list[tuple[int, Any]]) -> None:
        try:
            async with self._sessions() as session, session.begin():
                outcome = await upsert.write_batch(session, report.kind, batch, self._refs)
        except DBAPIError:
            if len(batch) == 1:
                raise
            # One line the database refuses must not take the batch with it: line by line, only it is lost.
            for row in batch:
                try:
                    await self._flush(report, [row])
                except DBAPIError as exc:
                    self._note(report, row[0], "error", f"the database refused it ({describe(exc)})")
            return
        for line, level, message in outcome.messages:
            self._note(report, line, level, message)
        report.inserted += outcome.inserted
        report.updated += outcome.updated
        report.unchanged += outcome.unchanged
