"""e-mail out: attempts and the next try of a reply being sent

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-08 01:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from advanced_alchemy.types import DateTimeUTC
from alembic import op

revision = "0027"
down_revision = "0026"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("ticket_messages", sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"))
    op.add_column("ticket_messages", sa.Column("next_attempt_at", DateTimeUTC(timezone=True), nullable=True))
    op.add_column("ticket_messages", sa.Column("delivery_error", sa.Text(), nullable=True))
    op.create_index("ix_ticket_messages_delivery_next", "ticket_messages", ["delivery", "next_attempt_at"])


def downgrade() -> None:
    op.drop_index("ix_ticket_messages_delivery_next", "ticket_messages")
    for column in ("delivery_error", "next_attempt_at", "attempts"):
        op.drop_column("ticket_messages", column)
