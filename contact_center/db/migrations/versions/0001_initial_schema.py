"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-22 11:10:50.382171
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from advanced_alchemy.types import DateTimeUTC, JsonB

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

# SQLite only auto-increments an INTEGER PRIMARY KEY.
BigInt = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "customers",
        sa.Column("external_id", sa.String(length=64), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("emails", JsonB, nullable=False),
        sa.Column("birthday", sa.Date(), nullable=True),
        sa.Column("important_dates", JsonB, nullable=False),
        sa.Column("city", sa.String(length=64), nullable=True),
        sa.Column("address", sa.String(length=300), nullable=True),
        sa.Column("preferences", sa.Text(), nullable=True),
        sa.Column("taboos", sa.Text(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("value_tier", sa.String(length=16), nullable=False),
        sa.Column("customer_since", sa.Date(), nullable=True),
        sa.Column("extra", JsonB, nullable=False),
        sa.Column("created_at", DateTimeUTC(timezone=True), nullable=False),
        sa.Column("updated_at", DateTimeUTC(timezone=True), nullable=False),
        sa.Column("id", BigInt, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customers")),
        sa.UniqueConstraint("external_id", name=op.f("uq_customers_external_id")),
    )
    with op.batch_alter_table("customers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_customers_name"), ["name"], unique=False)

    op.create_table(
        "queues",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("display_name", sa.String(length=128), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("created_at", DateTimeUTC(timezone=True), nullable=False),
        sa.Column("id", BigInt, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_queues")),
        sa.UniqueConstraint("name", name=op.f("uq_queues_name")),
    )
    op.create_table(
        "assets",
        sa.Column("external_id", sa.String(length=64), nullable=True),
        sa.Column("customer_id", BigInt, nullable=False),
        sa.Column("product_model", sa.String(length=64), nullable=False),
        sa.Column("product_name", sa.String(length=200), nullable=True),
        sa.Column("serial", sa.String(length=64), nullable=True),
        sa.Column("installed_on", sa.Date(), nullable=True),
        sa.Column("warranty_until", sa.Date(), nullable=True),
        sa.Column("maintenance_until", sa.Date(), nullable=True),
        sa.Column("extra", JsonB, nullable=False),
        sa.Column("created_at", DateTimeUTC(timezone=True), nullable=False),
        sa.Column("id", BigInt, nullable=False),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.id"],
            name=op.f("fk_assets_customer_id_customers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assets")),
        sa.UniqueConstraint("external_id", name=op.f("uq_assets_external_id")),
    )
    with op.batch_alter_table("assets", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_assets_customer_id"), ["customer_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_assets_product_model"), ["product_model"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_assets_serial"), ["serial"], unique=False)

    op.create_table(
        "customer_phones",
        sa.Column("customer_id", BigInt, nullable=False),
        sa.Column("e164", sa.String(length=20), nullable=False),
        sa.Column("raw", sa.String(length=64), nullable=False),
        sa.Column("label", sa.String(length=32), nullable=True),
        sa.Column("id", BigInt, nullable=False),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.id"],
            name=op.f("fk_customer_phones_customer_id_customers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customer_phones")),
        sa.UniqueConstraint(
            "customer_id", "e164", name=op.f("uq_customer_phones_customer_id_e164")
        ),
    )
    with op.batch_alter_table("customer_phones", schema=None) as batch_op:
        batch_op.create_index("ix_customer_phones_e164", ["e164"], unique=False)

    op.create_table(
        "purchases",
        sa.Column("external_id", sa.String(length=64), nullable=True),
        sa.Column("customer_id", BigInt, nullable=False),
        sa.Column("product_model", sa.String(length=64), nullable=True),
        sa.Column("sku", sa.String(length=64), nullable=True),
        sa.Column("amount", sa.Integer(), nullable=False),
        sa.Column("purchased_at", DateTimeUTC(timezone=True), nullable=False),
        sa.Column("channel", sa.String(length=32), nullable=True),
        sa.Column("extra", JsonB, nullable=False),
        sa.Column("id", BigInt, nullable=False),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.id"],
            name=op.f("fk_purchases_customer_id_customers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_purchases")),
        sa.UniqueConstraint("external_id", name=op.f("uq_purchases_external_id")),
    )
    with op.batch_alter_table("purchases", schema=None) as batch_op:
        batch_op.create_index(
            "ix_purchases_customer_id_purchased_at",
            ["customer_id", "purchased_at"],
            unique=False,
        )

    op.create_table(
        "users",
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("display_name", sa.String(length=128), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("extension", sa.String(length=32), nullable=True),
        sa.Column("email", sa.String(length=255), nullable=True),
        sa.Column("password_hash", sa.String(length=255), nullable=True),
        sa.Column("customer_id", BigInt, nullable=True),
        sa.Column("locale", sa.String(length=16), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("created_at", DateTimeUTC(timezone=True), nullable=False),
        sa.Column("id", BigInt, nullable=False),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.id"],
            name=op.f("fk_users_customer_id_customers"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("extension", name=op.f("uq_users_extension")),
        sa.UniqueConstraint("username", name=op.f("uq_users_username")),
    )
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_users_customer_id"), ["customer_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_users_role"), ["role"], unique=False)

    op.create_table(
        "api_tokens",
        sa.Column("user_id", BigInt, nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("label", sa.String(length=128), nullable=False),
        sa.Column("created_at", DateTimeUTC(timezone=True), nullable=False),
        sa.Column("revoked_at", DateTimeUTC(timezone=True), nullable=True),
        sa.Column("id", BigInt, nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_api_tokens_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_api_tokens_token_hash")),
    )
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_api_tokens_user_id"), ["user_id"], unique=False
        )

    op.create_table(
        "tickets",
        sa.Column("external_id", sa.String(length=64), nullable=True),
        sa.Column("customer_id", BigInt, nullable=True),
        sa.Column("asset_id", BigInt, nullable=True),
        sa.Column("queue_id", BigInt, nullable=True),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("priority", sa.String(length=16), nullable=False),
        sa.Column("channel", sa.String(length=32), nullable=True),
        sa.Column("category", sa.String(length=100), nullable=True),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("created_at", DateTimeUTC(timezone=True), nullable=False),
        sa.Column("updated_at", DateTimeUTC(timezone=True), nullable=False),
        sa.Column("first_response_at", DateTimeUTC(timezone=True), nullable=True),
        sa.Column("resolved_at", DateTimeUTC(timezone=True), nullable=True),
        sa.Column("closed_at", DateTimeUTC(timezone=True), nullable=True),
        sa.Column("assignee_id", BigInt, nullable=True),
        sa.Column("technician", sa.String(length=100), nullable=True),
        sa.Column("satisfaction", sa.SmallInteger(), nullable=True),
        sa.Column("extra", JsonB, nullable=False),
        sa.Column("id", BigInt, nullable=False),
        sa.ForeignKeyConstraint(
            ["asset_id"],
            ["assets.id"],
            name=op.f("fk_tickets_asset_id_assets"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["assignee_id"],
            ["users.id"],
            name=op.f("fk_tickets_assignee_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.id"],
            name=op.f("fk_tickets_customer_id_customers"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["queue_id"],
            ["queues.id"],
            name=op.f("fk_tickets_queue_id_queues"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tickets")),
        sa.UniqueConstraint("external_id", name=op.f("uq_tickets_external_id")),
    )
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.create_index(
            "ix_tickets_asset_id_created_at", ["asset_id", "created_at"], unique=False
        )
        batch_op.create_index(
            "ix_tickets_assignee_id_status", ["assignee_id", "status"], unique=False
        )
        batch_op.create_index(
            "ix_tickets_customer_id_created_at",
            ["customer_id", "created_at"],
            unique=False,
        )
        batch_op.create_index(
            "ix_tickets_kind_created_at", ["kind", "created_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_tickets_queue_id"), ["queue_id"], unique=False
        )
        batch_op.create_index(
            "ix_tickets_status_created_at", ["status", "created_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_tickets_technician"), ["technician"], unique=False
        )

    op.create_table(
        "interactions",
        sa.Column("external_id", sa.String(length=64), nullable=True),
        sa.Column("customer_id", BigInt, nullable=True),
        sa.Column("ticket_id", BigInt, nullable=True),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("direction", sa.String(length=8), nullable=False),
        sa.Column("started_at", DateTimeUTC(timezone=True), nullable=False),
        sa.Column("duration_seconds", sa.Integer(), nullable=True),
        sa.Column("agent_id", BigInt, nullable=True),
        sa.Column("agent_name", sa.String(length=100), nullable=True),
        sa.Column("phone", sa.String(length=20), nullable=True),
        sa.Column("call_id", sa.String(length=64), nullable=True),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column("extra", JsonB, nullable=False),
        sa.Column("id", BigInt, nullable=False),
        sa.ForeignKeyConstraint(
            ["agent_id"],
            ["users.id"],
            name=op.f("fk_interactions_agent_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.id"],
            name=op.f("fk_interactions_customer_id_customers"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["ticket_id"],
            ["tickets.id"],
            name=op.f("fk_interactions_ticket_id_tickets"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_interactions")),
        sa.UniqueConstraint("external_id", name=op.f("uq_interactions_external_id")),
    )
    with op.batch_alter_table("interactions", schema=None) as batch_op:
        batch_op.create_index("ix_interactions_call_id", ["call_id"], unique=False)
        batch_op.create_index(
            "ix_interactions_customer_id_started_at",
            ["customer_id", "started_at"],
            unique=False,
        )
        batch_op.create_index("ix_interactions_ticket_id", ["ticket_id"], unique=False)

    op.create_table(
        "ticket_events",
        sa.Column("ticket_id", BigInt, nullable=False),
        sa.Column("at", DateTimeUTC(timezone=True), nullable=False),
        sa.Column("actor_id", BigInt, nullable=True),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("data", JsonB, nullable=False),
        sa.Column("id", BigInt, nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["users.id"],
            name=op.f("fk_ticket_events_actor_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["ticket_id"],
            ["tickets.id"],
            name=op.f("fk_ticket_events_ticket_id_tickets"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ticket_events")),
    )
    with op.batch_alter_table("ticket_events", schema=None) as batch_op:
        batch_op.create_index(
            "ix_ticket_events_ticket_id_at", ["ticket_id", "at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("ticket_events", schema=None) as batch_op:
        batch_op.drop_index("ix_ticket_events_ticket_id_at")

    op.drop_table("ticket_events")
    with op.batch_alter_table("interactions", schema=None) as batch_op:
        batch_op.drop_index("ix_interactions_ticket_id")
        batch_op.drop_index("ix_interactions_customer_id_started_at")
        batch_op.drop_index("ix_interactions_call_id")

    op.drop_table("interactions")
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tickets_technician"))
        batch_op.drop_index("ix_tickets_status_created_at")
        batch_op.drop_index(batch_op.f("ix_tickets_queue_id"))
        batch_op.drop_index("ix_tickets_kind_created_at")
        batch_op.drop_index("ix_tickets_customer_id_created_at")
        batch_op.drop_index("ix_tickets_assignee_id_status")
        batch_op.drop_index("ix_tickets_asset_id_created_at")

    op.drop_table("tickets")
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_api_tokens_user_id"))

    op.drop_table("api_tokens")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_users_role"))
        batch_op.drop_index(batch_op.f("ix_users_customer_id"))

    op.drop_table("users")
    with op.batch_alter_table("purchases", schema=None) as batch_op:
        batch_op.drop_index("ix_purchases_customer_id_purchased_at")

    op.drop_table("purchases")
    with op.batch_alter_table("customer_phones", schema=None) as batch_op:
        batch_op.drop_index("ix_customer_phones_e164")

    op.drop_table("customer_phones")
    with op.batch_alter_table("assets", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assets_serial"))
        batch_op.drop_index(batch_op.f("ix_assets_product_model"))
        batch_op.drop_index(batch_op.f("ix_assets_customer_id"))

    op.drop_table("assets")
    op.drop_table("queues")
    with op.batch_alter_table("customers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_customers_name"))

    op.drop_table("customers")
