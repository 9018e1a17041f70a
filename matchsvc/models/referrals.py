"""A graduate's interest in (or decline of) a position, and officers' referrals with their steps."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, Choice, UTCDateTime, choice_type, created_at_column


class InterestKind(Choice):
    INTERESTED = ("interested", "感兴趣")
    DECLINED = ("declined", "不感兴趣")


class Interest(Base):
    __tablename__ = "interest"
    __table_args__ = (
        UniqueConstraint("graduate_id", "position_id"),
        CheckConstraint("kind != 'declined' OR reason IS NOT NULL", name="decline_has_reason"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    graduate_id: Mapped[int] = mapped_column(ForeignKey("graduate.id"), index=True)
    position_id: Mapped[int] = mapped_column(ForeignKey("position.id"), index=True)
    kind: Mapped[InterestKind] = mapped_column(choice_type(InterestKind, "interest_kind"))
    reason: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = created_at_column()


class ReferralState(Choice):
    REFERRED = ("referred", "推荐")
    INTERVIEW = ("interview", "面试")
    HIRED = ("hired", "录用")
    REJECTED = ("rejected", "未录用")
    #: Closed without a result: the graduate took work elsewhere (the step says why).
    CLOSED = ("closed", "已关闭")


#: States that wait for the employer's result (推荐 / 应聘 and 面试).
WAITING_STATES = (ReferralState.REFERRED, ReferralState.INTERVIEW)


class ReferralSource(Choice):
    """How a graduate came to a position: an officer referred them, they applied themselves
    (我要应聘), or the employer took up their interest (感兴趣)."""

    OFFICER = ("officer", "工会推荐")
    APPLICATION = ("application", "本人应聘")
    INTEREST = ("interest", "表示感兴趣")


class Referral(Base):
    """推荐 → 面试 → 录用 / 未录用; `state` is the latest step. An application (or interest the
    employer took up) moves the same way; its org is the graduate's home org."""

    __tablename__ = "referral"
    __table_args__ = (UniqueConstraint("graduate_id", "position_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    graduate_id: Mapped[int] = mapped_column(ForeignKey("graduate.id"), index=True)
    position_id: Mapped[int] = mapped_column(ForeignKey("position.id"), index=True)
    #: The referring officer's org (the home org for an application); a hire's 实现就业
    #: record is attributed to it.
    org_id: Mapped[int] = mapped_column(ForeignKey("org.id"))
    source: Mapped[ReferralSource] = mapped_column(
        choice_type(ReferralSource, "referral_source"),
        default=ReferralSource.OFFICER,
        server_default=ReferralSource.OFFICER.value,
    )
    state: Mapped[ReferralState] = mapped_column(
        choice_type(ReferralState, "referral_state"), default=ReferralState.REFERRED
    )
    referred_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = created_at_column()
    #: 待反馈: when the employer was told the referral waits past the answer deadline, and the
    #: officers' 催办 (the last one and how many).
    overdue_noticed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    chased_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    chase_count: Mapped[int] = mapped_column(default=0, server_default=text("0"))

    steps: Mapped[list[ReferralStep]] = relationship(
        order_by="(ReferralStep.on_date, ReferralStep.id)", cascade="all"
    )


class ReferralStep(Base):
    __tablename__ = "referral_step"
    __table_args__ = (
        CheckConstraint("state != 'rejected' OR reason IS NOT NULL", name="rejection_has_reason"),
        CheckConstraint("state != 'closed' OR reason IS NOT NULL", name="closing_has_reason"),
        CheckConstraint(
            "(interview_at IS NULL) = (place IS NULL)", name="interview_time_with_place"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    referral_id: Mapped[int] = mapped_column(ForeignKey("referral.id"), index=True)
    state: Mapped[ReferralState] = mapped_column(choice_type(ReferralState, "referral_state"))
    on_date: Mapped[date] = mapped_column(Date)
    reason: Mapped[str | None] = mapped_column(String(500))
    #: An interview's time and place (面试 steps recorded since they were asked for).
    interview_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    place: Mapped[str | None] = mapped_column(String(200))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    recorded_at: Mapped[datetime] = created_at_column()


class RequestKind(Choice):
    CORRECTION = ("correction", "更正档案")
    SIGNED = ("signed", "报告已签约")
    #: A graduate whose status says 已就业 (or the like) who is looking for work again.
    LOOKING = ("looking", "仍在求职，希望继续收到岗位推荐")
    #: 报名 for a training offer; the officer's confirmation enrols the graduate.
    TRAINING = ("training", "报名参加培训")


class GraduateRequest(Base):
    """A graduate asks an officer to correct their profile, or reports that they signed."""

    __tablename__ = "graduate_request"
    __table_args__ = (
        CheckConstraint("kind != 'signed' OR signed_on IS NOT NULL", name="signed_has_date"),
        CheckConstraint("kind != 'training' OR offer_id IS NOT NULL", name="training_has_offer"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    graduate_id: Mapped[int] = mapped_column(ForeignKey("graduate.id"), index=True)
    kind: Mapped[RequestKind] = mapped_column(choice_type(RequestKind, "request_kind"))
    text: Mapped[str] = mapped_column(String(1000))
    position_id: Mapped[int | None] = mapped_column(ForeignKey("position.id"))
    signed_on: Mapped[date | None] = mapped_column(Date)
    offer_id: Mapped[int | None] = mapped_column(ForeignKey("training_offer.id"))
    created_at: Mapped[datetime] = created_at_column()
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    outcome: Mapped[str | None] = mapped_column(String(200))


class ActivationCode(Base):
    """A one-time code an officer prints for a graduate to set their password (hash stored)."""

    __tablename__ = "activation_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    graduate_id: Mapped[int] = mapped_column(ForeignKey("graduate.id"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = created_at_column()
