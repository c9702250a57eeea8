"""access log: who opened which customer's record, when, through which page or API

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-07 20:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from advanced_alchemy.types import DateTimeUTC
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None

BigInt = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "access_log",
        sa.Column("at", DateTimeUTC(timezone=True), nullable=False),
        sa.Column("user_id", BigInt, nullable=True),
        sa.Column("customer_id", BigInt, nullable=False),
        sa.Column("via", sa.String(120), nullable=False),
        sa.Column("address", sa.String(64), nullable=True),
        sa.Column("id", BigInt, nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_access_log_user_id_users"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_access_log")),
    )
    op.create_index("ix_access_log_customer_id_at", "access_log", ["customer_id", "at"])
    op.create_index("ix_access_log_user_id_at", "access_log", ["user_id", "at"])


def downgrade() -> None:
    op.drop_table("access_log")
