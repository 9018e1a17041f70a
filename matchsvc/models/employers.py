"""Employers (by 统一社会信用代码), approved by a union org, and the positions they post."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    LargeBinary,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy import text as sql_text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, Choice, UTCDateTime, choice_type, created_at_column, utcnow
from .graduates import Degree
from .orgs import Org


class EmployerKind(Choice):
    SOE = ("soe", "国有大中型企业")
    MODEL_WORKER = ("model_worker", "劳模企业")
    CHARITABLE = ("charitable", "社会爱心企业")
    PUBLIC_WELFARE = ("public_welfare", "政府公益性岗位")
    OTHER = ("other", "其他")


#: Employer kinds whose posts count in item 10 of the statistics table.
ITEM10_EMPLOYER_KINDS = (
    EmployerKind.SOE,
    EmployerKind.MODEL_WORKER,
    EmployerKind.CHARITABLE,
    EmployerKind.PUBLIC_WELFARE,
)


class EmployerStatus(Choice):
    PENDING = ("pending", "待审核")
    APPROVED = ("approved", "已审核")
    REJECTED = ("rejected", "未通过")


class Employer(Base):
    __tablename__ = "employer"
    __table_args__ = (
        CheckConstraint(
            "status != 'rejected' OR (decision_reason IS NOT NULL AND review_phone IS NOT NULL)",
            name="rejection_says_why",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    uscc: Mapped[str] = mapped_column(String(18), unique=True)
    kind: Mapped[EmployerKind] = mapped_column(choice_type(EmployerKind, "employer_kind"))
    #: The union org that approves (or approved) the employer; positions fall under it.
    org_id: Mapped[int] = mapped_column(ForeignKey("org.id"), index=True)
    status: Mapped[EmployerStatus] = mapped_column(
        choice_type(EmployerStatus, "employer_status"), default=EmployerStatus.PENDING
    )
    region_code: Mapped[str | None] = mapped_column(String(6))
    contact_name: Mapped[str | None] = mapped_column(String(50))
    contact_phone: Mapped[str | None] = mapped_column(String(20))
    #: Why the review did not approve it (told to the employer), and the reviewer's phone.
    decision_reason: Mapped[str | None] = mapped_column(String(500))
    review_phone: Mapped[str | None] = mapped_column(String(40))
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = created_at_column()

    org: Mapped[Org] = relationship()


class PositionKind(Choice):
    JOB = ("job", "就业岗位")
    INTERNSHIP = ("internship", "见习岗位")
    PUBLIC_WELFARE = ("public_welfare", "公益性岗位")
    #: Short summer work for students home from university (勤工俭学): recommended to students only.
    WORK_STUDY = ("work_study", "勤工俭学岗位")


class PositionStatus(Choice):
    OPEN = ("open", "招聘中")
    CLOSED = ("closed", "已关闭")
    FILLED = ("filled", "已招满")


class Position(Base):
    __tablename__ = "position"
    __table_args__ = (
        UniqueConstraint("employer_id", "title", "published_on"),
        CheckConstraint("headcount > 0", name="headcount_positive"),
        CheckConstraint(
            "pay_min IS NULL OR pay_max IS NULL OR pay_min <= pay_max", name="pay_range"
        ),
        CheckConstraint("closes_on IS NULL OR closes_on >= published_on", name="closes_after"),
        CheckConstraint(
            "kind <> 'work_study' OR (work_starts_on IS NOT NULL AND work_ends_on IS NOT NULL"
            " AND hours_per_week IS NOT NULL AND pay_per_hour IS NOT NULL"
            " AND work_ends_on >= work_starts_on"
            " AND hours_per_week BETWEEN 1 AND 40 AND pay_per_hour > 0)",
            name="work_study_terms",
        ),
        Index("ix_position_open", "status", "kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    employer_id: Mapped[int] = mapped_column(ForeignKey("employer.id"), index=True)
    kind: Mapped[PositionKind] = mapped_column(choice_type(PositionKind, "position_kind"))
    title: Mapped[str] = mapped_column(String(100))
    description: Mapped[str | None] = mapped_column(Text)
    min_degree: Mapped[Degree | None] = mapped_column(choice_type(Degree, "degree"))
    work_region_code: Mapped[str] = mapped_column(String(6), index=True)
    headcount: Mapped[int]
    pay_min: Mapped[int | None]
    pay_max: Mapped[int | None]
    published_on: Mapped[date] = mapped_column(Date, index=True)
    closes_on: Mapped[date | None] = mapped_column(Date)
    #: 勤工俭学 only: the days of the work (in the summer), hours a week and pay an hour (元).
    work_starts_on: Mapped[date | None] = mapped_column(Date)
    work_ends_on: Mapped[date | None] = mapped_column(Date)
    hours_per_week: Mapped[int | None]
    pay_per_hour: Mapped[Decimal | None] = mapped_column(Numeric(6, 2))
    status: Mapped[PositionStatus] = mapped_column(
        choice_type(PositionStatus, "position_status"), default=PositionStatus.OPEN
    )
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = created_at_column()
    #: What the title and description point to when the post names no major (majors/occupations):
    #: {"本科": [entry keys], "专科": [entry keys], "strength": 0–1, "keywords": [...]}.
    inferred: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    #: Any change to the position or its majors; the matcher's cache compares it.
    #: Indexed: the market's fingerprint reads its latest on every recommendations page.
    updated_at: Mapped[datetime | None] = mapped_column(
        UTCDateTime(), default=utcnow, onupdate=utcnow, index=True
    )

    employer: Mapped[Employer] = relationship()
    majors: Mapped[list[PositionMajor]] = relationship(
        cascade="all, delete-orphan", order_by="PositionMajor.id"
    )


class PositionMajor(Base):
    """One required major of a position, as written and (once normalised) its catalogue code."""

    __tablename__ = "position_major"

    id: Mapped[int] = mapped_column(primary_key=True)
    position_id: Mapped[int] = mapped_column(
        ForeignKey("position.id", ondelete="CASCADE"), index=True
    )
    text: Mapped[str] = mapped_column(String(100))
    #: The entry in the catalogue of the position's level (专科 when its minimum degree is 专科 or
    #: none is set, else 本科), and in the other catalogue, so graduates of either level compare.
    code: Mapped[str | None] = mapped_column(String(64))
    code_alt: Mapped[str | None] = mapped_column(String(64))
    key: Mapped[str | None] = mapped_column(String(100), index=True)
    confidence: Mapped[float | None]
    #: The mapping waits for an officer's review (专业核对).
    needs_review: Mapped[bool] = mapped_column(default=False, server_default=sql_text("false"))


__all__ = ["Employer", "Position", "PositionMajor"]


#: 营业执照 files an employer may upload, by their first bytes.
LICENCE_TYPES = ("application/pdf", "image/jpeg", "image/png")
#: The largest licence file kept (5 MB).
LICENCE_MAX_BYTES = 5 * 1024 * 1024


class EmployerLicence(Base):
    """The employer's 营业执照 as uploaded (one per employer; a new upload replaces it), kept in
    the database so that backups and every app server have it."""

    __tablename__ = "employer_licence"
    __table_args__ = (
        CheckConstraint(f"size > 0 AND size <= {LICENCE_MAX_BYTES}", name="licence_size"),
        CheckConstraint(
            "content_type IN (" + ", ".join(f"'{t}'" for t in LICENCE_TYPES) + ")",
            name="licence_type",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    employer_id: Mapped[int] = mapped_column(ForeignKey("employer.id"), unique=True)
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(40))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    uploaded_at: Mapped[datetime] = created_at_column()
