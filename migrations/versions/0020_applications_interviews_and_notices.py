"""applications (我要应聘) and interest the employer takes up move like referrals; an interview's
time and place; training 报名 as a request; in-app notices, an e-mail/SMS outbox and consent

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-02 14:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_KINDS = ("correction", "signed", "looking")
NEW_KINDS = ("correction", "signed", "looking", "training")
KIND_CHECK = "ck_graduate_request_request_kind"


def _kinds(kinds: tuple[str, ...]) -> str:
    return "kind IN (" + ", ".join(f"'{k}'" for k in kinds) + ")"


def _when() -> sa.Column[object]:
    return sa.Column("created_at", sa.DateTime(timezone=True), nullable=False)


def upgrade() -> None:
    op.create_table(
        "notice",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.String(length=500), nullable=False),
        sa.Column("link", sa.String(length=300), nullable=True),
        _when(),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_notice_user_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notice")),
    )
    with op.batch_alter_table("notice", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_notice_user_id"), ["user_id"], unique=False)

    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column(
            "channel",
            sa.Enum(
                "email", "sms", name="notice_channel", native_enum=False, create_constraint=True
            ),
            nullable=False,
        ),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column(
            "state",
            sa.Enum(
                "pending",
                "sent",
                "failed",
                "cancelled",
                name="outbox_state",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_try_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.String(length=300), nullable=True),
        _when(),
        sa.CheckConstraint(
            "state != 'sent' OR sent_at IS NOT NULL", name=op.f("ck_outbox_sent_has_time")
        ),
        sa.CheckConstraint("attempts >= 0", name=op.f("ck_outbox_attempts_not_negative")),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_outbox_user_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox")),
    )
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.create_index("ix_outbox_due", ["state", "next_try_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_outbox_user_id"), ["user_id"], unique=False)

    with op.batch_alter_table("graduate_request", schema=None, recreate="always") as batch_op:
        batch_op.add_column(sa.Column("offer_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_graduate_request_offer_id_training_offer"),
            "training_offer",
            ["offer_id"],
            ["id"],
        )
        batch_op.drop_constraint(op.f(KIND_CHECK), type_="check")
        batch_op.create_check_constraint("request_kind", _kinds(NEW_KINDS))
        batch_op.create_check_constraint(
            "training_has_offer", "kind != 'training' OR offer_id IS NOT NULL"
        )

    with op.batch_alter_table("referral", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "source",
                sa.Enum(
                    "officer",
                    "application",
                    "interest",
                    name="referral_source",
                    native_enum=False,
                    create_constraint=True,
                ),
                server_default="officer",
                nullable=False,
            )
        )

    with op.batch_alter_table("referral_step", schema=None) as batch_op:
        batch_op.add_column(sa.Column("interview_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("place", sa.String(length=200), nullable=True))
        batch_op.create_check_constraint(
            "interview_time_with_place", "(interview_at IS NULL) = (place IS NULL)"
        )

    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.add_column(sa.Column("email_enc", sa.String(length=500), nullable=True))
        batch_op.add_column(
            sa.Column("notify_email", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.add_column(
            sa.Column("notify_sms", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.add_column(
            sa.Column("privacy_accepted_at", sa.DateTime(timezone=True), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.drop_column("privacy_accepted_at")
        batch_op.drop_column("notify_sms")
        batch_op.drop_column("notify_email")
        batch_op.drop_column("email_enc")
    with op.batch_alter_table("referral_step", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_referral_step_interview_time_with_place"), type_="check")
        batch_op.drop_column("place")
        batch_op.drop_column("interview_at")
    with op.batch_alter_table("referral", schema=None) as batch_op:
        batch_op.drop_column("source")
    op.execute("DELETE FROM graduate_request WHERE kind = 'training'")
    with op.batch_alter_table("graduate_request", schema=None, recreate="always") as batch_op:
        batch_op.drop_constraint(op.f("ck_graduate_request_training_has_offer"), type_="check")
        batch_op.drop_constraint(op.f(KIND_CHECK), type_="check")
        batch_op.create_check_constraint("request_kind", _kinds(OLD_KINDS))
        batch_op.drop_constraint(
            batch_op.f("fk_graduate_request_offer_id_training_offer"), type_="foreignkey"
        )
        batch_op.drop_column("offer_id")
    op.drop_table("outbox")
    op.drop_table("notice")
