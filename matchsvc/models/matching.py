"""Officers' corrections of major spellings, the nightly recommendation lists, and placement
plans queued for the scheduler."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, Choice, UTCDateTime, choice_type, created_at_column


class MajorCorrection(Base):
    """An officer's answer for one spelling: every graduate and position writing it maps here."""

    __tablename__ = "major_correction"

    id: Mapped[int] = mapped_column(primary_key=True)
    spelling: Mapped[str] = mapped_column(String(100), unique=True)
    code: Mapped[str] = mapped_column(String(64))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = created_at_column()


class Recommendation(Base):
    """A graduate's recommendation list as the nightly recompute stored it: the posts' ids and
    fits in rank order, one row per graduate (a row per line was twenty rows a graduate — ten
    million a night nationally, most of the recompute's time). Derived data: a post deleted
    since stays in the list until the next recompute."""

    __tablename__ = "recommendation_list"
    __table_args__ = (
        CheckConstraint("position_ids IS NOT NULL AND fits IS NOT NULL", name="lists_present"),
    )

    graduate_id: Mapped[int] = mapped_column(
        ForeignKey("graduate.id", ondelete="CASCADE"), primary_key=True
    )
    position_ids: Mapped[list[int]] = mapped_column(JSON)
    fits: Mapped[list[float]] = mapped_column(JSON)
    computed_at: Mapped[datetime] = created_at_column()

    def lines(self) -> list[tuple[int, int, float]]:
        """(position id, rank from 1, fit) of each line."""
        return [
            (int(p), rank, float(f))
            for rank, (p, f) in enumerate(zip(self.position_ids, self.fits, strict=True), 1)
        ]


class PlanState(Choice):
    QUEUED = ("queued", "排队中")
    RUNNING = ("running", "计算中")
    DONE = ("done", "已生成")
    FAILED = ("failed", "未能生成")


class PlacementRun(Base):
    """A placement plan too large to compute in a request: queued here by the page, run by the
    scheduler process (whichever app server queued it), its progress and result kept here."""

    __tablename__ = "placement_run"
    __table_args__ = (
        CheckConstraint("progress BETWEEN 0 AND 100", name="progress_percent"),
        CheckConstraint("state != 'done' OR result IS NOT NULL", name="done_has_result"),
        Index("ix_placement_run_state", "state", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("org.id"), index=True)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    campaign_year: Mapped[int]
    #: The graduates the plan is for, counted when it was queued.
    graduates: Mapped[int]
    state: Mapped[PlanState] = mapped_column(
        choice_type(PlanState, "plan_state"), default=PlanState.QUEUED
    )
    progress: Mapped[int] = mapped_column(default=0)
    step: Mapped[str | None] = mapped_column(String(100))
    #: lines, unplaced and capacity as placement.Plan holds them (ids, fits, reasons; no names).
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    message: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = created_at_column()
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: When the requesting officer opened the finished plan (the notice goes away).
    seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
