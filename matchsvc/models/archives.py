"""A graduate's archive as a lifecycle: applied on line or entered, reviewed, visited at home,
publicised, opened, helped, out of hardship, closed (or cancelled with a coded reason), and
reopened on relapse — each change an event with the date it took effect. And the province's
yearly 年度复核 of a reproducible sample of its active archives."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, Choice, choice_type, created_at_column
from .orgs import Org


class ArchiveState(Choice):
    APPLIED = ("applied", "申请")
    REVIEWED = ("reviewed", "初审")
    VISITED = ("visited", "入户调查")
    PUBLICISED = ("publicised", "公示")
    OPENED = ("opened", "建档")
    ASSISTING = ("assisting", "帮扶中")
    RECOVERED = ("recovered", "脱困")
    CLOSED = ("closed", "撤档")
    CANCELLED = ("cancelled", "注销")


#: Archives counted where DOMAIN.md counts registered graduates, and offered work.
ACTIVE_ARCHIVE_STATES = (ArchiveState.OPENED, ArchiveState.ASSISTING)
#: Before 建档: an application under review.
APPLICATION_STATES = (
    ArchiveState.APPLIED,
    ArchiveState.REVIEWED,
    ArchiveState.VISITED,
    ArchiveState.PUBLICISED,
)


class ArchiveReason(Choice):
    """Why an archive was closed, cancelled or reopened (coded, for counts)."""

    STABLE_JOB = ("stable_job", "稳定就业")
    HARDSHIP_ENDED = ("hardship_ended", "家庭困难解除")
    MOVED_AWAY = ("moved_away", "迁出本地")
    DUPLICATE = ("duplicate", "重复建档")
    DIED = ("died", "本人死亡")
    ASKED = ("asked", "本人申请注销")
    INELIGIBLE = ("ineligible", "经审核不符合条件")
    RELAPSE = ("relapse", "返贫")
    HARDSHIP_AGAIN = ("hardship_again", "再次困难")
    LEFT_JOB = ("left_job", "离职后希望再获帮助")


RECOVERY_REASONS = (ArchiveReason.STABLE_JOB, ArchiveReason.HARDSHIP_ENDED)
CANCEL_REASONS = (
    ArchiveReason.MOVED_AWAY,
    ArchiveReason.DUPLICATE,
    ArchiveReason.DIED,
    ArchiveReason.ASKED,
    ArchiveReason.INELIGIBLE,
)
REOPEN_REASONS = (ArchiveReason.RELAPSE, ArchiveReason.HARDSHIP_AGAIN, ArchiveReason.LEFT_JOB)


class ArchiveEvent(Base):
    """One change of an archive's state, with the date it took effect (the table reads as-of)
    and what the step recorded: the home visit, the publicity period and its objections."""

    __tablename__ = "archive_event"
    __table_args__ = (Index("ix_archive_event_asof", "graduate_id", "on_date", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    graduate_id: Mapped[int] = mapped_column(ForeignKey("graduate.id"))
    state: Mapped[ArchiveState] = mapped_column(choice_type(ArchiveState, "archive_state"))
    on_date: Mapped[date] = mapped_column(Date)
    reason: Mapped[ArchiveReason | None] = mapped_column(
        choice_type(ArchiveReason, "archive_reason")
    )
    note: Mapped[str | None] = mapped_column(String(500))
    #: The step's own record: {"visited_on", "visitors", "outcome", "consent"} for 入户调查,
    #: {"starts_on", "ends_on"} for 公示, {"objections", "objection_upheld"} for 建档.
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    recorded_at: Mapped[datetime] = created_at_column()


class ReviewOutcome(Choice):
    CONFIRMED = ("confirmed", "情况属实")
    CHANGED = ("changed", "情况已变化")
    UNREACHABLE = ("unreachable", "无法联系")


class AnnualReview(Base):
    """A province's 年度复核 of one year: the share drawn and the seed that makes it reproducible."""

    __tablename__ = "annual_review"
    __table_args__ = (
        UniqueConstraint("org_id", "year"),
        CheckConstraint("share_percent BETWEEN 1 AND 100", name="share_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("org.id"))
    year: Mapped[int]
    share_percent: Mapped[int]
    seed: Mapped[str] = mapped_column(String(64))
    drawn_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    drawn_at: Mapped[datetime] = created_at_column()

    org: Mapped[Org] = relationship()
    items: Mapped[list[AnnualReviewItem]] = relationship(
        order_by="AnnualReviewItem.graduate_id", viewonly=True
    )


class AnnualReviewItem(Base):
    """One archive drawn for review, and its outcome once reviewed."""

    __tablename__ = "annual_review_item"
    __table_args__ = (
        CheckConstraint("(outcome IS NULL) = (reviewed_on IS NULL)", name="outcome_iff_reviewed"),
    )

    review_id: Mapped[int] = mapped_column(
        ForeignKey("annual_review.id", ondelete="CASCADE"), primary_key=True
    )
    graduate_id: Mapped[int] = mapped_column(ForeignKey("graduate.id"), primary_key=True)
    outcome: Mapped[ReviewOutcome | None] = mapped_column(
        choice_type(ReviewOutcome, "review_outcome")
    )
    note: Mapped[str | None] = mapped_column(String(500))
    reviewed_on: Mapped[date | None] = mapped_column(Date)
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))


__all__ = [
    "ACTIVE_ARCHIVE_STATES",
    "APPLICATION_STATES",
    "CANCEL_REASONS",
    "RECOVERY_REASONS",
    "REOPEN_REASONS",
    "AnnualReview",
    "AnnualReviewItem",
    "ArchiveEvent",
    "ArchiveReason",
    "ArchiveState",
    "ReviewOutcome",
]
