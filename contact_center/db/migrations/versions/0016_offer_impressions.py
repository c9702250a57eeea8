"""offer impressions: an offer shown for a customer, once per day (conversion's denominator)

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-22 17:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from advanced_alchemy.types import DateTimeUTC
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

BigInt = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "offer_impressions",
        sa.Column("offer_id", BigInt, nullable=False),
        sa.Column("customer_id", BigInt, nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("at", DateTimeUTC(timezone=True), nullable=False),
        sa.Column("id", BigInt, nullable=False),
        sa.ForeignKeyConstraint(["offer_id"], ["offers.id"], name=op.f("fk_offer_impressions_offer_id_offers"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["customer_id"], ["customers.id"],
                                name=op.f("fk_offer_impressions_customer_id_customers"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_offer_impressions")),
        sa.UniqueConstraint("offer_id", "customer_id", "day", name=op.f("uq_offer_impressions_offer_id_customer_id_day")),
    )  # fmt: skip
    op.create_index(op.f("ix_offer_impressions_customer_id"), "offer_impressions", ["customer_id"])


def downgrade() -> None:
    op.drop_table("offer_impressions")
