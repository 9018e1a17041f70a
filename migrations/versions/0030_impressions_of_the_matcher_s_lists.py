"""Impressions of the matcher's lists (推荐效果): one row per list shown — a graduate's
recommendations, a post's candidates, an org's placement plan — with the items in rank order,
their fits, components and rules, and the matcher's version.

Revision ID: 0030
Revises: 0029
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0030"
down_revision: str | None = "0029"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "impression",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("shown_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("shown_on", sa.Date(), nullable=False),
        sa.Column("viewer_id", sa.Integer(), nullable=True),
        sa.Column(
            "surface",
            sa.Enum(
                "graduate",
                "officer",
                "candidates",
                "employer",
                "api",
                "plan",
                name="impression_surface",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("kind", sa.String(length=12), nullable=True),
        sa.Column("graduate_id", sa.Integer(), nullable=True),
        sa.Column("position_id", sa.Integer(), nullable=True),
        sa.Column("org_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.String(length=12), nullable=False),
        sa.Column("digest", sa.String(length=16), nullable=False),
        sa.Column("times", sa.Integer(), server_default=sa.text("1"), nullable=False),
        sa.Column("items", sa.JSON(), nullable=False),
        sa.Column("pairs", sa.JSON(), nullable=True),
        sa.Column("fits", sa.JSON(), nullable=False),
        sa.Column("components", sa.LargeBinary(), nullable=False),
        sa.Column("rules", sa.JSON(), nullable=False),
        sa.CheckConstraint(
            "(CASE WHEN graduate_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN position_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN org_id IS NULL THEN 0 ELSE 1 END) = 1",
            name=op.f("ck_impression_one_subject"),
        ),
        sa.ForeignKeyConstraint(
            ["graduate_id"],
            ["graduate.id"],
            name=op.f("fk_impression_graduate_id_graduate"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["org_id"], ["org.id"], name=op.f("fk_impression_org_id_org")),
        sa.ForeignKeyConstraint(
            ["position_id"],
            ["position.id"],
            name=op.f("fk_impression_position_id_position"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["viewer_id"], ["user_account.id"], name=op.f("fk_impression_viewer_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_impression")),
    )
    with op.batch_alter_table("impression", schema=None) as batch_op:
        batch_op.create_index(
            "ix_impression_graduate_shown", ["graduate_id", "shown_on"], unique=False
        )
        batch_op.create_index("ix_impression_org_shown", ["org_id", "shown_on"], unique=False)
        batch_op.create_index(
            "ix_impression_position_shown", ["position_id", "shown_on"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_impression_shown_on"), ["shown_on"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("impression", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_impression_shown_on"))
        batch_op.drop_index("ix_impression_position_shown")
        batch_op.drop_index("ix_impression_org_shown")
        batch_op.drop_index("ix_impression_graduate_shown")

    op.drop_table("impression")
