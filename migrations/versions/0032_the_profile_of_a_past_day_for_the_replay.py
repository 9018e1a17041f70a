"""The profile of a past day, for the replay: before each save, the fields the matcher reads
(never personal data) as they were.

Revision ID: 0032
Revises: 0031
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0032"
down_revision: str | None = "0031"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "profile_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("graduate_id", sa.Integer(), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("before", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["graduate_id"],
            ["graduate.id"],
            name=op.f("fk_profile_change_graduate_id_graduate"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_profile_change")),
    )
    with op.batch_alter_table("profile_change", schema=None) as batch_op:
        batch_op.create_index(
            "ix_profile_change_graduate_at", ["graduate_id", "changed_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("profile_change", schema=None) as batch_op:
        batch_op.drop_index("ix_profile_change_graduate_at")
    op.drop_table("profile_change")
