"""login lockout, a hash-chained audit log, anonymisation after retention

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-28 08:25:20.803047
"""

import json
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "audit_chain",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("head", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_chain")),
    )
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.add_column(sa.Column("prev_hash", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("hash", sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(batch_op.f("uq_audit_event_hash"), ["hash"])

    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.add_column(sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True))

    with op.batch_alter_table("graduate", schema=None) as batch_op:
        batch_op.add_column(sa.Column("anonymised_at", sa.DateTime(timezone=True), nullable=True))

    _chain_existing()


def _chain_existing() -> None:
    """Hash-chain the events written before this revision, in id order."""
    from matchsvc.audit import GENESIS, event_hash

    conn = op.get_bind()
    prev = GENESIS
    rows = conn.execute(
        sa.text(
            "SELECT id, at, user_id, actor, action, entity_type, entity_id, org_id, details"
            " FROM audit_event ORDER BY id"
        )
    ).mappings()
    updates = []
    for row in rows:
        fields = dict(row)
        at = fields["at"]
        if isinstance(at, str):
            at = datetime.fromisoformat(at)
        if isinstance(at, datetime) and at.tzinfo is None:
            at = at.replace(tzinfo=UTC)
        fields["at"] = at.astimezone(UTC) if isinstance(at, datetime) else at
        if isinstance(fields["details"], str):
            fields["details"] = json.loads(fields["details"])
        digest = event_hash(prev, fields)
        updates.append({"i": row["id"], "p": prev, "h": digest})
        prev = digest
    for u in updates:
        conn.execute(sa.text("UPDATE audit_event SET prev_hash = :p, hash = :h WHERE id = :i"), u)
    conn.execute(sa.text("INSERT INTO audit_chain (id, head) VALUES (1, :h)"), {"h": prev})


def downgrade() -> None:
    with op.batch_alter_table("graduate", schema=None) as batch_op:
        batch_op.drop_column("anonymised_at")

    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.drop_column("locked_until")

    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_audit_event_hash"), type_="unique")
        batch_op.drop_column("hash")
        batch_op.drop_column("prev_hash")

    op.drop_table("audit_chain")
