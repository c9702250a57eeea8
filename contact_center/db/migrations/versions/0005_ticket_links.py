"""ticket links

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22 12:39:10.543410
"""

from __future__ import annotations

import sqlalchemy as sa
from advanced_alchemy.types import DateTimeUTC
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# SQLite only auto-increments an INTEGER PRIMARY KEY.
BigInt = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "ticket_links",
        sa.Column("ticket_id", BigInt, nullable=False),
        sa.Column("other_id", BigInt, nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("created_by", BigInt, nullable=True),
        sa.Column("created_at", DateTimeUTC(timezone=True), nullable=False),
        sa.Column("id", BigInt, nullable=False),
        sa.CheckConstraint("ticket_id <> other_id", name=op.f("ck_ticket_links_not_self")),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name=op.f("fk_ticket_links_created_by_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["other_id"], ["tickets.id"], name=op.f("fk_ticket_links_other_id_tickets"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["ticket_id"], ["tickets.id"], name=op.f("fk_ticket_links_ticket_id_tickets"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ticket_links")),
        sa.UniqueConstraint("ticket_id", "other_id", name=op.f("uq_ticket_links_ticket_id_other_id")),
    )
    with op.batch_alter_table("ticket_links", schema=None) as batch_op:
        batch_op.create_index("ix_ticket_links_other_id", ["other_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("ticket_links", schema=None) as batch_op:
        batch_op.drop_index("ix_ticket_links_other_id")

    op.drop_table("ticket_links")
