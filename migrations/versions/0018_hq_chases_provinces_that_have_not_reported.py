"""HQ chases (催报) provinces that have not reported: the latest reminder on the report

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-02 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("province_report", schema=None) as batch_op:
        batch_op.add_column(sa.Column("chased_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("chase_message", sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("province_report", schema=None) as batch_op:
        batch_op.drop_column("chase_message")
        batch_op.drop_column("chased_at")
