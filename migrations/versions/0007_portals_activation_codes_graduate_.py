"""portals: activation codes, graduate requests, notifications

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-28 08:06:25.240356
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "activation_code",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("graduate_id", sa.Integer(), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("issued_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["graduate_id"], ["graduate.id"], name=op.f("fk_activation_code_graduate_id_graduate")
        ),
        sa.ForeignKeyConstraint(
            ["issued_by_id"],
            ["user_account.id"],
            name=op.f("fk_activation_code_issued_by_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_activation_code")),
        sa.UniqueConstraint("code_hash", name=op.f("uq_activation_code_code_hash")),
    )
    with op.batch_alter_table("activation_code", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_activation_code_graduate_id"), ["graduate_id"], unique=False
        )

    op.create_table(
        "graduate_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("graduate_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "correction",
                "signed",
                name="request_kind",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("text", sa.String(length=1000), nullable=False),
        sa.Column("position_id", sa.Integer(), nullable=True),
        sa.Column("signed_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolved_by_id", sa.Integer(), nullable=True),
        sa.Column("outcome", sa.String(length=200), nullable=True),
        sa.CheckConstraint(
            "kind != 'signed' OR signed_on IS NOT NULL",
            name=op.f("ck_graduate_request_signed_has_date"),
        ),
        sa.ForeignKeyConstraint(
            ["graduate_id"], ["graduate.id"], name=op.f("fk_graduate_request_graduate_id_graduate")
        ),
        sa.ForeignKeyConstraint(
            ["position_id"], ["position.id"], name=op.f("fk_graduate_request_position_id_position")
        ),
        sa.ForeignKeyConstraint(
            ["resolved_by_id"],
            ["user_account.id"],
            name=op.f("fk_graduate_request_resolved_by_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_graduate_request")),
    )
    with op.batch_alter_table("graduate_request", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_graduate_request_graduate_id"), ["graduate_id"], unique=False
        )

    with op.batch_alter_table("graduate", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "personalised", sa.Boolean(), server_default=sa.text("(true)"), nullable=False
            )
        )

    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.add_column(sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(
            sa.Column("seen_positions", sa.JSON(), server_default=sa.text("'[]'"), nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.drop_column("seen_positions")
        batch_op.drop_column("last_seen_at")

    with op.batch_alter_table("graduate", schema=None) as batch_op:
        batch_op.drop_column("personalised")

    with op.batch_alter_table("graduate_request", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_graduate_request_graduate_id"))

    op.drop_table("graduate_request")
    with op.batch_alter_table("activation_code", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_activation_code_graduate_id"))

    op.drop_table("activation_code")
