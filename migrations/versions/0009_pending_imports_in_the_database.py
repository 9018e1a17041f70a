"""pending imports in the database (encrypted), not in an instance folder

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 22:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "pending_import",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("filename_enc", sa.Text(), nullable=False),
        sa.Column("content_enc", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "kind IN ('graduates', 'services', 'positions', 'fairs')",
            name=op.f("ck_pending_import_known_kind"),
        ),
        sa.CheckConstraint(
            "expires_at > created_at", name=op.f("ck_pending_import_expires_after_creation")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_pending_import_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pending_import")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_pending_import_token_hash")),
    )
    with op.batch_alter_table("pending_import", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_pending_import_expires_at"), ["expires_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_pending_import_user_id"), ["user_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("pending_import", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pending_import_user_id"))
        batch_op.drop_index(batch_op.f("ix_pending_import_expires_at"))
    op.drop_table("pending_import")
