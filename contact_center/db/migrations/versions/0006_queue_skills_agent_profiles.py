"""queues with skills and strategy, agent profiles

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22 12:39:57.049014
"""

from __future__ import annotations

import sqlalchemy as sa
from advanced_alchemy.types import DateTimeUTC, JsonB
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

# SQLite only auto-increments an INTEGER PRIMARY KEY.
BigInt = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "agent_profiles",
        sa.Column("user_id", BigInt, nullable=False),
        sa.Column("skills", JsonB, nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("presence", sa.String(length=16), nullable=False),
        sa.Column("presence_since", DateTimeUTC(timezone=True), nullable=False),
        sa.Column("last_assigned_at", DateTimeUTC(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_agent_profiles_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_agent_profiles")),
    )
    with op.batch_alter_table("queues", schema=None) as batch_op:
        # Server defaults fill the queues that exist already.
        batch_op.add_column(sa.Column("required_skills", JsonB, nullable=False, server_default=sa.text("'[]'")))
        batch_op.add_column(
            sa.Column("strategy", sa.String(length=32), nullable=False, server_default="skills_least_loaded")
        )


def downgrade() -> None:
    with op.batch_alter_table("queues", schema=None) as batch_op:
        batch_op.drop_column("strategy")
        batch_op.drop_column("required_skills")

    op.drop_table("agent_profiles")
