"""no stored piece completes an ID number; a version on each graduate for stale forms

The birth date and the last four characters of the ID number were kept in clear beside the
生源地: together they rebuilt the number. Now only the birth year stays in clear, the last four
are a keyed hash (search), and the phone's last four are gone. `version` lets a save refuse a
form opened before another officer's save.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 05:00:00
"""

from collections.abc import Sequence
from datetime import date
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _keyring() -> Any:
    from matchsvc import pii

    return pii.keyring()  # configured by the app or the CLI that runs the migration


def upgrade() -> None:
    with op.batch_alter_table("graduate", schema=None) as batch_op:
        batch_op.add_column(sa.Column("id_last4_hash", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("birth_year", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("version", sa.Integer(), server_default=sa.text("1"), nullable=False)
        )
    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT id, id_number_last4, birth_date FROM graduate")).all()
    if rows:
        keyring = _keyring()
        for gid, last4, born in rows:
            year = born.year if isinstance(born, date) else int(str(born)[:4])
            conn.execute(
                sa.text("UPDATE graduate SET id_last4_hash = :h, birth_year = :y WHERE id = :id"),
                {"h": keyring.last4_digest(last4), "y": year, "id": gid},
            )
    with op.batch_alter_table("graduate", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_graduate_id_number_last4"))
        batch_op.drop_column("id_number_last4")
        batch_op.drop_column("phone_last4")
        batch_op.drop_column("birth_date")
        batch_op.alter_column("id_last4_hash", existing_type=sa.String(length=64), nullable=False)
        batch_op.alter_column("birth_year", existing_type=sa.Integer(), nullable=False)
        batch_op.create_index(batch_op.f("ix_graduate_id_last4_hash"), ["id_last4_hash"])


def downgrade() -> None:
    with op.batch_alter_table("graduate", schema=None) as batch_op:
        batch_op.add_column(sa.Column("id_number_last4", sa.String(length=4), nullable=True))
        batch_op.add_column(sa.Column("phone_last4", sa.String(length=4), nullable=True))
        batch_op.add_column(sa.Column("birth_date", sa.Date(), nullable=True))
    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT id, id_number_enc, phone_enc FROM graduate")).all()
    if rows:
        keyring = _keyring()
        for gid, id_enc, phone_enc in rows:
            number = keyring.open(id_enc)
            try:
                born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
            except ValueError:  # an anonymised placeholder
                born = date(1900, 1, 1)
            conn.execute(
                sa.text(
                    "UPDATE graduate SET id_number_last4 = :l, phone_last4 = :p, birth_date = :b"
                    " WHERE id = :id"
                ),
                {
                    "l": number[-4:],
                    "p": keyring.open(phone_enc)[-4:] if phone_enc else None,
                    "b": born,
                    "id": gid,
                },
            )
    with op.batch_alter_table("graduate", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_graduate_id_last4_hash"))
        batch_op.drop_column("version")
        batch_op.drop_column("birth_year")
        batch_op.drop_column("id_last4_hash")
        batch_op.alter_column("id_number_last4", existing_type=sa.String(length=4), nullable=False)
        batch_op.alter_column("birth_date", existing_type=sa.Date(), nullable=False)
        batch_op.create_index(batch_op.f("ix_graduate_id_number_last4"), ["id_number_last4"])
