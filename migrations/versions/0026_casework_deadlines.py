"""casework deadlines: a referral"s 待反馈 notice and 催办, a follow-up"s reminder, and the date an
archive was last verified (核实), filled from its services, status changes and follow-ups

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-07 03:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0026"
down_revision: str | None = "0025"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


#: What verified an archive before: a service (not voided), a status change, a follow-up answered.
VERIFIED_BY = (
    "SELECT max(s.service_date) FROM service_record s"
    " WHERE s.graduate_id = graduate.id AND s.voided_at IS NULL",
    "SELECT max(c.effective_on) FROM status_change c WHERE c.graduate_id = graduate.id",
    "SELECT max(f.answered_on) FROM follow_up f WHERE f.graduate_id = graduate.id",
)


def upgrade() -> None:
    with op.batch_alter_table("follow_up", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reminded_on", sa.Date(), nullable=True))

    with op.batch_alter_table("graduate", schema=None) as batch_op:
        batch_op.add_column(sa.Column("verified_on", sa.Date(), nullable=True))

    with op.batch_alter_table("referral", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("overdue_noticed_at", sa.DateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column("chased_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(
            sa.Column("chase_count", sa.Integer(), server_default=sa.text("0"), nullable=False)
        )

    for latest in VERIFIED_BY:
        op.execute(
            f"UPDATE graduate SET verified_on = ({latest}) WHERE ({latest}) IS NOT NULL"
            f" AND (verified_on IS NULL OR verified_on < ({latest}))"
        )


def downgrade() -> None:
    with op.batch_alter_table("referral", schema=None) as batch_op:
        batch_op.drop_column("chase_count")
        batch_op.drop_column("chased_at")
        batch_op.drop_column("overdue_noticed_at")

    with op.batch_alter_table("graduate", schema=None) as batch_op:
        batch_op.drop_column("verified_on")

    with op.batch_alter_table("follow_up", schema=None) as batch_op:
        batch_op.drop_column("reminded_on")
