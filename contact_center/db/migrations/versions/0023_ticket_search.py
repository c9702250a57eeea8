"""ticket search: search terms on each ticket; a GIN index on PostgreSQL, an FTS5 table kept by triggers
on SQLite; an index for newest-first pages. Existing tickets are indexed by `contact-center tickets reindex` (or the next import).

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-07 21:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import TSVECTOR

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None

SQLITE_FTS = [
    # External content: the terms live once, on tickets; the FTS table holds only its index.
    "CREATE VIRTUAL TABLE tickets_fts USING fts5(search_terms, content='tickets', content_rowid='id')",
    """CREATE TRIGGER tickets_fts_insert AFTER INSERT ON tickets WHEN new.search_terms IS NOT NULL BEGIN
         INSERT INTO tickets_fts(rowid, search_terms) VALUES (new.id, new.search_terms); END""",
    """CREATE TRIGGER tickets_fts_delete AFTER DELETE ON tickets WHEN old.search_terms IS NOT NULL BEGIN
         INSERT INTO tickets_fts(tickets_fts, rowid, search_terms) VALUES ('delete', old.id, old.search_terms); END""",
    """CREATE TRIGGER tickets_fts_update AFTER UPDATE OF search_terms ON tickets BEGIN
         INSERT INTO tickets_fts(tickets_fts, rowid, search_terms)
           SELECT 'delete', old.id, old.search_terms WHERE old.search_terms IS NOT NULL;
         INSERT INTO tickets_fts(rowid, search_terms) SELECT new.id, new.search_terms WHERE new.search_terms IS NOT NULL;
       END""",
]


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    with op.batch_alter_table("tickets") as batch:
        batch.add_column(sa.Column("search_terms", TSVECTOR() if postgres else sa.Text(), nullable=True))
    op.create_index("ix_tickets_created_at_id", "tickets", ["created_at", "id"])
    if postgres:
        op.create_index("ix_tickets_search_terms", "tickets", ["search_terms"], postgresql_using="gin")
    else:
        for statement in SQLITE_FTS:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.drop_index("ix_tickets_search_terms", table_name="tickets")
    else:
        for name in ("tickets_fts_update", "tickets_fts_delete", "tickets_fts_insert"):
            op.execute(f"DROP TRIGGER {name}")
        op.execute("DROP TABLE tickets_fts")
    op.drop_index("ix_tickets_created_at_id", table_name="tickets")
    with op.batch_alter_table("tickets") as batch:
        batch.drop_column("search_terms")
