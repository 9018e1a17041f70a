"""items 01–05 (金秋助学) entered by province officers, frozen with the submission

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-02 11:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("province_report", schema=None) as batch_op:
        batch_op.add_column(sa.Column("aid", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("province_report", schema=None) as batch_op:
        batch_op.drop_column("aid")
