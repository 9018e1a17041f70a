"""follow-ups after a hire (回访): a hire per 实现就业 or confirmed 报告已签约, and its follow-ups
due at 1, 3 and 6 months with their answers

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-07 02:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0025"
down_revision: str | None = "0024"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "hire",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("graduate_id", sa.Integer(), nullable=False),
        sa.Column(
            "source",
            sa.Enum(
                "referral",
                "application",
                "signed",
                "recorded",
                name="hire_source",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("hired_on", sa.Date(), nullable=False),
        sa.Column("position_id", sa.Integer(), nullable=True),
        sa.Column("workplace", sa.String(length=300), nullable=True),
        sa.Column("service_record_id", sa.Integer(), nullable=True),
        sa.Column("request_id", sa.Integer(), nullable=True),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("ended_reason", sa.String(length=300), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "ended_on IS NULL OR ended_reason IS NOT NULL", name=op.f("ck_hire_end_has_reason")
        ),
        sa.CheckConstraint(
            "service_record_id IS NOT NULL OR request_id IS NOT NULL",
            name=op.f("ck_hire_hire_has_origin"),
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["user_account.id"], name=op.f("fk_hire_created_by_id_user_account")
        ),
        sa.ForeignKeyConstraint(
            ["graduate_id"], ["graduate.id"], name=op.f("fk_hire_graduate_id_graduate")
        ),
        sa.ForeignKeyConstraint(
            ["position_id"], ["position.id"], name=op.f("fk_hire_position_id_position")
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["graduate_request.id"],
            name=op.f("fk_hire_request_id_graduate_request"),
        ),
        sa.ForeignKeyConstraint(
            ["service_record_id"],
            ["service_record.id"],
            name=op.f("fk_hire_service_record_id_service_record"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hire")),
        sa.UniqueConstraint("request_id", name=op.f("uq_hire_request_id")),
        sa.UniqueConstraint("service_record_id", name=op.f("uq_hire_service_record_id")),
    )
    with op.batch_alter_table("hire", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_hire_graduate_id"), ["graduate_id"], unique=False)

    op.create_table(
        "follow_up",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("hire_id", sa.Integer(), nullable=False),
        sa.Column("graduate_id", sa.Integer(), nullable=False),
        sa.Column("months", sa.Integer(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column(
            "state",
            sa.Enum(
                "due",
                "answered",
                "cancelled",
                name="follow_up_state",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("answered_on", sa.Date(), nullable=True),
        sa.Column("answered_by_id", sa.Integer(), nullable=True),
        sa.Column("by_graduate", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("still_employed", sa.Boolean(), nullable=True),
        sa.Column("contract_year", sa.Boolean(), nullable=True),
        sa.Column("insured", sa.Boolean(), nullable=True),
        sa.Column("left_reason", sa.String(length=200), nullable=True),
        sa.Column("wants_help", sa.Boolean(), nullable=True),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.Column("cancel_reason", sa.String(length=200), nullable=True),
        sa.CheckConstraint(
            "state != 'answered' OR (answered_on IS NOT NULL AND still_employed IS NOT NULL)",
            name=op.f("ck_follow_up_answer_is_complete"),
        ),
        sa.CheckConstraint(
            "state != 'cancelled' OR cancel_reason IS NOT NULL",
            name=op.f("ck_follow_up_cancel_reason"),
        ),
        sa.CheckConstraint("months > 0", name=op.f("ck_follow_up_months_positive")),
        sa.CheckConstraint(
            "still_employed IS NULL OR still_employed OR (left_reason IS NOT NULL AND wants_help IS NOT NULL)",
            name=op.f("ck_follow_up_leaving_has_reason"),
        ),
        sa.ForeignKeyConstraint(
            ["answered_by_id"],
            ["user_account.id"],
            name=op.f("fk_follow_up_answered_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["graduate_id"], ["graduate.id"], name=op.f("fk_follow_up_graduate_id_graduate")
        ),
        sa.ForeignKeyConstraint(["hire_id"], ["hire.id"], name=op.f("fk_follow_up_hire_id_hire")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_follow_up")),
        sa.UniqueConstraint("hire_id", "months", name=op.f("uq_follow_up_hire_id_months")),
    )
    with op.batch_alter_table("follow_up", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_follow_up_graduate_id"), ["graduate_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_follow_up_hire_id"), ["hire_id"], unique=False)
        batch_op.create_index("ix_follow_up_state_due", ["state", "due_on"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("follow_up", schema=None) as batch_op:
        batch_op.drop_index("ix_follow_up_state_due")
        batch_op.drop_index(batch_op.f("ix_follow_up_hire_id"))
        batch_op.drop_index(batch_op.f("ix_follow_up_graduate_id"))

    op.drop_table("follow_up")
    with op.batch_alter_table("hire", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_hire_graduate_id"))

    op.drop_table("hire")
