"""Migrations bring an empty database to the schema the models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlalchemy.ext.asyncio import AsyncSession

from contact_center.db.base import Base
from contact_center.db.migrate import alembic_config


async def test_migrations_create_every_table_and_index(session: AsyncSession) -> None:
    def read(conn: object) -> tuple[set[str], set[str]]:
        inspector = inspect(conn)
        tables = set(inspector.get_table_names())
        indexes = {ix["name"] for t in tables for ix in inspector.get_indexes(t) if ix["name"]}
        return tables, indexes

    conn = await session.connection()
    tables, indexes = await conn.run_sync(read)
    assert set(Base.metadata.tables) <= tables
    # The indexes the screen-pop and history lookups rely on.
    assert {
        "ix_customer_phones_e164",
        "ix_tickets_customer_id_created_at",
        "ix_interactions_customer_id_started_at",
    } <= indexes
    version = (await session.execute(text("SELECT version_num FROM alembic_version"))).scalar_one()
    assert version == ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()


async def test_migrations_and_models_agree(session: AsyncSession) -> None:
    """Autogenerate finds nothing to do: every model change came with its migration."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from contact_center.db.base import include_object

    def diff(conn: object) -> list[object]:
        context = MigrationContext.configure(conn, opts={"include_object": include_object})  # type: ignore[arg-type]
        return list(compare_metadata(context, Base.metadata))

    assert await (await session.connection()).run_sync(diff) == []
