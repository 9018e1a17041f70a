"""major normalisation and stored recommendations

Existing graduates and position majors are mapped to the catalogues here, once.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-28 07:30:32.675785
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "major_correction",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("spelling", sa.String(length=100), nullable=False),
        sa.Column("code", sa.String(length=12), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user_account.id"],
            name=op.f("fk_major_correction_created_by_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_major_correction")),
        sa.UniqueConstraint("spelling", name=op.f("uq_major_correction_spelling")),
    )
    op.create_table(
        "recommendation",
        sa.Column("graduate_id", sa.Integer(), nullable=False),
        sa.Column("position_id", sa.Integer(), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column("fit", sa.Double(), nullable=False),
        sa.Column("rules", sa.JSON(), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["graduate_id"],
            ["graduate.id"],
            name=op.f("fk_recommendation_graduate_id_graduate"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["position_id"],
            ["position.id"],
            name=op.f("fk_recommendation_position_id_position"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("graduate_id", "position_id", name=op.f("pk_recommendation")),
    )
    with op.batch_alter_table("recommendation", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_recommendation_position_id"), ["position_id"], unique=False
        )
        batch_op.create_index("ix_recommendation_rank", ["graduate_id", "rank"], unique=False)

    with op.batch_alter_table("graduate", schema=None) as batch_op:
        batch_op.add_column(sa.Column("major_key", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("major_confidence", sa.Double(), nullable=True))
        batch_op.create_index(batch_op.f("ix_graduate_major_code"), ["major_code"], unique=False)
        batch_op.create_index(batch_op.f("ix_graduate_major_key"), ["major_key"], unique=False)

    with op.batch_alter_table("position", schema=None) as batch_op:
        batch_op.add_column(sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True))

    with op.batch_alter_table("position_major", schema=None) as batch_op:
        batch_op.add_column(sa.Column("code_alt", sa.String(length=12), nullable=True))
        batch_op.add_column(sa.Column("key", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("confidence", sa.Double(), nullable=True))
        batch_op.create_index(batch_op.f("ix_position_major_key"), ["key"], unique=False)

    _map_existing()


def _map_existing() -> None:
    from matchsvc.majors.catalogue import Level
    from matchsvc.majors.normalize import clean, level_for_degree, normalize

    conn = op.get_bind()
    conn.execute(sa.text("UPDATE position SET updated_at = created_at"))
    graduates = conn.execute(sa.text("SELECT id, major_text, degree FROM graduate")).all()
    for gid, text, degree in graduates:
        m = normalize(text, level_for_degree(degree))
        conn.execute(
            sa.text(
                "UPDATE graduate SET major_code = :c, major_key = :k, major_confidence = :f WHERE id = :i"
            ),
            {"c": m.code, "k": clean(text)[:100], "f": m.confidence, "i": gid},
        )
    majors = conn.execute(
        sa.text(
            "SELECT pm.id, pm.text, p.min_degree FROM position_major pm"
            " JOIN position p ON p.id = pm.position_id"
        )
    ).all()
    for mid, text, min_degree in majors:
        level: Level = "本科" if min_degree in ("benke", "master", "doctor") else "专科"
        other: Level = "专科" if level == "本科" else "本科"
        m, alt = normalize(text, level), normalize(text, other)
        conn.execute(
            sa.text(
                "UPDATE position_major SET code = :c, code_alt = :a, key = :k, confidence = :f"
                " WHERE id = :i"
            ),
            {"c": m.code, "a": alt.code, "k": clean(text)[:100], "f": m.confidence, "i": mid},
        )


def downgrade() -> None:
    with op.batch_alter_table("position_major", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_position_major_key"))
        batch_op.drop_column("confidence")
        batch_op.drop_column("key")
        batch_op.drop_column("code_alt")

    with op.batch_alter_table("position", schema=None) as batch_op:
        batch_op.drop_column("updated_at")

    with op.batch_alter_table("graduate", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_graduate_major_key"))
        batch_op.drop_index(batch_op.f("ix_graduate_major_code"))
        batch_op.drop_column("major_confidence")
        batch_op.drop_column("major_key")

    with op.batch_alter_table("recommendation", schema=None) as batch_op:
        batch_op.drop_index("ix_recommendation_rank")
        batch_op.drop_index(batch_op.f("ix_recommendation_position_id"))

    op.drop_table("recommendation")
    op.drop_table("major_correction")
