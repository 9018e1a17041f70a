"""Follow-ups after a hire (回访): every 实现就业 opens a hire, and the hire has follow-ups due at
1, 3 and 6 months (settings) that ask whether the graduate is still at the job."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, Choice, choice_type, created_at_column


class HireSource(Choice):
    REFERRAL = ("referral", "经推荐录用")
    APPLICATION = ("application", "本人应聘录用")
    SIGNED = ("signed", "本人报告已签约")
    RECORDED = ("recorded", "工会记录实现就业")


class FollowUpState(Choice):
    DUE = ("due", "待回访")
    ANSWERED = ("answered", "已回访")
    #: Not asked: the graduate left at an earlier follow-up, or the hire's record was voided.
    CANCELLED = ("cancelled", "无需回访")


class Hire(Base):
    """One job taken up: from a 实现就业 service record (a referral's or an application's hire, or
    one the officer recorded) or a confirmed 报告已签约. `ended_on` is set when a follow-up learns
    the graduate left (or the record was voided)."""

    __tablename__ = "hire"
    __table_args__ = (
        CheckConstraint("ended_on IS NULL OR ended_reason IS NOT NULL", name="end_has_reason"),
        CheckConstraint(
            "service_record_id IS NOT NULL OR request_id IS NOT NULL", name="hire_has_origin"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    graduate_id: Mapped[int] = mapped_column(ForeignKey("graduate.id"), index=True)
    source: Mapped[HireSource] = mapped_column(choice_type(HireSource, "hire_source"))
    hired_on: Mapped[date] = mapped_column(Date)
    position_id: Mapped[int | None] = mapped_column(ForeignKey("position.id"))
    #: Where the graduate works, as the record names it (employer and post).
    workplace: Mapped[str | None] = mapped_column(String(300))
    service_record_id: Mapped[int | None] = mapped_column(
        ForeignKey("service_record.id"), unique=True
    )
    request_id: Mapped[int | None] = mapped_column(ForeignKey("graduate_request.id"), unique=True)
    ended_on: Mapped[date | None] = mapped_column(Date)
    ended_reason: Mapped[str | None] = mapped_column(String(300))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = created_at_column()

    follow_ups: Mapped[list[FollowUp]] = relationship(
        order_by="FollowUp.months", back_populates="hire"
    )


class FollowUp(Base):
    __tablename__ = "follow_up"
    __table_args__ = (
        UniqueConstraint("hire_id", "months"),
        CheckConstraint("months > 0", name="months_positive"),
        CheckConstraint(
            "state != 'answered' OR (answered_on IS NOT NULL AND still_employed IS NOT NULL)",
            name="answer_is_complete",
        ),
        CheckConstraint(
            "still_employed IS NULL OR still_employed"
            " OR (left_reason IS NOT NULL AND wants_help IS NOT NULL)",
            name="leaving_has_reason",
        ),
        CheckConstraint("state != 'cancelled' OR cancel_reason IS NOT NULL", name="cancel_reason"),
        Index("ix_follow_up_state_due", "state", "due_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    hire_id: Mapped[int] = mapped_column(ForeignKey("hire.id"), index=True)
    graduate_id: Mapped[int] = mapped_column(ForeignKey("graduate.id"), index=True)
    months: Mapped[int]
    due_on: Mapped[date] = mapped_column(Date)
    state: Mapped[FollowUpState] = mapped_column(
        choice_type(FollowUpState, "follow_up_state"), default=FollowUpState.DUE
    )
    answered_on: Mapped[date | None] = mapped_column(Date)
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    #: The graduate answered in the portal (else an officer recorded the answer).
    by_graduate: Mapped[bool] = mapped_column(default=False, server_default=text("false"))
    still_employed: Mapped[bool | None] = mapped_column(Boolean)
    contract_year: Mapped[bool | None] = mapped_column(Boolean)
    insured: Mapped[bool | None] = mapped_column(Boolean)
    left_reason: Mapped[str | None] = mapped_column(String(200))
    wants_help: Mapped[bool | None] = mapped_column(Boolean)
    note: Mapped[str | None] = mapped_column(String(500))
    cancel_reason: Mapped[str | None] = mapped_column(String(200))
    #: When the home org was reminded that it fell due (the nightly job, once).
    reminded_on: Mapped[date | None] = mapped_column(Date)

    hire: Mapped[Hire] = relationship(back_populates="follow_ups")
