"""index the foreign keys that had none (interactions.agent_id, ticket_events.actor_id)

Deleting a user made PostgreSQL scan every interaction and ticket event to SET NULL their references.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_interactions_agent_id", "interactions", ["agent_id"])
    op.create_index("ix_ticket_events_actor_id", "ticket_events", ["actor_id"])


def downgrade() -> None:
    op.drop_index("ix_ticket_events_actor_id", table_name="ticket_events")
    op.drop_index("ix_interactions_agent_id", table_name="interactions")
