"""offers, the customers' answers to them, and snapshots of scheduled computations

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-22 14:25:00
"""

from __future__ import annotations

import sqlalchemy as sa
from advanced_alchemy.types import DateTimeUTC, JsonB
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

BigInt = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "offers",
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("product_model", sa.String(length=64), nullable=False),
        sa.Column("rules", JsonB, nullable=False),
        sa.Column("reason_template", sa.String(length=300), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", DateTimeUTC(timezone=True), nullable=False),
        sa.Column("updated_at", DateTimeUTC(timezone=True), nullable=False),
        sa.Column("id", BigInt, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_offers")),
        sa.UniqueConstraint("code", name=op.f("uq_offers_code")),
    )
    op.create_table(
        "offer_responses",
        sa.Column("offer_id", BigInt, nullable=False),
        sa.Column("customer_id", BigInt, nullable=False),
        sa.Column("response", sa.String(length=16), nullable=False),
        sa.Column("user_id", BigInt, nullable=True),
        sa.Column("ticket_id", BigInt, nullable=True),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.Column("at", DateTimeUTC(timezone=True), nullable=False),
        sa.Column("id", BigInt, nullable=False),
        sa.ForeignKeyConstraint(["offer_id"], ["offers.id"], name=op.f("fk_offer_responses_offer_id_offers"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["customer_id"], ["customers.id"],
                                name=op.f("fk_offer_responses_customer_id_customers"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_offer_responses_user_id_users"),
                                ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["ticket_id"], ["tickets.id"], name=op.f("fk_offer_responses_ticket_id_tickets"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_offer_responses")),
    )  # fmt: skip
    op.create_index("ix_offer_responses_customer_id_at", "offer_responses", ["customer_id", "at"])
    op.create_index("ix_offer_responses_offer_id_response", "offer_responses", ["offer_id", "response"])
    op.create_index(op.f("ix_offer_responses_user_id"), "offer_responses", ["user_id"])
    op.create_index(op.f("ix_offer_responses_ticket_id"), "offer_responses", ["ticket_id"])
    op.create_table(
        "snapshots",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("data", JsonB, nullable=False),
        sa.Column("computed_at", DateTimeUTC(timezone=True), nullable=False),
        sa.Column("id", BigInt, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_snapshots")),
        sa.UniqueConstraint("name", name=op.f("uq_snapshots_name")),
    )


def downgrade() -> None:
    op.drop_table("snapshots")
    op.drop_table("offer_responses")
    op.drop_table("offers")
