"""trained ticket classifiers

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-22 14:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from advanced_alchemy.types import DateTimeUTC, JsonB
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

BigInt = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "nlp_models",
        sa.Column("version", sa.String(length=64), nullable=False),
        sa.Column("path", sa.String(length=500), nullable=False),
        sa.Column("metrics", JsonB, nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("trained_at", DateTimeUTC(timezone=True), nullable=False),
        sa.Column("id", BigInt, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_nlp_models")),
        sa.UniqueConstraint("version", name=op.f("uq_nlp_models_version")),
    )
    op.create_index(op.f("ix_nlp_models_active"), "nlp_models", ["active"])


def downgrade() -> None:
    op.drop_table("nlp_models")
