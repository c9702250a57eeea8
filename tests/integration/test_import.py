"""Importing from the old system: idempotent upserts, bad lines reported and skipped, nothing else lost."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from contact_center.cli import main
from contact_center.commands import import_files
from contact_center.db.base import Base
from contact_center.imports.service import Importer
from contact_center.models import Asset, Customer, CustomerPhone, Interaction, Ticket
from contact_center.settings import Settings

CUSTOMERS = [
    {
        "external_id": "C1",
        "name": "陳美玉",
        "phones": ["(02)2345-6789", "0912-345-678"],
        "email": "mei@example.com.tw",
        "birthday": "1970-05-01",
        "city": "台北市",
        "vip_since": "2019-01-01",
    },
    {"external_id": "C2", "name": "陳志明", "phones": ["02-2345-6789"], "city": "台北市"},
]
ASSETS = [
    {
        "external_id": "A1",
        "customer_external_id": "C1",
        "product_model": "RAC-36NK",
        "serial": "SN1",
        "installed_on": "2021-06-01",
        "warranty_until": "2024-06-01",
    },
]
PURCHASES = [
    {
        "external_id": "P1",
        "customer_external_id": "C1",
        "product_model": "RAC-36NK",
        "amount": 42000,
        "purchased_at": "2021-05-20T14:00:00+08:00",
        "channel": "store",
    },
]
TICKETS = [
    {
        "external_id": "T1",
        "customer_external_id": "C1",
        "asset_external_id": "A1",
        "kind": "repair",
        "subject": "冷氣不冷",
        "description": "開了一小時還是不冷",
        "created_at": "2023-07-01T10:00:00+08:00",
        "closed_at": "2023-07-03T16:00:00+08:00",
        "technician": "王志明",
        "channel": "phone",
        "satisfaction": 4,
        "status": "closed",
        "priority": "high",
        "category": "冷氣不冷",
    },
    {
        "external_id": "T2",
        "customer_external_id": "C2",
        "asset_external_id": None,
        "kind": "billing",
        "subject": "帳單疑問",
        "description": "",
        "created_at": "2024-01-05T09:00:00+08:00",
        "closed_at": None,
        "technician": None,
        "channel": "web",
        "satisfaction": None,
        "status": "處理中",
        "priority": "normal",
        "category": "帳單疑問",
    },
]
INTERACTIONS = [
    {
        "external_id": "I1",
        "customer_external_id": "C1",
        "ticket_external_id": "T1",
        "channel": "call",
        "direction": "in",
        "started_at": "2023-07-01T09:58:00+08:00",
        "duration_seconds": 240,
        "agent": "nobody",
        "summary": "報修冷氣",
    },
]


def _write(directory: Path, name: str, rows: list[Any]) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    path.write_text(
        "".join((r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)) + "\n" for r in rows), "utf-8"
    )
    return path


@pytest.fixture
def files(tmp_path: Path) -> list[Path]:
    return [
        _write(tmp_path, "customers.jsonl", CUSTOMERS),
        _write(tmp_path, "assets.jsonl", ASSETS),
        _write(tmp_path, "purchases.jsonl", PURCHASES),
        _write(tmp_path, "tickets.jsonl", TICKETS),
        _write(tmp_path, "interactions.jsonl", INTERACTIONS),
    ]


async def _snapshot(sessions: async_sessionmaker[AsyncSession]) -> dict[str, list[Any]]:
    async with sessions() as session:
        return {
            name: [tuple(row) for row in await session.execute(text(f"SELECT * FROM {name} ORDER BY 1"))]
            for name in Base.metadata.tables
        }


async def _import_all(sessions: async_sessionmaker[AsyncSession], files: list[Path]) -> list[Any]:
    importer = Importer(sessions, batch_size=2)  # small batches: the batch boundaries are exercised too
    return [await importer.import_file(path) for path in files]


async def test_importing_twice_changes_nothing(sessions: async_sessionmaker[AsyncSession], files: list[Path]) -> None:
    first = await _import_all(sessions, files)
    assert [(r.kind, r.inserted, r.skipped) for r in first] == [
        ("customers", 2, 0),
        ("assets", 1, 0),
        ("purchases", 1, 0),
        ("tickets", 2, 0),
        ("interactions", 1, 0),
    ]
    before = await _snapshot(sessions)
    second = await _import_all(sessions, files)
    assert all(r.inserted == 0 and r.updated == 0 and r.unchanged == r.read for r in second)
    assert await _snapshot(sessions) == before


async def test_imported_records_are_linked_and_keep_unknown_fields(
    sessions: async_sessionmaker[AsyncSession], files: list[Path]
) -> None:
    await _import_all(sessions, files)
    async with sessions() as session:
        mei = (await session.execute(select(Customer).where(Customer.external_id == "C1"))).scalar_one()
        assert mei.extra == {"vip_since": "2019-01-01"} and mei.emails == ["mei@example.com.tw"]
        shared = (
            (await session.execute(select(CustomerPhone.customer_id).where(CustomerPhone.e164 == "+886223456789")))
            .scalars()
            .all()
        )
        assert len(shared) == 2
        repair = (await session.execute(select(Ticket).where(Ticket.external_id == "T1"))).scalar_one()
        asset = (await session.execute(select(Asset).where(Asset.external_id == "A1"))).scalar_one()
        assert (repair.customer_id, repair.asset_id, repair.technician) == (mei.id, asset.id, "王志明")
        assert repair.created_at.utcoffset() is not None and repair.created_at.hour == 2  # 10:00 +08:00 is 02:00 UTC
        billing = (await session.execute(select(Ticket).where(Ticket.external_id == "T2"))).scalar_one()
        assert billing.status == "open" and billing.extra["original_status"] == "處理中"
        call = (await session.execute(select(Interaction))).scalar_one()
        assert (call.ticket_id, call.agent_id, call.agent_name) == (repair.id, None, "nobody")


async def test_a_changed_record_is_updated_and_its_phones_replaced(
    sessions: async_sessionmaker[AsyncSession], files: list[Path], tmp_path: Path
) -> None:
    await _import_all(sessions, files)
    changed = [dict(CUSTOMERS[0], city="新北市", phones=["0912-345-678"]), CUSTOMERS[1]]
    report = await Importer(sessions).import_file(_write(tmp_path / "again", "customers.jsonl", changed))
    assert (report.inserted, report.updated, report.unchanged) == (0, 1, 1)
    async with sessions() as session:
        mei = (await session.execute(select(Customer).where(Customer.external_id == "C1"))).scalar_one()
        phones = (
            (await session.execute(select(CustomerPhone.e164).where(CustomerPhone.customer_id == mei.id)))
            .scalars()
            .all()
        )
        assert mei.city == "新北市" and phones == ["+886912345678"]


async def test_bad_lines_are_reported_with_their_number_and_skipped(
    sessions: async_sessionmaker[AsyncSession], tmp_path: Path
) -> None:
    path = _write(
        tmp_path,
        "customers.jsonl",
        [
            CUSTOMERS[0],
            '{"external_id": "C9", "name": "broken',
            {"external_id": "C3"},
            {"external_id": "C4", "name": "林先生", "phones": ["1999"]},
            {"external_id": "C5", "name": "林太太", "birthday": "yesterday"},
            "[1, 2]",
            "",
            CUSTOMERS[1],
        ],
    )
    report = await Importer(sessions).import_file(path)
    assert (report.read, report.inserted, report.skipped) == (7, 2, 5)
    lines = {line: message for line, level, message in report.messages if level == "error"}
    assert set(lines) == {2, 3, 4, 5, 6}
    assert "JSON" in lines[2] and "name" in lines[3] and "1999" in lines[4] and "birthday" in lines[5]
    async with sessions() as session:
        names = (await session.execute(select(Customer.name).order_by(Customer.id))).scalars().all()
    assert names == ["陳美玉", "陳志明"]


async def test_asset_of_an_unknown_customer_is_reported_and_the_rest_imported(
    sessions: async_sessionmaker[AsyncSession], files: list[Path], tmp_path: Path
) -> None:
    await Importer(sessions).import_file(files[0])
    assets = _write(
        tmp_path / "more",
        "assets.jsonl",
        [
            {"external_id": "A7", "customer_external_id": "NOPE", "product_model": "WM-12V", "serial": "X"},
            ASSETS[0],
        ],
    )
    report = await Importer(sessions).import_file(assets)
    assert (report.inserted, report.skipped) == (1, 1)
    assert report.messages[0][:2] == (1, "error") and "NOPE" in report.messages[0][2]
    async with sessions() as session:
        assert (await session.execute(select(Asset.external_id))).scalars().all() == ["A1"]


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_cli_import_prints_a_summary_and_fails_on_skipped_lines(
    settings: Settings,
    files: list[Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("DATABASE_URL", settings.database.url)
    from contact_center.settings import get_settings

    get_settings.cache_clear()
    try:
        assert main(["import", *map(str, reversed(files))]) == 0  # any order: customers go first
        out = capsys.readouterr().out
        assert "customers.jsonl (customers): 2 read, 2 new" in out and "tickets.jsonl (tickets): 2 read, 2 new" in out
        bad = _write(tmp_path / "bad", "tickets.jsonl", ["not json"])
        assert main(["import", str(bad)]) == 1
        assert "tickets.jsonl:1: error: not valid JSON" in capsys.readouterr().err
        assert main(["import", str(tmp_path / "missing.jsonl")]) == 1
    finally:
        get_settings.cache_clear()


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
async def test_a_200000_line_file_with_poison_lines_in_the_middle_loses_only_those_lines(
    sessions: async_sessionmaker[AsyncSession], settings: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "customers.jsonl"
    poison = {
        150_000: '{"external_id": "P1", "name": ' + "[" * 50_000 + "]" * 50_000 + "}",  # RecursionError
        150_001: json.dumps({"external_id": "P2", "name": "林\u0000美華"}),  # PostgreSQL refuses NUL
        150_002: json.dumps({"external_id": "P3", "name": "ok", "extra_note": {"deep": "x\u0000"}}),
        150_003: json.dumps({"external_id": "P4", "name": "名" * 500}),  # longer than the column
        150_004: json.dumps({"external_id": "P5", "name": "ok", "birthday": "1999-02-31"}),
    }
    with path.open("w") as out:
        for n in range(1, 200_001):
            out.write(poison.get(n) or json.dumps({"external_id": f"C{n}", "name": f"客戶{n}"}, ensure_ascii=False))
            out.write("\n")
    [report] = await import_files(settings, [path])  # what `contact-center import` runs
    assert (report.skipped, report.inserted) == (len(poison), 200_000 - len(poison))
    reported = [line for line in capsys.readouterr().err.splitlines() if ": error: " in line]
    assert sorted(int(line.split(":")[1]) for line in reported) == sorted(poison)
    assert all(line.startswith(f"{path}:") for line in reported)
    async with sessions() as session:
        count = (await session.execute(text("SELECT count(*) FROM customers"))).scalar_one()
    assert count == 200_000 - len(poison)


async def test_a_batch_the_database_refuses_is_retried_line_by_line(
    sessions: async_sessionmaker[AsyncSession], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sqlalchemy.exc import DataError

    from contact_center.imports import upsert

    real = upsert.write_batch

    async def refusing(session: AsyncSession, kind: str, batch: list[tuple[int, Any]], cache: Any) -> Any:
        # What no check of ours foresaw and the database refuses (here: any batch holding customer BAD).
        if any(item[0]["external_id"] == "BAD" for _, item in batch):
            raise DataError("INSERT ...", {}, Exception("value too long for type character varying(16)"))
        return await real(session, kind, batch, cache)

    monkeypatch.setattr(upsert, "write_batch", refusing)
    rows = [{"external_id": f"C{n}", "name": f"客戶{n}"} for n in range(1, 36)]
    rows[16] = {"external_id": "BAD", "name": "壞資料"}
    path = _write(tmp_path, "customers.jsonl", rows)
    report = await Importer(sessions, batch_size=10).import_file(path)
    assert (report.inserted, report.skipped) == (34, 1)
    [(line, level, message)] = report.messages
    assert (line, level) == (17, "error") and "refused" in message and "value too long" in message
    async with sessions() as session:
        count = (await session.execute(select(func.count()).select_from(Customer))).scalar_one()
    assert count == 34


async def test_imported_tickets_are_searchable_and_written_once(
    sessions: async_sessionmaker[AsyncSession], files: list[Path]
) -> None:
    """The terms go in with the row (no second write), and a re-import keeps them."""
    from contact_center.tickets import search

    await _import_all(sessions, files)
    async with sessions() as session:
        subject = (await session.execute(text("SELECT subject FROM tickets ORDER BY id LIMIT 1"))).scalar_one()
        found = await search.search(session, subject)
    assert found.total >= 1 and subject in [hit.ticket.subject for hit in found.items]
    before = await _snapshot(sessions)
    await _import_all(sessions, files)
    assert await _snapshot(sessions) == before
