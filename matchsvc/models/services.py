"""Services given to graduates (帮扶记录) and job fairs (就业服务活动)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Numeric,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, Choice, UTCDateTime, choice_type, created_at_column
from .orgs import Org


class ServiceKind(Choice):
    INTERNSHIP = ("internship", "实习见习")
    SKILL_TRAINING = ("skill_training", "就业技能培训")
    CERTIFICATE = ("certificate", "职业资格证书")
    BUSINESS_GUIDANCE = ("business_guidance", "创业指导")
    BUSINESS_TRAINING = ("business_training", "创业培训")
    LOAN = ("loan", "小额担保贷款")
    POLICY = ("policy", "就业扶持政策落实")
    EMPLOYED = ("employed", "实现就业")
    JOB_SUBSIDY = ("job_subsidy", "求职补贴")
    #: A student's summer work placement: no item of the table counts it (its own report).
    WORK_STUDY = ("work_study", "勤工俭学")


#: Kinds whose records carry an amount of money (元).
MONEY_KINDS = (ServiceKind.LOAN, ServiceKind.JOB_SUBSIDY)


class ServiceRecord(Base):
    """A dated help given; voided with a reason, never deleted; a voided record counts nowhere."""

    __tablename__ = "service_record"
    __table_args__ = (
        CheckConstraint("amount IS NULL OR amount >= 0", name="amount_not_negative"),
        CheckConstraint("(voided_at IS NULL) = (void_reason IS NULL)", name="void_has_reason"),
        Index("ix_service_record_stats", "org_id", "kind", "service_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    graduate_id: Mapped[int] = mapped_column(ForeignKey("graduate.id"), index=True)
    kind: Mapped[ServiceKind] = mapped_column(choice_type(ServiceKind, "service_kind"))
    service_date: Mapped[date] = mapped_column(Date)
    #: The org that gave the service; statistics attribute the record to it.
    org_id: Mapped[int] = mapped_column(ForeignKey("org.id"))
    amount: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    remark: Mapped[str | None] = mapped_column(String(500))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = created_at_column()
    voided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    voided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    void_reason: Mapped[str | None] = mapped_column(String(500))

    org: Mapped[Org] = relationship()

    @property
    def is_void(self) -> bool:
        return self.voided_at is not None


class JobFair(Base):
    """A job fair or other employment-service activity held by an org."""

    __tablename__ = "job_fair"
    __table_args__ = (
        UniqueConstraint("name", "held_on", "org_id"),
        CheckConstraint("positions_offered >= 0", name="positions_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    held_on: Mapped[date] = mapped_column(Date, index=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("org.id"), index=True)
    #: Positions suitable for graduates offered at the event (item 09).
    positions_offered: Mapped[int] = mapped_column(default=0)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = created_at_column()

    org: Mapped[Org] = relationship()
