"""desk lists: canned replies (macros) and call dispositions, with a starting set of dispositions

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-07 21:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from advanced_alchemy.types import DateTimeUTC
from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None

BigInt = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

DISPOSITIONS = [
    ("resolved", "當場解決", "Resolved on the call"),
    ("ticket_opened", "已開案處理", "Ticket opened"),
    ("call_back", "需回電", "Call back"),
    ("visit_booked", "已約到府", "Visit booked"),
    ("sales_lead", "銷售機會", "Sales lead"),
    ("complaint", "客訴", "Complaint"),
    ("wrong_number", "打錯電話", "Wrong number"),
    ("silent", "無聲／斷線", "Silent or dropped"),
]


def upgrade() -> None:
    op.create_table(
        "macros",
        sa.Column("title", sa.String(120), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("lang", sa.String(16), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("updated_by", BigInt, nullable=True),
        sa.Column("updated_at", DateTimeUTC(timezone=True), nullable=False),
        sa.Column("id", BigInt, nullable=False),
        sa.ForeignKeyConstraint(["updated_by"], ["users.id"], name=op.f("fk_macros_updated_by_users"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_macros")),
    )
    dispositions = op.create_table(
        "dispositions",
        sa.Column("code", sa.String(40), nullable=False),
        sa.Column("label_zh", sa.String(80), nullable=False),
        sa.Column("label_en", sa.String(80), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("id", BigInt, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dispositions")),
        sa.UniqueConstraint("code", name=op.f("uq_dispositions_code")),
    )
    op.bulk_insert(dispositions, [
        {"code": code, "label_zh": zh, "label_en": en, "position": i, "active": True}
        for i, (code, zh, en) in enumerate(DISPOSITIONS)
    ])  # fmt: skip


def downgrade() -> None:
    op.drop_table("dispositions")
    op.drop_table("macros")
