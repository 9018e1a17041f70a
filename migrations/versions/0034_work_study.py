"""勤工俭学: graduates registered while still at university (`student`), positions of the kind
work_study with their summer days, hours a week and pay an hour (required of that kind only),
and a service kind of its own for a student's placement.

Revision ID: 0034
Revises: 0033
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0034"
down_revision: str | None = "0033"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

POSITION_KINDS = ("job", "internship", "public_welfare")
SERVICE_KINDS = (
    "internship", "skill_training", "certificate", "business_guidance", "business_training",
    "loan", "policy", "employed", "job_subsidy",
)  # fmt: skip
TERMS = (
    "kind <> 'work_study' OR (work_starts_on IS NOT NULL AND work_ends_on IS NOT NULL"
    " AND hours_per_week IS NOT NULL AND pay_per_hour IS NOT NULL"
    " AND work_ends_on >= work_starts_on"
    " AND hours_per_week BETWEEN 1 AND 40 AND pay_per_hour > 0)"
)


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN (" + ", ".join(f"'{v}'" for v in values) + ")"


def _kinds(position: tuple[str, ...], service: tuple[str, ...]) -> None:
    with op.batch_alter_table("position", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_position_position_kind"), type_="check")
        batch_op.create_check_constraint("position_kind", _in("kind", position))
    with op.batch_alter_table("service_record", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_service_record_service_kind"), type_="check")
        batch_op.create_check_constraint("service_kind", _in("kind", service))


def upgrade() -> None:
    with op.batch_alter_table("graduate", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("student", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    with op.batch_alter_table("position", schema=None) as batch_op:
        batch_op.add_column(sa.Column("work_starts_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("work_ends_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("hours_per_week", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("pay_per_hour", sa.Numeric(precision=6, scale=2), nullable=True)
        )
        batch_op.create_check_constraint("work_study_terms", TERMS)
    _kinds((*POSITION_KINDS, "work_study"), (*SERVICE_KINDS, "work_study"))


def downgrade() -> None:
    op.execute("DELETE FROM service_record WHERE kind = 'work_study'")
    _kinds(POSITION_KINDS, SERVICE_KINDS)
    with op.batch_alter_table("position", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_position_work_study_terms"), type_="check")
        batch_op.drop_column("pay_per_hour")
        batch_op.drop_column("hours_per_week")
        batch_op.drop_column("work_ends_on")
        batch_op.drop_column("work_starts_on")
    with op.batch_alter_table("graduate", schema=None) as batch_op:
        batch_op.drop_column("student")
