"""repair flags: abnormal repair frequency of units, models and technicians, as QA follows them up

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-22 16:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from advanced_alchemy.types import DateTimeUTC, JsonB
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

BigInt = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "repair_flags",
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("customer_id", BigInt, nullable=True),
        sa.Column("asset_id", BigInt, nullable=True),
        sa.Column("evidence", JsonB, nullable=False),
        sa.Column("first_flagged_on", sa.Date(), nullable=False),
        sa.Column("last_seen_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("acknowledged_by", BigInt, nullable=True),
        sa.Column("acknowledged_at", DateTimeUTC(timezone=True), nullable=True),
        sa.Column("created_at", DateTimeUTC(timezone=True), nullable=False),
        sa.Column("updated_at", DateTimeUTC(timezone=True), nullable=False),
        sa.Column("id", BigInt, nullable=False),
        sa.ForeignKeyConstraint(["customer_id"], ["customers.id"], name=op.f("fk_repair_flags_customer_id_customers"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["asset_id"], ["assets.id"], name=op.f("fk_repair_flags_asset_id_assets"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["acknowledged_by"], ["users.id"], name=op.f("fk_repair_flags_acknowledged_by_users"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_repair_flags")),
        sa.UniqueConstraint("kind", "subject", name=op.f("uq_repair_flags_kind_subject")),
    )  # fmt: skip
    op.create_index(op.f("ix_repair_flags_customer_id"), "repair_flags", ["customer_id"])
    op.create_index(op.f("ix_repair_flags_asset_id"), "repair_flags", ["asset_id"])
    op.create_index(op.f("ix_repair_flags_acknowledged_by"), "repair_flags", ["acknowledged_by"])
    op.create_index("ix_repair_flags_status_kind", "repair_flags", ["status", "kind"])


def downgrade() -> None:
    op.drop_table("repair_flags")
