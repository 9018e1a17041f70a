"""公益性岗位 tenure: the ledger of periods, their 年度考核 and the 空岗报告 after an exit.

On PostgreSQL one person's periods may not overlap: an exclusion constraint over the graduate and
the days from the start to the last day (the exit's, else the planned end), which needs the
btree_gist extension. SQLite has no such constraint; the service keeps the same rule there.

Revision ID: 0031
Revises: 0030
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0031"
down_revision: str | None = "0030"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "tenure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("graduate_id", sa.Integer(), nullable=False),
        sa.Column("position_id", sa.Integer(), nullable=False),
        sa.Column("approving_org_id", sa.Integer(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("planned_end", sa.Date(), nullable=False),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column(
            "exit_reason",
            sa.Enum(
                "other_job",
                "retired",
                "failed_review",
                "asked",
                "misconduct",
                "other",
                name="tenure_exit",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=True,
        ),
        sa.Column("exit_note", sa.String(length=300), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(ended_on IS NULL) = (exit_reason IS NULL)", name=op.f("ck_tenure_exit_has_reason")
        ),
        sa.CheckConstraint(
            "ended_on IS NULL OR (ended_on >= starts_on AND ended_on <= planned_end)",
            name=op.f("ck_tenure_ended_within"),
        ),
        sa.CheckConstraint("planned_end >= starts_on", name=op.f("ck_tenure_planned_after_start")),
        sa.ForeignKeyConstraint(
            ["approving_org_id"], ["org.id"], name=op.f("fk_tenure_approving_org_id_org")
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user_account.id"],
            name=op.f("fk_tenure_created_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["graduate_id"], ["graduate.id"], name=op.f("fk_tenure_graduate_id_graduate")
        ),
        sa.ForeignKeyConstraint(
            ["position_id"], ["position.id"], name=op.f("fk_tenure_position_id_position")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tenure")),
    )
    with op.batch_alter_table("tenure", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_tenure_approving_org_id"), ["approving_org_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_tenure_graduate_id"), ["graduate_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_tenure_position_id"), ["position_id"], unique=False)

    op.create_table(
        "tenure_assessment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tenure_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("passed", sa.Boolean(), nullable=False),
        sa.Column("assessed_on", sa.Date(), nullable=False),
        sa.Column("note", sa.String(length=300), nullable=True),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("year >= 1", name=op.f("ck_tenure_assessment_year_positive")),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["user_account.id"],
            name=op.f("fk_tenure_assessment_recorded_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["tenure_id"], ["tenure.id"], name=op.f("fk_tenure_assessment_tenure_id_tenure")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tenure_assessment")),
        sa.UniqueConstraint("tenure_id", "year", name=op.f("uq_tenure_assessment_tenure_id_year")),
    )
    with op.batch_alter_table("tenure_assessment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_tenure_assessment_tenure_id"), ["tenure_id"], unique=False
        )

    op.create_table(
        "vacancy_report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tenure_id", sa.Integer(), nullable=False),
        sa.Column("position_id", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("vacant_from", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("submitted_on", sa.Date(), nullable=True),
        sa.Column("shortlist", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["org_id"], ["org.id"], name=op.f("fk_vacancy_report_org_id_org")),
        sa.ForeignKeyConstraint(
            ["position_id"], ["position.id"], name=op.f("fk_vacancy_report_position_id_position")
        ),
        sa.ForeignKeyConstraint(
            ["tenure_id"], ["tenure.id"], name=op.f("fk_vacancy_report_tenure_id_tenure")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vacancy_report")),
        sa.UniqueConstraint("tenure_id", name=op.f("uq_vacancy_report_tenure_id")),
    )
    with op.batch_alter_table("vacancy_report", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_vacancy_report_due_on"), ["due_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_vacancy_report_org_id"), ["org_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_vacancy_report_position_id"), ["position_id"], unique=False
        )
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
        op.execute(
            "ALTER TABLE tenure ADD CONSTRAINT tenure_no_overlap EXCLUDE USING gist "
            "(graduate_id WITH =, daterange(starts_on, COALESCE(ended_on, planned_end), '[]') "
            "WITH &&)"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE tenure DROP CONSTRAINT tenure_no_overlap")
    with op.batch_alter_table("vacancy_report", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_vacancy_report_position_id"))
        batch_op.drop_index(batch_op.f("ix_vacancy_report_org_id"))
        batch_op.drop_index(batch_op.f("ix_vacancy_report_due_on"))

    op.drop_table("vacancy_report")
    with op.batch_alter_table("tenure_assessment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tenure_assessment_tenure_id"))

    op.drop_table("tenure_assessment")
    with op.batch_alter_table("tenure", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tenure_position_id"))
        batch_op.drop_index(batch_op.f("ix_tenure_graduate_id"))
        batch_op.drop_index(batch_op.f("ix_tenure_approving_org_id"))

    op.drop_table("tenure")
