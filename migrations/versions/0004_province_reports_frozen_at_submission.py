"""province reports frozen at submission

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28 06:04:04.797124
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "province_report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column(
            "state",
            sa.Enum(
                "draft",
                "submitted",
                "reopened",
                name="report_state",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("reporter", sa.String(length=50), nullable=True),
        sa.Column("reporter_phone", sa.String(length=30), nullable=True),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column("items", sa.JSON(), nullable=True),
        sa.Column("cutoff_on", sa.Date(), nullable=True),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("submitted_by_id", sa.Integer(), nullable=True),
        sa.Column("reopen_reason", sa.String(length=500), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(state = 'submitted') = (submitted_at IS NOT NULL AND items IS NOT NULL)",
            name=op.f("ck_province_report_submitted_is_frozen"),
        ),
        sa.ForeignKeyConstraint(
            ["campaign_id"], ["campaign.id"], name=op.f("fk_province_report_campaign_id_campaign")
        ),
        sa.ForeignKeyConstraint(["org_id"], ["org.id"], name=op.f("fk_province_report_org_id_org")),
        sa.ForeignKeyConstraint(
            ["submitted_by_id"],
            ["user_account.id"],
            name=op.f("fk_province_report_submitted_by_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_province_report")),
        sa.UniqueConstraint(
            "campaign_id", "org_id", name=op.f("uq_province_report_campaign_id_org_id")
        ),
    )
    with op.batch_alter_table("province_report", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_province_report_org_id"), ["org_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("province_report", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_province_report_org_id"))

    op.drop_table("province_report")
