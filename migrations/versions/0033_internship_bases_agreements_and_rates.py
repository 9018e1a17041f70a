"""就业见习: 见习基地 (an employer approved for a period), one 见习协议 per intern with its
insurance, and the provinces' 见习补贴 rates. The database refuses a signed agreement without its
terms, 在岗 without an insurance record, months outside 3–12, and a second open agreement for one
graduate (a partial unique index).

Revision ID: 0033
Revises: 0032
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0033"
down_revision: str | None = "0032"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "internship_rate",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("province_code", sa.String(length=6), nullable=False),
        sa.Column("minimum_wage", sa.Integer(), nullable=False),
        sa.Column("share_pct", sa.Integer(), nullable=False),
        sa.Column("higher_pct", sa.Integer(), nullable=True),
        sa.Column("source", sa.String(length=300), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "higher_pct IS NULL OR (higher_pct BETWEEN share_pct AND 100)",
            name=op.f("ck_internship_rate_higher_above"),
        ),
        sa.CheckConstraint("minimum_wage > 0", name=op.f("ck_internship_rate_wage_positive")),
        sa.CheckConstraint(
            "share_pct BETWEEN 1 AND 100", name=op.f("ck_internship_rate_share_1_to_100")
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"],
            ["user_account.id"],
            name=op.f("fk_internship_rate_updated_by_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_internship_rate")),
        sa.UniqueConstraint("province_code", name=op.f("uq_internship_rate_province_code")),
    )
    op.create_table(
        "internship_base",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("employer_id", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column(
            "approver",
            sa.Enum(
                "union",
                "hrss",
                name="internship_approver",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("approval_ref", sa.String(length=100), nullable=False),
        sa.Column("approved_from", sa.Date(), nullable=False),
        sa.Column("approved_until", sa.Date(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "approved_until >= approved_from", name=op.f("ck_internship_base_period_forward")
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user_account.id"],
            name=op.f("fk_internship_base_created_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["employer_id"], ["employer.id"], name=op.f("fk_internship_base_employer_id_employer")
        ),
        sa.ForeignKeyConstraint(["org_id"], ["org.id"], name=op.f("fk_internship_base_org_id_org")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_internship_base")),
        sa.UniqueConstraint("employer_id", name=op.f("uq_internship_base_employer_id")),
    )
    with op.batch_alter_table("internship_base", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_internship_base_org_id"), ["org_id"], unique=False)

    op.create_table(
        "internship",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("graduate_id", sa.Integer(), nullable=False),
        sa.Column("base_id", sa.Integer(), nullable=False),
        sa.Column("position_id", sa.Integer(), nullable=False),
        sa.Column(
            "state",
            sa.Enum(
                "applied",
                "signed",
                "on_post",
                "completed",
                "terminated",
                "retained",
                "not_retained",
                name="internship_state",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("applied_on", sa.Date(), nullable=False),
        sa.Column("signed_on", sa.Date(), nullable=True),
        sa.Column("starts_on", sa.Date(), nullable=True),
        sa.Column("planned_months", sa.Integer(), nullable=True),
        sa.Column("allowance", sa.Integer(), nullable=True),
        sa.Column("policy_no", sa.String(length=60), nullable=True),
        sa.Column("insurer", sa.String(length=100), nullable=True),
        sa.Column("insured_from", sa.Date(), nullable=True),
        sa.Column("insured_until", sa.Date(), nullable=True),
        sa.Column("on_post_from", sa.Date(), nullable=True),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("end_reason", sa.String(length=300), nullable=True),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("service_record_id", sa.Integer(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), server_default=sa.text("1"), nullable=False),
        sa.CheckConstraint(
            "state <> 'terminated' OR end_reason IS NOT NULL",
            name=op.f("ck_internship_terminated_has_reason"),
        ),
        sa.CheckConstraint(
            "state = 'applied' OR (signed_on IS NOT NULL AND starts_on IS NOT NULL AND planned_months IS NOT NULL AND allowance IS NOT NULL)",
            name=op.f("ck_internship_signed_has_terms"),
        ),
        sa.CheckConstraint(
            "state IN ('applied', 'signed') OR (on_post_from IS NOT NULL AND policy_no IS NOT NULL AND insured_from IS NOT NULL AND insured_until IS NOT NULL)",
            name=op.f("ck_internship_on_post_is_insured"),
        ),
        sa.CheckConstraint(
            "state NOT IN ('completed', 'terminated', 'retained', 'not_retained') OR ended_on IS NOT NULL",
            name=op.f("ck_internship_ended_has_day"),
        ),
        sa.CheckConstraint(
            "allowance IS NULL OR allowance > 0", name=op.f("ck_internship_allowance_positive")
        ),
        sa.CheckConstraint(
            "insured_until IS NULL OR insured_until >= insured_from",
            name=op.f("ck_internship_insured_forward"),
        ),
        sa.CheckConstraint(
            "planned_months IS NULL OR planned_months BETWEEN 3 AND 12",
            name=op.f("ck_internship_months_3_to_12"),
        ),
        sa.ForeignKeyConstraint(
            ["base_id"], ["internship_base.id"], name=op.f("fk_internship_base_id_internship_base")
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user_account.id"],
            name=op.f("fk_internship_created_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["graduate_id"], ["graduate.id"], name=op.f("fk_internship_graduate_id_graduate")
        ),
        sa.ForeignKeyConstraint(
            ["position_id"], ["position.id"], name=op.f("fk_internship_position_id_position")
        ),
        sa.ForeignKeyConstraint(
            ["service_record_id"],
            ["service_record.id"],
            name=op.f("fk_internship_service_record_id_service_record"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_internship")),
        sa.UniqueConstraint("service_record_id", name=op.f("uq_internship_service_record_id")),
    )
    with op.batch_alter_table("internship", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_internship_base_id"), ["base_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_internship_graduate_id"), ["graduate_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_internship_position_id"), ["position_id"], unique=False
        )
        batch_op.create_index(
            "uq_internship_open_per_graduate",
            ["graduate_id"],
            unique=True,
            sqlite_where=sa.text(
                "state IN ('applied', 'signed', 'on_post', 'completed', 'terminated')"
            ),
            postgresql_where=sa.text(
                "state IN ('applied', 'signed', 'on_post', 'completed', 'terminated')"
            ),
        )


def downgrade() -> None:
    with op.batch_alter_table("internship", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_internship_open_per_graduate",
            sqlite_where=sa.text(
                "state IN ('applied', 'signed', 'on_post', 'completed', 'terminated')"
            ),
            postgresql_where=sa.text(
                "state IN ('applied', 'signed', 'on_post', 'completed', 'terminated')"
            ),
        )
        batch_op.drop_index(batch_op.f("ix_internship_position_id"))
        batch_op.drop_index(batch_op.f("ix_internship_graduate_id"))
        batch_op.drop_index(batch_op.f("ix_internship_base_id"))

    op.drop_table("internship")
    with op.batch_alter_table("internship_base", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_internship_base_org_id"))

    op.drop_table("internship_base")
    op.drop_table("internship_rate")
