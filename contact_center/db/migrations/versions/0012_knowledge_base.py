"""knowledge base: articles, revisions, feedback, synonyms; the classifier's proposal on tickets

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-22 14:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from advanced_alchemy.types import DateTimeUTC, JsonB
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

BigInt = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "kb_articles",
        sa.Column("external_id", sa.String(length=64), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("lang", sa.String(length=8), nullable=False),
        sa.Column("tags", JsonB, nullable=False),
        sa.Column("product", sa.String(length=64), nullable=True),
        sa.Column("category", sa.String(length=100), nullable=True),
        sa.Column("public", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("helpful", sa.Integer(), nullable=False),
        sa.Column("not_helpful", sa.Integer(), nullable=False),
        sa.Column("created_at", DateTimeUTC(timezone=True), nullable=False),
        sa.Column("updated_at", DateTimeUTC(timezone=True), nullable=False),
        sa.Column("id", BigInt, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kb_articles")),
        sa.UniqueConstraint("external_id", name=op.f("uq_kb_articles_external_id")),
    )
    op.create_index("ix_kb_articles_updated_at", "kb_articles", ["updated_at"])
    op.create_table(
        "kb_revisions",
        sa.Column("article_id", BigInt, nullable=False),
        sa.Column("actor_id", BigInt, nullable=True),
        sa.Column("at", DateTimeUTC(timezone=True), nullable=False),
        sa.Column("snapshot", JsonB, nullable=False),
        sa.Column("id", BigInt, nullable=False),
        sa.ForeignKeyConstraint(["article_id"], ["kb_articles.id"], name=op.f("fk_kb_revisions_article_id_kb_articles"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["actor_id"], ["users.id"], name=op.f("fk_kb_revisions_actor_id_users"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kb_revisions")),
    )  # fmt: skip
    op.create_index("ix_kb_revisions_article_id_at", "kb_revisions", ["article_id", "at"])
    op.create_index(op.f("ix_kb_revisions_actor_id"), "kb_revisions", ["actor_id"])
    op.create_table(
        "kb_feedback",
        sa.Column("article_id", BigInt, nullable=False),
        sa.Column("user_id", BigInt, nullable=True),
        sa.Column("query", sa.String(length=500), nullable=False),
        sa.Column("helpful", sa.Boolean(), nullable=False),
        sa.Column("at", DateTimeUTC(timezone=True), nullable=False),
        sa.Column("id", BigInt, nullable=False),
        sa.ForeignKeyConstraint(["article_id"], ["kb_articles.id"], name=op.f("fk_kb_feedback_article_id_kb_articles"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_kb_feedback_user_id_users"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kb_feedback")),
    )  # fmt: skip
    op.create_index("ix_kb_feedback_article_id_at", "kb_feedback", ["article_id", "at"])
    op.create_index(op.f("ix_kb_feedback_user_id"), "kb_feedback", ["user_id"])
    op.create_table(
        "kb_synonym_groups",
        sa.Column("words", JsonB, nullable=False),
        sa.Column("created_at", DateTimeUTC(timezone=True), nullable=False),
        sa.Column("id", BigInt, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kb_synonym_groups")),
    )
    with op.batch_alter_table("tickets") as batch_op:
        batch_op.add_column(sa.Column("category_model", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("category_confidence", sa.Float(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("tickets") as batch_op:
        batch_op.drop_column("category_confidence")
        batch_op.drop_column("category_model")
    op.drop_table("kb_synonym_groups")
    op.drop_table("kb_feedback")
    op.drop_table("kb_revisions")
    op.drop_table("kb_articles")
