"""sla policies

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-22 12:45:04.261329
"""

from __future__ import annotations

import datetime

import sqlalchemy as sa
from advanced_alchemy.types import DateTimeUTC, JsonB
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

# SQLite only auto-increments an INTEGER PRIMARY KEY.
BigInt = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


_LEVELS = [
    {"at": 0.75, "action": "warn_owner"},
    {"at": 1.0, "action": "notify_supervisors"},
    {"at": 1.5, "action": "reassign_and_raise"},
]
_NOW = datetime.datetime(2026, 11, 22, tzinfo=datetime.UTC)
# Sane defaults an admin edits: minutes of business time (Mon-Fri 09:00-18:00, Taiwan holidays).
DEFAULT_POLICIES = [
    {
        "name": "緊急 urgent",
        "priority": "urgent",
        "tier": None,
        "first_response_minutes": 30,
        "resolution_minutes": 240,
    },
    {"name": "高 high", "priority": "high", "tier": None, "first_response_minutes": 60, "resolution_minutes": 960},
    {"name": "VIP", "priority": None, "tier": "vip", "first_response_minutes": 60, "resolution_minutes": 960},
    {"name": "預設 default", "priority": None, "tier": None, "first_response_minutes": 240, "resolution_minutes": 1440},
]
for _policy in DEFAULT_POLICIES:
    _policy.update(calendar="taiwan", levels=_LEVELS, created_at=_NOW)


def upgrade() -> None:
    policies = op.create_table(
        "sla_policies",
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("priority", sa.String(length=16), nullable=True),
        sa.Column("tier", sa.String(length=16), nullable=True),
        sa.Column("first_response_minutes", sa.Integer(), nullable=False),
        sa.Column("resolution_minutes", sa.Integer(), nullable=False),
        sa.Column("calendar", sa.String(length=32), nullable=False),
        sa.Column("levels", JsonB, nullable=False),
        sa.Column("created_at", DateTimeUTC(timezone=True), nullable=False),
        sa.Column("id", BigInt, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sla_policies")),
    )
    op.bulk_insert(policies, DEFAULT_POLICIES)
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sla_policy_id", BigInt, nullable=True))
        batch_op.add_column(sa.Column("first_response_due", DateTimeUTC(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("resolution_due", DateTimeUTC(timezone=True), nullable=True))
        # Constant server defaults: PostgreSQL adds them without rewriting the (large) tickets table.
        batch_op.add_column(sa.Column("sla_pauses", JsonB, nullable=False, server_default=sa.text("'[]'")))
        batch_op.add_column(sa.Column("escalation_level", sa.Integer(), nullable=False, server_default="0"))
        batch_op.create_index(batch_op.f("ix_tickets_resolution_due"), ["resolution_due"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_tickets_sla_policy_id_sla_policies"),
            "sla_policies",
            ["sla_policy_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade() -> None:
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_tickets_sla_policy_id_sla_policies"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_tickets_resolution_due"))
        batch_op.drop_column("escalation_level")
        batch_op.drop_column("sla_pauses")
        batch_op.drop_column("resolution_due")
        batch_op.drop_column("first_response_due")
        batch_op.drop_column("sla_policy_id")

    op.drop_table("sla_policies")
