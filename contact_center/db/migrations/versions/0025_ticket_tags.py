"""ticket tags: the team's own labels on a ticket

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-07 22:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from advanced_alchemy.types import JsonB
from alembic import op

revision = "0025"
down_revision = "0024"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # ADD COLUMN, not a batch copy: SQLite's tickets table carries the search triggers, which a copy drops.
    op.add_column("tickets", sa.Column("tags", JsonB, nullable=False, server_default=sa.text("'[]'")))


def downgrade() -> None:
    op.drop_column("tickets", "tags")
