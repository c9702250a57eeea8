"""tickets.next_escalation_at: when a ticket's next escalation level is due (what the sweeps scan)

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from advanced_alchemy.types import DateTimeUTC
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.add_column(sa.Column("next_escalation_at", DateTimeUTC(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f("ix_tickets_next_escalation_at"), ["next_escalation_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tickets_next_escalation_at"))
        batch_op.drop_column("next_escalation_at")
