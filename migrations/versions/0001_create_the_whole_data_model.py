"""create the whole data model

Revision ID: 0001
Revises:
Create Date: 2026-11-28 04:37:18.743919
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "campaign",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("cutoff_on", sa.Date(), nullable=False),
        sa.Column("report_due_on", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("cutoff_on >= starts_on", name=op.f("ck_campaign_cutoff_after_start")),
        sa.CheckConstraint("ends_on >= starts_on", name=op.f("ck_campaign_ends_after_start")),
        sa.CheckConstraint("report_due_on >= cutoff_on", name=op.f("ck_campaign_due_after_cutoff")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_campaign")),
        sa.UniqueConstraint("year", name=op.f("uq_campaign_year")),
    )
    op.create_table(
        "job_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("job_id", sa.String(length=64), nullable=False),
        sa.Column("scheduled_for", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "outcome",
            sa.Enum(
                "running",
                "success",
                "failed",
                name="job_outcome",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("rows", sa.Integer(), nullable=True),
        sa.Column("message", sa.Text(), nullable=True),
        sa.Column("runner", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_job_run")),
        sa.UniqueConstraint(
            "job_id", "scheduled_for", name=op.f("uq_job_run_job_id_scheduled_for")
        ),
    )
    op.create_table(
        "org",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=6), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column(
            "level",
            sa.Enum(
                "hq",
                "province",
                "city",
                "county",
                name="org_level",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("path", sa.String(length=120), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(parent_id IS NULL) = (level = 'hq')", name=op.f("ck_org_only_hq_is_root")
        ),
        sa.CheckConstraint("length(code) = 6", name=op.f("ck_org_code_six_digits")),
        sa.ForeignKeyConstraint(["parent_id"], ["org.id"], name=op.f("fk_org_parent_id_org")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_org")),
        sa.UniqueConstraint("code", name=op.f("uq_org_code")),
        sa.UniqueConstraint("path", name=op.f("uq_org_path")),
    )
    with op.batch_alter_table("org", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_org_parent_id"), ["parent_id"], unique=False)

    op.create_table(
        "scheduler_lease",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("holder", sa.String(length=100), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_scheduler_lease")),
    )
    op.create_table(
        "stats_snapshot",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("cutoff_on", sa.Date(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "scheduled",
                "submitted",
                name="snapshot_kind",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("taken_on", sa.Date(), nullable=False),
        sa.Column("items", sa.JSON(), nullable=False),
        sa.Column("job_run_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["campaign_id"], ["campaign.id"], name=op.f("fk_stats_snapshot_campaign_id_campaign")
        ),
        sa.ForeignKeyConstraint(
            ["job_run_id"], ["job_run.id"], name=op.f("fk_stats_snapshot_job_run_id_job_run")
        ),
        sa.ForeignKeyConstraint(["org_id"], ["org.id"], name=op.f("fk_stats_snapshot_org_id_org")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stats_snapshot")),
        sa.UniqueConstraint(
            "campaign_id",
            "org_id",
            "cutoff_on",
            "kind",
            "taken_on",
            name=op.f("uq_stats_snapshot_campaign_id_org_id_cutoff_on_kind_taken_on"),
        ),
    )
    with op.batch_alter_table("stats_snapshot", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_stats_snapshot_org_id"), ["org_id"], unique=False)

    op.create_table(
        "user_account",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column(
            "role",
            sa.Enum(
                "officer",
                "employer",
                "graduate",
                "hq",
                name="user_role",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("display_name", sa.String(length=100), nullable=True),
        sa.Column("org_id", sa.Integer(), nullable=True),
        sa.Column("employer_id", sa.Integer(), nullable=True),
        sa.Column("graduate_id", sa.Integer(), nullable=True),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("session_token", sa.String(length=64), nullable=False),
        sa.Column("failed_logins", sa.Integer(), nullable=False),
        sa.Column("last_login_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(role NOT IN ('officer', 'hq')) OR org_id IS NOT NULL",
            name=op.f("ck_user_account_staff_have_org"),
        ),
        sa.CheckConstraint(
            "role != 'employer' OR employer_id IS NOT NULL",
            name=op.f("ck_user_account_employer_linked"),
        ),
        sa.CheckConstraint(
            "role != 'graduate' OR graduate_id IS NOT NULL",
            name=op.f("ck_user_account_graduate_linked"),
        ),
        sa.ForeignKeyConstraint(["org_id"], ["org.id"], name=op.f("fk_user_account_org_id_org")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_account")),
        sa.UniqueConstraint("username", name=op.f("uq_user_account_username")),
    )
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_user_account_employer_id"), ["employer_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_user_account_graduate_id"), ["graduate_id"], unique=True
        )
        batch_op.create_index(batch_op.f("ix_user_account_org_id"), ["org_id"], unique=False)

    op.create_table(
        "audit_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("entity_type", sa.String(length=40), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=True),
        sa.Column("org_id", sa.Integer(), nullable=True),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["org_id"], ["org.id"], name=op.f("fk_audit_event_org_id_org")),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_audit_event_user_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_event")),
    )
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.create_index("ix_audit_event_entity", ["entity_type", "entity_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_event_org_id"), ["org_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_event_user_id"), ["user_id"], unique=False)

    op.create_table(
        "employer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("uscc", sa.String(length=18), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "soe",
                "model_worker",
                "charitable",
                "public_welfare",
                "other",
                name="employer_kind",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "pending",
                "approved",
                "rejected",
                name="employer_status",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("region_code", sa.String(length=6), nullable=True),
        sa.Column("contact_name", sa.String(length=50), nullable=True),
        sa.Column("contact_phone", sa.String(length=20), nullable=True),
        sa.Column("approved_by_id", sa.Integer(), nullable=True),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["approved_by_id"],
            ["user_account.id"],
            name=op.f("fk_employer_approved_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(["org_id"], ["org.id"], name=op.f("fk_employer_org_id_org")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_employer")),
        sa.UniqueConstraint("uscc", name=op.f("uq_employer_uscc")),
    )
    with op.batch_alter_table("employer", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_employer_org_id"), ["org_id"], unique=False)

    op.create_table(
        "job_fair",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("positions_offered", sa.Integer(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "positions_offered >= 0", name=op.f("ck_job_fair_positions_not_negative")
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user_account.id"],
            name=op.f("fk_job_fair_created_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(["org_id"], ["org.id"], name=op.f("fk_job_fair_org_id_org")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_job_fair")),
        sa.UniqueConstraint(
            "name", "held_on", "org_id", name=op.f("uq_job_fair_name_held_on_org_id")
        ),
    )
    with op.batch_alter_table("job_fair", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_job_fair_held_on"), ["held_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_job_fair_org_id"), ["org_id"], unique=False)

    op.create_table(
        "training_offer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "skill", "business", name="training_kind", native_enum=False, create_constraint=True
            ),
            nullable=False,
        ),
        sa.Column("skills", sa.Text(), nullable=False),
        sa.Column("certificate", sa.String(length=200), nullable=True),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("region_code", sa.String(length=6), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("seats", sa.Integer(), nullable=False),
        sa.Column("signup_closes_on", sa.Date(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("ends_on >= starts_on", name=op.f("ck_training_offer_ends_after_start")),
        sa.CheckConstraint("seats > 0", name=op.f("ck_training_offer_seats_positive")),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user_account.id"],
            name=op.f("fk_training_offer_created_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(["org_id"], ["org.id"], name=op.f("fk_training_offer_org_id_org")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_offer")),
    )
    with op.batch_alter_table("training_offer", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_training_offer_org_id"), ["org_id"], unique=False)

    op.create_table(
        "graduate",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=50), nullable=False),
        sa.Column("id_number_enc", sa.Text(), nullable=False),
        sa.Column("id_number_hash", sa.String(length=64), nullable=False),
        sa.Column("id_number_last4", sa.String(length=4), nullable=False),
        sa.Column("phone_enc", sa.Text(), nullable=True),
        sa.Column("phone_hash", sa.String(length=64), nullable=True),
        sa.Column("phone_last4", sa.String(length=4), nullable=True),
        sa.Column(
            "sex",
            sa.Enum("M", "F", name="sex", native_enum=False, create_constraint=True),
            nullable=False,
        ),
        sa.Column("birth_date", sa.Date(), nullable=False),
        sa.Column("home_org_id", sa.Integer(), nullable=False),
        sa.Column("origin_region_code", sa.String(length=6), nullable=True),
        sa.Column("school_name", sa.String(length=100), nullable=False),
        sa.Column("school_org_id", sa.Integer(), nullable=False),
        sa.Column("major_text", sa.String(length=100), nullable=False),
        sa.Column("major_code", sa.String(length=12), nullable=True),
        sa.Column(
            "degree",
            sa.Enum(
                "zhuanke",
                "benke",
                "master",
                "doctor",
                name="degree",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("graduation_year", sa.Integer(), nullable=False),
        sa.Column(
            "family_kind",
            sa.Enum(
                "worker", "migrant", name="family_kind", native_enum=False, create_constraint=True
            ),
            nullable=False,
        ),
        sa.Column("parent_employer_name", sa.String(length=200), nullable=True),
        sa.Column("parent_employer_uscc", sa.String(length=18), nullable=True),
        sa.Column("parent_employer_id", sa.Integer(), nullable=True),
        sa.Column("wish_regions", sa.JSON(), nullable=False),
        sa.Column("wish_work", sa.String(length=200), nullable=True),
        sa.Column("wants_training", sa.Boolean(), nullable=False),
        sa.Column("wants_internship", sa.Boolean(), nullable=False),
        sa.Column("wants_business", sa.Boolean(), nullable=False),
        sa.Column("skills", sa.Text(), nullable=True),
        sa.Column("certificates", sa.Text(), nullable=True),
        sa.Column("archive_no", sa.String(length=40), nullable=True),
        sa.Column("registered_on", sa.Date(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "unemployed",
                "signed",
                "employed",
                "self_employed",
                "flexible",
                "further_study",
                "other",
                name="employment_status",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("status_since", sa.Date(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "graduation_year BETWEEN 1950 AND 2100", name=op.f("ck_graduate_graduation_year_range")
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user_account.id"],
            name=op.f("fk_graduate_created_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["home_org_id"], ["org.id"], name=op.f("fk_graduate_home_org_id_org")
        ),
        sa.ForeignKeyConstraint(
            ["parent_employer_id"],
            ["employer.id"],
            name=op.f("fk_graduate_parent_employer_id_employer"),
        ),
        sa.ForeignKeyConstraint(
            ["school_org_id"], ["org.id"], name=op.f("fk_graduate_school_org_id_org")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_graduate")),
        sa.UniqueConstraint("id_number_hash", name=op.f("uq_graduate_id_number_hash")),
    )
    with op.batch_alter_table("graduate", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_graduate_id_number_last4"), ["id_number_last4"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_graduate_parent_employer_id"), ["parent_employer_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_graduate_phone_hash"), ["phone_hash"], unique=False)
        batch_op.create_index(
            "ix_graduate_scope_home", ["home_org_id", "graduation_year"], unique=False
        )
        batch_op.create_index(
            "ix_graduate_scope_school", ["school_org_id", "graduation_year"], unique=False
        )

    op.create_table(
        "position",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("employer_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "job",
                "internship",
                "public_welfare",
                name="position_kind",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("title", sa.String(length=100), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column(
            "min_degree",
            sa.Enum(
                "zhuanke",
                "benke",
                "master",
                "doctor",
                name="degree",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=True,
        ),
        sa.Column("work_region_code", sa.String(length=6), nullable=False),
        sa.Column("headcount", sa.Integer(), nullable=False),
        sa.Column("pay_min", sa.Integer(), nullable=True),
        sa.Column("pay_max", sa.Integer(), nullable=True),
        sa.Column("published_on", sa.Date(), nullable=False),
        sa.Column("closes_on", sa.Date(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "open",
                "closed",
                "filled",
                name="position_status",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "closes_on IS NULL OR closes_on >= published_on", name=op.f("ck_position_closes_after")
        ),
        sa.CheckConstraint("headcount > 0", name=op.f("ck_position_headcount_positive")),
        sa.CheckConstraint(
            "pay_min IS NULL OR pay_max IS NULL OR pay_min <= pay_max",
            name=op.f("ck_position_pay_range"),
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user_account.id"],
            name=op.f("fk_position_created_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["employer_id"], ["employer.id"], name=op.f("fk_position_employer_id_employer")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_position")),
        sa.UniqueConstraint(
            "employer_id",
            "title",
            "published_on",
            name=op.f("uq_position_employer_id_title_published_on"),
        ),
    )
    with op.batch_alter_table("position", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_position_employer_id"), ["employer_id"], unique=False)
        batch_op.create_index("ix_position_open", ["status", "kind"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_position_published_on"), ["published_on"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_position_work_region_code"), ["work_region_code"], unique=False
        )

    op.create_table(
        "archive_transfer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("graduate_id", sa.Integer(), nullable=False),
        sa.Column("from_org_id", sa.Integer(), nullable=False),
        sa.Column("to_org_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column(
            "state",
            sa.Enum(
                "pending",
                "accepted",
                "refused",
                name="transfer_state",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("requested_by_id", sa.Integer(), nullable=True),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decision_note", sa.String(length=500), nullable=True),
        sa.CheckConstraint(
            "(state = 'pending') = (decided_at IS NULL)",
            name=op.f("ck_archive_transfer_decided_iff_not_pending"),
        ),
        sa.CheckConstraint(
            "from_org_id != to_org_id", name=op.f("ck_archive_transfer_different_orgs")
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"],
            ["user_account.id"],
            name=op.f("fk_archive_transfer_decided_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["from_org_id"], ["org.id"], name=op.f("fk_archive_transfer_from_org_id_org")
        ),
        sa.ForeignKeyConstraint(
            ["graduate_id"], ["graduate.id"], name=op.f("fk_archive_transfer_graduate_id_graduate")
        ),
        sa.ForeignKeyConstraint(
            ["requested_by_id"],
            ["user_account.id"],
            name=op.f("fk_archive_transfer_requested_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["to_org_id"], ["org.id"], name=op.f("fk_archive_transfer_to_org_id_org")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_archive_transfer")),
    )
    with op.batch_alter_table("archive_transfer", schema=None) as batch_op:
        batch_op.create_index(
            "uq_archive_transfer_one_pending",
            ["graduate_id"],
            unique=True,
            sqlite_where=sa.text("state = 'pending'"),
            postgresql_where=sa.text("state = 'pending'"),
        )

    op.create_table(
        "graduate_hardship",
        sa.Column("graduate_id", sa.Integer(), nullable=False),
        sa.Column(
            "category",
            sa.Enum(
                "dibao",
                "zero_employment",
                "single_parent",
                "disability",
                "serious_illness",
                "other",
                name="hardship",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["graduate_id"],
            ["graduate.id"],
            name=op.f("fk_graduate_hardship_graduate_id_graduate"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("graduate_id", "category", name=op.f("pk_graduate_hardship")),
    )
    with op.batch_alter_table("graduate_hardship", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_graduate_hardship_category"), ["category"], unique=False
        )

    op.create_table(
        "interest",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("graduate_id", sa.Integer(), nullable=False),
        sa.Column("position_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "interested",
                "declined",
                name="interest_kind",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("reason", sa.String(length=500), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "kind != 'declined' OR reason IS NOT NULL", name=op.f("ck_interest_decline_has_reason")
        ),
        sa.ForeignKeyConstraint(
            ["graduate_id"], ["graduate.id"], name=op.f("fk_interest_graduate_id_graduate")
        ),
        sa.ForeignKeyConstraint(
            ["position_id"], ["position.id"], name=op.f("fk_interest_position_id_position")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_interest")),
        sa.UniqueConstraint(
            "graduate_id", "position_id", name=op.f("uq_interest_graduate_id_position_id")
        ),
    )
    with op.batch_alter_table("interest", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_interest_graduate_id"), ["graduate_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_interest_position_id"), ["position_id"], unique=False)

    op.create_table(
        "position_major",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("position_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.String(length=100), nullable=False),
        sa.Column("code", sa.String(length=12), nullable=True),
        sa.ForeignKeyConstraint(
            ["position_id"],
            ["position.id"],
            name=op.f("fk_position_major_position_id_position"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_position_major")),
    )
    with op.batch_alter_table("position_major", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_position_major_position_id"), ["position_id"], unique=False
        )

    op.create_table(
        "referral",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("graduate_id", sa.Integer(), nullable=False),
        sa.Column("position_id", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column(
            "state",
            sa.Enum(
                "referred",
                "interview",
                "hired",
                "rejected",
                name="referral_state",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("referred_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["graduate_id"], ["graduate.id"], name=op.f("fk_referral_graduate_id_graduate")
        ),
        sa.ForeignKeyConstraint(["org_id"], ["org.id"], name=op.f("fk_referral_org_id_org")),
        sa.ForeignKeyConstraint(
            ["position_id"], ["position.id"], name=op.f("fk_referral_position_id_position")
        ),
        sa.ForeignKeyConstraint(
            ["referred_by_id"],
            ["user_account.id"],
            name=op.f("fk_referral_referred_by_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_referral")),
        sa.UniqueConstraint(
            "graduate_id", "position_id", name=op.f("uq_referral_graduate_id_position_id")
        ),
    )
    with op.batch_alter_table("referral", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_referral_graduate_id"), ["graduate_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_referral_position_id"), ["position_id"], unique=False)

    op.create_table(
        "service_record",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("graduate_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "internship",
                "skill_training",
                "certificate",
                "business_guidance",
                "business_training",
                "loan",
                "policy",
                "employed",
                "job_subsidy",
                name="service_kind",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("service_date", sa.Date(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("amount", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("remark", sa.String(length=500), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("voided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("voided_by_id", sa.Integer(), nullable=True),
        sa.Column("void_reason", sa.String(length=500), nullable=True),
        sa.CheckConstraint(
            "(voided_at IS NULL) = (void_reason IS NULL)",
            name=op.f("ck_service_record_void_has_reason"),
        ),
        sa.CheckConstraint(
            "amount IS NULL OR amount >= 0", name=op.f("ck_service_record_amount_not_negative")
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user_account.id"],
            name=op.f("fk_service_record_created_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["graduate_id"], ["graduate.id"], name=op.f("fk_service_record_graduate_id_graduate")
        ),
        sa.ForeignKeyConstraint(["org_id"], ["org.id"], name=op.f("fk_service_record_org_id_org")),
        sa.ForeignKeyConstraint(
            ["voided_by_id"],
            ["user_account.id"],
            name=op.f("fk_service_record_voided_by_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_service_record")),
    )
    with op.batch_alter_table("service_record", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_service_record_graduate_id"), ["graduate_id"], unique=False
        )
        batch_op.create_index(
            "ix_service_record_stats", ["org_id", "kind", "service_date"], unique=False
        )

    op.create_table(
        "training_enrollment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("offer_id", sa.Integer(), nullable=False),
        sa.Column("graduate_id", sa.Integer(), nullable=False),
        sa.Column("enrolled_on", sa.Date(), nullable=False),
        sa.Column("completed_on", sa.Date(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user_account.id"],
            name=op.f("fk_training_enrollment_created_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["graduate_id"],
            ["graduate.id"],
            name=op.f("fk_training_enrollment_graduate_id_graduate"),
        ),
        sa.ForeignKeyConstraint(
            ["offer_id"],
            ["training_offer.id"],
            name=op.f("fk_training_enrollment_offer_id_training_offer"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_enrollment")),
        sa.UniqueConstraint(
            "offer_id", "graduate_id", name=op.f("uq_training_enrollment_offer_id_graduate_id")
        ),
    )
    with op.batch_alter_table("training_enrollment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_training_enrollment_graduate_id"), ["graduate_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_training_enrollment_offer_id"), ["offer_id"], unique=False
        )

    op.create_table(
        "referral_step",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("referral_id", sa.Integer(), nullable=False),
        sa.Column(
            "state",
            sa.Enum(
                "referred",
                "interview",
                "hired",
                "rejected",
                name="referral_state",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("on_date", sa.Date(), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=True),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "state != 'rejected' OR reason IS NOT NULL",
            name=op.f("ck_referral_step_rejection_has_reason"),
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["user_account.id"],
            name=op.f("fk_referral_step_recorded_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["referral_id"], ["referral.id"], name=op.f("fk_referral_step_referral_id_referral")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_referral_step")),
    )
    with op.batch_alter_table("referral_step", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_referral_step_referral_id"), ["referral_id"], unique=False
        )

    op.create_table(
        "status_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("graduate_id", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "unemployed",
                "signed",
                "employed",
                "self_employed",
                "flexible",
                "further_study",
                "other",
                name="employment_status",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("effective_on", sa.Date(), nullable=False),
        sa.Column("note", sa.String(length=200), nullable=True),
        sa.Column("service_record_id", sa.Integer(), nullable=True),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["graduate_id"], ["graduate.id"], name=op.f("fk_status_change_graduate_id_graduate")
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["user_account.id"],
            name=op.f("fk_status_change_recorded_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["service_record_id"],
            ["service_record.id"],
            name=op.f("fk_status_change_service_record_id_service_record"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_status_change")),
    )
    with op.batch_alter_table("status_change", schema=None) as batch_op:
        batch_op.create_index(
            "ix_status_change_asof", ["graduate_id", "effective_on", "id"], unique=False
        )
    # user_account and graduate/employer refer to each other: these two keys come last.
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.create_foreign_key(
            op.f("fk_user_account_employer_id_employer"), "employer", ["employer_id"], ["id"]
        )
        batch_op.create_foreign_key(
            op.f("fk_user_account_graduate_id_graduate"), "graduate", ["graduate_id"], ["id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("fk_user_account_graduate_id_graduate"), type_="foreignkey")
        batch_op.drop_constraint(op.f("fk_user_account_employer_id_employer"), type_="foreignkey")
    with op.batch_alter_table("status_change", schema=None) as batch_op:
        batch_op.drop_index("ix_status_change_asof")

    op.drop_table("status_change")
    with op.batch_alter_table("referral_step", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_referral_step_referral_id"))

    op.drop_table("referral_step")
    with op.batch_alter_table("training_enrollment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_training_enrollment_offer_id"))
        batch_op.drop_index(batch_op.f("ix_training_enrollment_graduate_id"))

    op.drop_table("training_enrollment")
    with op.batch_alter_table("service_record", schema=None) as batch_op:
        batch_op.drop_index("ix_service_record_stats")
        batch_op.drop_index(batch_op.f("ix_service_record_graduate_id"))

    op.drop_table("service_record")
    with op.batch_alter_table("referral", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_referral_position_id"))
        batch_op.drop_index(batch_op.f("ix_referral_graduate_id"))

    op.drop_table("referral")
    with op.batch_alter_table("position_major", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_position_major_position_id"))

    op.drop_table("position_major")
    with op.batch_alter_table("interest", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_interest_position_id"))
        batch_op.drop_index(batch_op.f("ix_interest_graduate_id"))

    op.drop_table("interest")
    with op.batch_alter_table("graduate_hardship", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_graduate_hardship_category"))

    op.drop_table("graduate_hardship")
    with op.batch_alter_table("archive_transfer", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_archive_transfer_one_pending",
            sqlite_where=sa.text("state = 'pending'"),
            postgresql_where=sa.text("state = 'pending'"),
        )

    op.drop_table("archive_transfer")
    with op.batch_alter_table("position", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_position_work_region_code"))
        batch_op.drop_index(batch_op.f("ix_position_published_on"))
        batch_op.drop_index("ix_position_open")
        batch_op.drop_index(batch_op.f("ix_position_employer_id"))

    op.drop_table("position")
    with op.batch_alter_table("graduate", schema=None) as batch_op:
        batch_op.drop_index("ix_graduate_scope_school")
        batch_op.drop_index("ix_graduate_scope_home")
        batch_op.drop_index(batch_op.f("ix_graduate_phone_hash"))
        batch_op.drop_index(batch_op.f("ix_graduate_parent_employer_id"))
        batch_op.drop_index(batch_op.f("ix_graduate_id_number_last4"))

    op.drop_table("graduate")
    with op.batch_alter_table("training_offer", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_training_offer_org_id"))

    op.drop_table("training_offer")
    with op.batch_alter_table("job_fair", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_job_fair_org_id"))
        batch_op.drop_index(batch_op.f("ix_job_fair_held_on"))

    op.drop_table("job_fair")
    with op.batch_alter_table("employer", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_employer_org_id"))

    op.drop_table("employer")
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_event_user_id"))
        batch_op.drop_index(batch_op.f("ix_audit_event_org_id"))
        batch_op.drop_index("ix_audit_event_entity")

    op.drop_table("audit_event")
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_user_account_org_id"))
        batch_op.drop_index(batch_op.f("ix_user_account_graduate_id"))
        batch_op.drop_index(batch_op.f("ix_user_account_employer_id"))

    op.drop_table("user_account")
    with op.batch_alter_table("stats_snapshot", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_stats_snapshot_org_id"))

    op.drop_table("stats_snapshot")
    op.drop_table("scheduler_lease")
    with op.batch_alter_table("org", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_org_parent_id"))

    op.drop_table("org")
    op.drop_table("job_run")
    op.drop_table("campaign")
