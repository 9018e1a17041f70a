"""placement plans queued for the scheduler, with their progress and result

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 03:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "placement_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("requested_by_id", sa.Integer(), nullable=True),
        sa.Column("campaign_year", sa.Integer(), nullable=False),
        sa.Column("graduates", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=7), nullable=False),
        sa.Column("progress", sa.Integer(), nullable=False),
        sa.Column("step", sa.String(length=100), nullable=True),
        sa.Column("result", sa.JSON(), nullable=True),
        sa.Column("message", sa.String(length=500), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "progress BETWEEN 0 AND 100", name=op.f("ck_placement_run_progress_percent")
        ),
        sa.CheckConstraint(
            "state != 'done' OR result IS NOT NULL", name=op.f("ck_placement_run_done_has_result")
        ),
        sa.CheckConstraint(
            "state IN ('queued', 'running', 'done', 'failed')",
            name=op.f("ck_placement_run_plan_state"),
        ),
        sa.ForeignKeyConstraint(["org_id"], ["org.id"], name=op.f("fk_placement_run_org_id_org")),
        sa.ForeignKeyConstraint(
            ["requested_by_id"],
            ["user_account.id"],
            name=op.f("fk_placement_run_requested_by_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_placement_run")),
    )
    with op.batch_alter_table("placement_run", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_placement_run_org_id"), ["org_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_placement_run_requested_by_id"), ["requested_by_id"], unique=False
        )
        batch_op.create_index("ix_placement_run_state", ["state", "created_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("placement_run", schema=None) as batch_op:
        batch_op.drop_index("ix_placement_run_state")
        batch_op.drop_index(batch_op.f("ix_placement_run_requested_by_id"))
        batch_op.drop_index(batch_op.f("ix_placement_run_org_id"))
    op.drop_table("placement_run")
