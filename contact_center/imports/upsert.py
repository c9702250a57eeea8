"""SQL of the importer: bulk reference resolution, upsert by external_id, phone sync."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import Table, delete, insert, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from contact_center import clock
from contact_center.models import Asset, Customer, CustomerPhone, Interaction, Purchase, Ticket, User
from contact_center.tickets import search_index

Model = type[Customer] | type[Asset] | type[Purchase] | type[Ticket] | type[Interaction]
MODELS: dict[str, Model] = {
    "customers": Customer,
    "assets": Asset,
    "purchases": Purchase,
    "tickets": Ticket,
    "interactions": Interaction,
}
_CHUNK = 1000


@dataclass(frozen=True)
class Ref:
    field: str  # in the converted row: the other record's external id
    column: str  # our foreign key column
    model: Model
    required: bool


REFS: dict[str, tuple[Ref, ...]] = {
    "customers": (),
    "assets": (Ref("customer_external_id", "customer_id", Customer, True),),
    "purchases": (Ref("customer_external_id", "customer_id", Customer, True),),
    "tickets": (
        Ref("customer_external_id", "customer_id", Customer, True),
        Ref("asset_external_id", "asset_id", Asset, False),
    ),
    "interactions": (
        Ref("customer_external_id", "customer_id", Customer, False),
        Ref("ticket_external_id", "ticket_id", Ticket, False),
    ),
}


@dataclass
class Outcome:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    messages: list[tuple[int, str, str]] = field(default_factory=list)


def _chunks(items: Sequence[Any], size: int = _CHUNK) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class ReferenceCache:
    """external_id → id of rows already seen in this import run, so most references need no query."""

    def __init__(self, limit: int = 1_000_000) -> None:
        self._maps: dict[str, dict[str, int]] = {}
        self._limit = limit

    def remember(self, model: Model, pairs: Iterable[tuple[str, int]]) -> None:
        known = self._maps.setdefault(model.__tablename__, {})
        if len(known) > self._limit:
            known.clear()
        known.update(pairs)

    async def resolve(self, session: AsyncSession, model: Model, external_ids: set[str]) -> dict[str, int]:
        known = self._maps.setdefault(model.__tablename__, {})
        missing = [e for e in external_ids if e not in known]
        for chunk in _chunks(missing):
            rows = await session.execute(select(model.external_id, model.id).where(model.external_id.in_(chunk)))
            self.remember(model, ((str(e), int(i)) for e, i in rows))
            known = self._maps[model.__tablename__]
        return {e: known[e] for e in external_ids if e in known}


def _dedupe(batch: list[tuple[int, Any]], outcome: Outcome) -> list[tuple[int, Any]]:
    latest: dict[str, tuple[int, Any]] = {}
    for line, item in batch:
        row = item[0] if isinstance(item, tuple) else item
        previous = latest.get(row["external_id"])
        if previous:
            outcome.messages.append(
                (
                    previous[0],
                    "warning",
                    f"external_id {row['external_id']!r} repeated on line {line}; the later line wins",
                )
            )
        latest[row["external_id"]] = (line, item)
    return sorted(latest.values(), key=lambda pair: pair[0])


async def _resolve(
    session: AsyncSession, kind: str, batch: list[tuple[int, dict[str, Any]]], cache: ReferenceCache, outcome: Outcome
) -> list[tuple[int, dict[str, Any]]]:
    for ref in REFS[kind]:
        wanted = {row[ref.field] for _, row in batch if row.get(ref.field)}
        found = await cache.resolve(session, ref.model, wanted)
        kept = []
        for line, row in batch:
            external = row.pop(ref.field, None)
            row[ref.column] = found.get(external) if external else None
            if external and row[ref.column] is None:
                what = f"{ref.field} {external!r} not found"
                if ref.required:
                    outcome.messages.append((line, "error", f"{what} (import {ref.model.__tablename__} first)"))
                    continue
                outcome.messages.append((line, "warning", f"{what}; imported without it"))
                row["extra"] = {**row["extra"], ref.field: external}
            kept.append((line, row))
        batch = kept
    return batch


async def _map_agents(session: AsyncSession, rows: list[dict[str, Any]]) -> None:
    names = sorted({r["agent_name"] for r in rows if r.get("agent_name")})
    found: dict[str, int] = {}
    if names:
        query = select(User.username, User.id).where(User.username.in_(names))
        found = {name: user_id for name, user_id in await session.execute(query)}
    for row in rows:
        row["agent_id"] = found.get(row.get("agent_name") or "")


def _upsert_statement(session: AsyncSession, model: Model, columns: list[str]) -> Any:
    table = cast(Table, model.__table__)
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = insert(table)
    excluded = statement.excluded
    # search_terms follow the text: written when the row changes, never the reason it is written.
    compared = [c for c in columns if c not in ("external_id", "updated_at", "search_terms")]
    return statement.on_conflict_do_update(
        index_elements=["external_id"],
        set_={c: excluded[c] for c in columns if c != "external_id"},
        # Only rows whose values differ are written: a re-import leaves everything as it was.
        where=or_(*(table.c[c].is_distinct_from(excluded[c]) for c in compared)),
    ).returning(table.c.id, table.c.external_id)


async def write_batch(session: AsyncSession, kind: str, batch: list[tuple[int, Any]], cache: ReferenceCache) -> Outcome:
    outcome = Outcome()
    model = MODELS[kind]
    unique = _dedupe(batch, outcome)
    phones = {item[0]["external_id"]: item[1] for _, item in unique} if kind == "customers" else {}
    rows_in = [(line, item[0] if kind == "customers" else item) for line, item in unique]
    rows_in = await _resolve(session, kind, rows_in, cache, outcome)
    rows = [row for _, row in rows_in]
    if not rows:
        return outcome
    if kind == "interactions":
        await _map_agents(session, rows)
    if hasattr(model, "updated_at"):
        now = clock.now()
        for row in rows:
            row["updated_at"] = now
    if kind == "tickets":
        # Written with the row, not after it: a second write of every imported ticket would leave as many
        # dead rows behind (a million after a big import) until vacuum.
        for row in rows:
            row["search_terms"] = search_index.row_terms(row.get("subject") or "", row.get("description") or "")
    ids = [row["external_id"] for row in rows]
    existing: dict[str, int] = {}
    for chunk in _chunks(ids):
        existing.update(
            (e, i)
            for e, i in await session.execute(select(model.external_id, model.id).where(model.external_id.in_(chunk)))
        )
    written = dict(
        (e, i) for i, e in (await session.execute(_upsert_statement(session, model, list(rows[0])), rows)).all()
    )
    all_ids = {**existing, **written}
    cache.remember(model, all_ids.items())
    if kind == "tickets":
        # New tickets got their terms with the insert; a changed one may have messages, which its row lacks.
        await search_index.refresh(session, [i for e, i in written.items() if e in existing])
    changed = set(written)
    if phones:
        changed |= await _sync_phones(session, {all_ids[e]: phones[e] for e in ids}, all_ids)
    outcome.inserted = sum(1 for e in ids if e not in existing)
    outcome.updated = sum(1 for e in ids if e in existing and e in changed)
    outcome.unchanged = len(ids) - outcome.inserted - outcome.updated
    return outcome


async def _sync_phones(
    session: AsyncSession, wanted: dict[int, list[tuple[str, str]]], ids: dict[str, int]
) -> set[str]:
    """Makes each customer's phones exactly the imported list; returns external ids whose phones changed."""
    have: dict[int, dict[str, tuple[int, str]]] = {}
    for chunk in _chunks(list(wanted)):
        query = select(CustomerPhone.id, CustomerPhone.customer_id, CustomerPhone.e164, CustomerPhone.raw)
        for pid, cid, e164, raw in await session.execute(query.where(CustomerPhone.customer_id.in_(chunk))):
            have.setdefault(cid, {})[e164] = (pid, raw)
    to_insert, to_delete, to_update, touched = [], [], [], set()
    for cid, numbers in wanted.items():
        current = have.get(cid, {})
        desired = dict(numbers)
        to_delete += [pid for e164, (pid, _) in current.items() if e164 not in desired]
        to_insert += [{"customer_id": cid, "e164": e, "raw": r} for e, r in desired.items() if e not in current]
        to_update += [
            {"pid": current[e][0], "raw": r} for e, r in desired.items() if e in current and current[e][1] != r
        ]
        if set(current) != set(desired) or any(current[e][1] != r for e, r in desired.items() if e in current):
            touched.add(cid)
    for chunk in _chunks(to_delete):
        await session.execute(delete(CustomerPhone).where(CustomerPhone.id.in_(chunk)))
    if to_insert:
        await session.execute(insert(CustomerPhone), to_insert)
    for item in to_update:
        await session.execute(update(CustomerPhone).where(CustomerPhone.id == item["pid"]).values(raw=item["raw"]))
    by_id = {i: e for e, i in ids.items()}
    return {by_id[cid] for cid in touched}
