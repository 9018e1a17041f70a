"""who is looking for work, and what a post naming no major points to

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 23:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_KINDS = ("correction", "signed")
NEW_KINDS = ("correction", "signed", "looking")
CHECK = "ck_graduate_request_request_kind"


def _kinds(kinds: tuple[str, ...]) -> str:
    return "kind IN (" + ", ".join(f"'{k}'" for k in kinds) + ")"


def _request_kinds(kinds: tuple[str, ...]) -> None:
    with op.batch_alter_table("graduate_request", schema=None, recreate="always") as batch_op:
        batch_op.drop_constraint(op.f(CHECK), type_="check")
        batch_op.create_check_constraint("request_kind", _kinds(kinds))


def upgrade() -> None:
    with op.batch_alter_table("graduate", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("looking_again", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    with op.batch_alter_table("position", schema=None) as batch_op:
        batch_op.add_column(sa.Column("inferred", sa.JSON(), nullable=True))
    _request_kinds(NEW_KINDS)


def downgrade() -> None:
    op.execute("DELETE FROM graduate_request WHERE kind = 'looking'")
    _request_kinds(OLD_KINDS)
    with op.batch_alter_table("position", schema=None) as batch_op:
        batch_op.drop_column("inferred")
    with op.batch_alter_table("graduate", schema=None) as batch_op:
        batch_op.drop_column("looking_again")
