"""an employer's review says why it was not approved and whom to call

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-06 23:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0024"
down_revision: str | None = "0023"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("employer", schema=None) as batch_op:
        batch_op.add_column(sa.Column("decision_reason", sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column("review_phone", sa.String(length=40), nullable=True))
    # employers refused before reasons were asked for: said so, not left blank
    op.execute(
        "UPDATE employer SET decision_reason = '（审核时未记录原因）', review_phone = '未记录' "
        "WHERE status = 'rejected'"
    )
    with op.batch_alter_table("employer", schema=None) as batch_op:
        batch_op.create_check_constraint(
            "rejection_says_why",
            "status != 'rejected' OR (decision_reason IS NOT NULL AND review_phone IS NOT NULL)",
        )


def downgrade() -> None:
    with op.batch_alter_table("employer", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_employer_rejection_says_why"), type_="check")
        batch_op.drop_column("review_phone")
        batch_op.drop_column("decision_reason")
