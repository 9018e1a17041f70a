"""access tokens carry scopes; a statistics token reads statistics only

A token issued under 统计表 → 访问令牌 also read graduates' recommendations and positions'
candidates. Tokens now say what they may read; every token issued so far was issued for the
statistics, so each gets stats:read.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02 07:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("api_token", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("scopes", sa.String(length=100), server_default="stats:read", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("api_token", schema=None) as batch_op:
        batch_op.drop_column("scopes")
