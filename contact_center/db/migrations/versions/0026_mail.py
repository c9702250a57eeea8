"""e-mail in: every received message kept as it came; messages carry their channel and Message-ID

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-08 01:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from advanced_alchemy.types import DateTimeUTC
from alembic import op

revision = "0026"
down_revision = "0025"
branch_labels = None
depends_on = None

BigInt = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.add_column("ticket_messages", sa.Column("channel", sa.String(16), nullable=True))
    op.add_column("ticket_messages", sa.Column("direction", sa.String(8), nullable=False, server_default="out"))
    op.add_column("ticket_messages", sa.Column("message_id", sa.String(500), nullable=True))
    op.add_column("ticket_messages", sa.Column("sender", sa.String(320), nullable=True))
    op.add_column("ticket_messages", sa.Column("delivery", sa.String(16), nullable=True))
    op.create_index("ix_ticket_messages_message_id", "ticket_messages", ["message_id"], unique=True)
    op.create_table(
        "mail_inbox",
        sa.Column("id", BigInt, nullable=False),
        sa.Column("received_at", DateTimeUTC(timezone=True), nullable=False),
        sa.Column("raw", sa.LargeBinary(), nullable=False),
        sa.Column("envelope_from", sa.String(320), nullable=True),
        sa.Column("recipients", sa.Text(), nullable=False),
        sa.Column("message_id", sa.String(500), nullable=True),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("ticket_id", BigInt, nullable=True),
        sa.ForeignKeyConstraint(["ticket_id"], ["tickets.id"], name=op.f("fk_mail_inbox_ticket_id_tickets"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mail_inbox")),
    )  # fmt: skip
    op.create_index("ix_mail_inbox_message_id", "mail_inbox", ["message_id"])
    op.create_index("ix_mail_inbox_outcome_received_at", "mail_inbox", ["outcome", "received_at"])


def downgrade() -> None:
    op.drop_table("mail_inbox")
    op.drop_index("ix_ticket_messages_message_id", "ticket_messages")
    for column in ("delivery", "sender", "message_id", "direction", "channel"):
        op.drop_column("ticket_messages", column)
