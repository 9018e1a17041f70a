"""indexes for the graduate list's sort orders (column, id), replacing the plain pinyin index

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SORTS = {
    "ix_graduate_sort_registered": ["registered_on", "id"],
    "ix_graduate_sort_pinyin": ["name_pinyin", "id"],
    "ix_graduate_sort_year": ["graduation_year", "id"],
    "ix_graduate_sort_status": ["status", "id"],
}


def upgrade() -> None:
    op.drop_index("ix_graduate_name_pinyin", table_name="graduate")
    for name, columns in SORTS.items():
        op.create_index(name, "graduate", columns)


def downgrade() -> None:
    for name in SORTS:
        op.drop_index(name, table_name="graduate")
    op.create_index("ix_graduate_name_pinyin", "graduate", ["name_pinyin"])
