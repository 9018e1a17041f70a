"""公益性岗位 tenure: each placement on a public-welfare post is a period (start, planned end,
the day it ended) in a ledger; one person's periods never overlap (on PostgreSQL an exclusion
constraint, migration 0031; on SQLite the service's rule). Each year of a period is assessed
(年度考核); an exit has a coded reason and opens a 空岗报告 due to the approving org."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, Choice, choice_type, created_at_column


class TenureExit(Choice):
    OTHER_JOB = ("other_job", "另行就业")
    RETIRED = ("retired", "达到退休年龄")
    FAILED_REVIEW = ("failed_review", "考核不合格")
    ASKED = ("asked", "本人申请")
    MISCONDUCT = ("misconduct", "违纪")
    OTHER = ("other", "其他")


class Tenure(Base):
    __tablename__ = "tenure"
    __table_args__ = (
        CheckConstraint("planned_end >= starts_on", name="planned_after_start"),
        CheckConstraint(
            "ended_on IS NULL OR (ended_on >= starts_on AND ended_on <= planned_end)",
            name="ended_within",
        ),
        CheckConstraint("(ended_on IS NULL) = (exit_reason IS NULL)", name="exit_has_reason"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    graduate_id: Mapped[int] = mapped_column(ForeignKey("graduate.id"), index=True)
    position_id: Mapped[int] = mapped_column(ForeignKey("position.id"), index=True)
    #: The org that approved the post's employer: it receives the 空岗报告.
    approving_org_id: Mapped[int] = mapped_column(ForeignKey("org.id"), index=True)
    starts_on: Mapped[date] = mapped_column(Date)
    planned_end: Mapped[date] = mapped_column(Date)
    ended_on: Mapped[date | None] = mapped_column(Date)
    exit_reason: Mapped[TenureExit | None] = mapped_column(choice_type(TenureExit, "tenure_exit"))
    exit_note: Mapped[str | None] = mapped_column(String(300))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = created_at_column()

    assessments: Mapped[list[Assessment]] = relationship(
        order_by="Assessment.year", back_populates="tenure"
    )

    @property
    def last_day(self) -> date:
        """The last day on the post: the exit's, else the planned end."""
        return self.ended_on or self.planned_end


class Assessment(Base):
    """年度考核 of one year of a period (the n-th year from its start)."""

    __tablename__ = "tenure_assessment"
    __table_args__ = (
        UniqueConstraint("tenure_id", "year"),
        CheckConstraint("year >= 1", name="year_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    tenure_id: Mapped[int] = mapped_column(ForeignKey("tenure.id"), index=True)
    year: Mapped[int]
    passed: Mapped[bool]
    assessed_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(String(300))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    tenure: Mapped[Tenure] = relationship(back_populates="assessments")


class VacancyReport(Base):
    """空岗报告: a post left by an exit, due to the approving org within a few working days,
    with the matcher's shortlist for the seat (graduate ids and fits, nothing else)."""

    __tablename__ = "vacancy_report"

    id: Mapped[int] = mapped_column(primary_key=True)
    tenure_id: Mapped[int] = mapped_column(ForeignKey("tenure.id"), unique=True)
    position_id: Mapped[int] = mapped_column(ForeignKey("position.id"), index=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("org.id"), index=True)
    vacant_from: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date] = mapped_column(Date, index=True)
    submitted_on: Mapped[date | None] = mapped_column(Date)
    shortlist: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = created_at_column()
