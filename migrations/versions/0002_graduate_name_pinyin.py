"""pinyin keys of graduates' names, for search by zhangsan or zs

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("graduate", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("name_pinyin", sa.String(length=200), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("name_initials", sa.String(length=50), nullable=False, server_default="")
        )
        batch_op.create_index(batch_op.f("ix_graduate_name_pinyin"), ["name_pinyin"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_graduate_name_initials"), ["name_initials"], unique=False
        )
    from matchsvc.names import name_keys

    conn = op.get_bind()
    graduate = sa.table(
        "graduate",
        sa.column("id"),
        sa.column("name"),
        sa.column("name_pinyin"),
        sa.column("name_initials"),
    )
    for row in conn.execute(sa.select(graduate.c.id, graduate.c.name)).all():
        full, initials = name_keys(row.name)
        conn.execute(
            graduate.update()
            .where(graduate.c.id == row.id)
            .values(name_pinyin=full, name_initials=initials)
        )
    with op.batch_alter_table("graduate", schema=None) as batch_op:
        batch_op.alter_column("name_pinyin", server_default=None)
        batch_op.alter_column("name_initials", server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("graduate", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_graduate_name_initials"))
        batch_op.drop_index(batch_op.f("ix_graduate_name_pinyin"))
        batch_op.drop_column("name_initials")
        batch_op.drop_column("name_pinyin")
