"""the sending org can withdraw an archive transfer the other side has not decided:
transfer_state gains 'withdrawn'

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-07 04:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0027"
down_revision: str | None = "0026"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD = ("pending", "accepted", "refused")
NEW = (*OLD, "withdrawn")


def _states(states: tuple[str, ...], width: int, was: int) -> None:
    with op.batch_alter_table("archive_transfer", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_archive_transfer_transfer_state"), type_="check")
        batch_op.alter_column(
            "state", type_=sa.String(length=width), existing_type=sa.String(length=was)
        )
        batch_op.create_check_constraint(
            "transfer_state", "state IN (" + ", ".join(f"'{s}'" for s in states) + ")"
        )


def upgrade() -> None:
    _states(NEW, 9, 8)


def downgrade() -> None:
    # a withdrawn offer reads as refused by the side that made it
    op.execute("UPDATE archive_transfer SET state = 'refused' WHERE state = 'withdrawn'")
    _states(OLD, 8, 9)
