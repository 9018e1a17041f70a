"""就业见习: employers approved as 见习基地, one 见习协议 per intern with its insurance, and the
provinces' 见习补贴 rates (a share of the minimum wage, with its source, kept by HQ).

An agreement goes 报名 → 已签协议 → 在岗 → 期满 or 提前终止 → 留用 or 未留用; the database refuses
an agreement without its terms once signed, and 在岗 without an insurance record."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, Choice, UTCDateTime, choice_type, created_at_column, utcnow
from .employers import Employer, Position


class Approver(Choice):
    """Who approved a 见习基地."""

    UNION = ("union", "工会")
    HRSS = ("hrss", "人力资源社会保障部门")


class InternshipBase(Base):
    """见习基地: an employer approved for a period; its 见习岗位 are its internship positions."""

    __tablename__ = "internship_base"
    __table_args__ = (CheckConstraint("approved_until >= approved_from", name="period_forward"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    employer_id: Mapped[int] = mapped_column(ForeignKey("employer.id"), unique=True)
    #: The union org that keeps the base (it recorded the approval; its officers run the claims).
    org_id: Mapped[int] = mapped_column(ForeignKey("org.id"), index=True)
    approver: Mapped[Approver] = mapped_column(choice_type(Approver, "internship_approver"))
    #: 批准文号 or the 人社 notice that named the base.
    approval_ref: Mapped[str] = mapped_column(String(100))
    approved_from: Mapped[date] = mapped_column(Date)
    approved_until: Mapped[date] = mapped_column(Date)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = created_at_column()

    employer: Mapped[Employer] = relationship()

    def approved_on(self, day: date) -> bool:
        return self.approved_from <= day <= self.approved_until


class InternshipState(Choice):
    APPLIED = ("applied", "报名")
    SIGNED = ("signed", "已签协议")
    ON_POST = ("on_post", "在岗")
    COMPLETED = ("completed", "期满")
    TERMINATED = ("terminated", "提前终止")
    RETAINED = ("retained", "留用")
    NOT_RETAINED = ("not_retained", "未留用")


#: An agreement still running or waiting for its 留用 decision: one per graduate.
OPEN_INTERNSHIP_STATES = (
    InternshipState.APPLIED,
    InternshipState.SIGNED,
    InternshipState.ON_POST,
    InternshipState.COMPLETED,
    InternshipState.TERMINATED,
)
#: While signed, on the post or waiting for the decision, the graduate is not offered other
#: posts; 未留用 gives them back their recommendations.
HOLDING_INTERNSHIP_STATES = OPEN_INTERNSHIP_STATES[1:]

_OPEN_SQL = "state IN ('applied', 'signed', 'on_post', 'completed', 'terminated')"


class Internship(Base):
    """见习协议 of one intern: the base, the post, the start, the planned months (3–12), the
    monthly 生活补助 the base pays, and the 人身意外伤害保险 policy with its dates."""

    __tablename__ = "internship"
    __table_args__ = (
        CheckConstraint(
            "planned_months IS NULL OR planned_months BETWEEN 3 AND 12", name="months_3_to_12"
        ),
        CheckConstraint("allowance IS NULL OR allowance > 0", name="allowance_positive"),
        CheckConstraint(
            "state = 'applied' OR (signed_on IS NOT NULL AND starts_on IS NOT NULL"
            " AND planned_months IS NOT NULL AND allowance IS NOT NULL)",
            name="signed_has_terms",
        ),
        CheckConstraint(
            "state IN ('applied', 'signed') OR (on_post_from IS NOT NULL AND policy_no IS NOT NULL"
            " AND insured_from IS NOT NULL AND insured_until IS NOT NULL)",
            name="on_post_is_insured",
        ),
        CheckConstraint(
            "insured_until IS NULL OR insured_until >= insured_from", name="insured_forward"
        ),
        CheckConstraint(
            "state NOT IN ('completed', 'terminated', 'retained', 'not_retained')"
            " OR ended_on IS NOT NULL",
            name="ended_has_day",
        ),
        CheckConstraint(
            "state <> 'terminated' OR end_reason IS NOT NULL", name="terminated_has_reason"
        ),
        Index(
            "uq_internship_open_per_graduate",
            "graduate_id",
            unique=True,
            sqlite_where=text(_OPEN_SQL),
            postgresql_where=text(_OPEN_SQL),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    graduate_id: Mapped[int] = mapped_column(ForeignKey("graduate.id"), index=True)
    base_id: Mapped[int] = mapped_column(ForeignKey("internship_base.id"), index=True)
    position_id: Mapped[int] = mapped_column(ForeignKey("position.id"), index=True)
    state: Mapped[InternshipState] = mapped_column(
        choice_type(InternshipState, "internship_state"), default=InternshipState.APPLIED
    )
    applied_on: Mapped[date] = mapped_column(Date)
    signed_on: Mapped[date | None] = mapped_column(Date)
    starts_on: Mapped[date | None] = mapped_column(Date)
    planned_months: Mapped[int | None]
    #: 生活补助 paid by the base, 元 a month.
    allowance: Mapped[int | None]
    policy_no: Mapped[str | None] = mapped_column(String(60))
    insurer: Mapped[str | None] = mapped_column(String(100))
    insured_from: Mapped[date | None] = mapped_column(Date)
    insured_until: Mapped[date | None] = mapped_column(Date)
    on_post_from: Mapped[date | None] = mapped_column(Date)
    #: The last day on the post (期满: the planned end; 提前终止: the day it ended).
    ended_on: Mapped[date | None] = mapped_column(Date)
    end_reason: Mapped[str | None] = mapped_column(String(300))
    decided_on: Mapped[date | None] = mapped_column(Date)
    #: The 实习见习 service record going on the post gave (item 07), when this agreement gave it.
    service_record_id: Mapped[int | None] = mapped_column(
        ForeignKey("service_record.id"), unique=True
    )
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = created_at_column()
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1, server_default=text("1"))

    base: Mapped[InternshipBase] = relationship()
    position: Mapped[Position] = relationship()

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 (SQLAlchemy reads it once)


class InternshipRate(Base):
    """见习补贴 of a province: a share of its monthly minimum wage (最低工资标准, the first
    tier), and a higher share, where the province has one, for a base that keeps at least
    half its interns; with the document it comes from. Kept by HQ."""

    __tablename__ = "internship_rate"
    __table_args__ = (
        CheckConstraint("minimum_wage > 0", name="wage_positive"),
        CheckConstraint("share_pct BETWEEN 1 AND 100", name="share_1_to_100"),
        CheckConstraint(
            "higher_pct IS NULL OR (higher_pct BETWEEN share_pct AND 100)", name="higher_above"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    province_code: Mapped[str] = mapped_column(String(6), unique=True)
    #: 元 a month.
    minimum_wage: Mapped[int]
    share_pct: Mapped[int]
    higher_pct: Mapped[int | None]
    source: Mapped[str] = mapped_column(String(300))
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
