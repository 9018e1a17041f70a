"""Campaigns (one year's 阳光就业行动) and stored statistics tables."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, Choice, UTCDateTime, choice_type, created_at_column


class Campaign(Base):
    __tablename__ = "campaign"
    __table_args__ = (
        CheckConstraint("ends_on >= starts_on", name="ends_after_start"),
        CheckConstraint("cutoff_on >= starts_on", name="cutoff_after_start"),
        CheckConstraint("report_due_on >= cutoff_on", name="due_after_cutoff"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(unique=True)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    #: 数据统计截止日期.
    cutoff_on: Mapped[date] = mapped_column(Date)
    report_due_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = created_at_column()

    @staticmethod
    def default_dates(year: int) -> dict[str, date]:
        """The 2012 notice's pattern: 07-01 … 08-31, cutoff 08-31, report due 09-10."""
        return {
            "starts_on": date(year, 7, 1),
            "ends_on": date(year, 8, 31),
            "cutoff_on": date(year, 8, 31),
            "report_due_on": date(year, 9, 10),
        }


class SnapshotKind(Choice):
    SCHEDULED = ("scheduled", "定时快照")
    SUBMITTED = ("submitted", "已上报")


class StatsSnapshot(Base):
    """A statistics table computed for an org as of a cutoff, stored as the DOMAIN.md JSON items."""

    __tablename__ = "stats_snapshot"
    __table_args__ = (UniqueConstraint("campaign_id", "org_id", "cutoff_on", "kind", "taken_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"))
    org_id: Mapped[int] = mapped_column(ForeignKey("org.id"), index=True)
    cutoff_on: Mapped[date] = mapped_column(Date)
    kind: Mapped[SnapshotKind] = mapped_column(choice_type(SnapshotKind, "snapshot_kind"))
    #: The day the snapshot stands for (one scheduled snapshot per org and day).
    taken_on: Mapped[date] = mapped_column(Date)
    items: Mapped[dict[str, Any]] = mapped_column(JSON)
    job_run_id: Mapped[int | None] = mapped_column(ForeignKey("job_run.id"))
    note: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = created_at_column()


class ReportState(Choice):
    DRAFT = ("draft", "未上报")
    SUBMITTED = ("submitted", "已上报")
    REOPENED = ("reopened", "已退回")


class ProvinceReport(Base):
    """A province's report for a campaign: its table frozen at submission, with 填报人 and summary."""

    __tablename__ = "province_report"
    __table_args__ = (
        UniqueConstraint("campaign_id", "org_id"),
        CheckConstraint(
            "(state = 'submitted') = (submitted_at IS NOT NULL AND items IS NOT NULL)",
            name="submitted_is_frozen",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"))
    org_id: Mapped[int] = mapped_column(ForeignKey("org.id"), index=True)
    state: Mapped[ReportState] = mapped_column(
        choice_type(ReportState, "report_state"), default=ReportState.DRAFT
    )
    reporter: Mapped[str | None] = mapped_column(String(50))
    #: 联系电话 of the reporting office, as printed on the table.
    reporter_phone: Mapped[str | None] = mapped_column(String(30))
    #: 总结报告: the summary report the notice asks for with the table.
    summary: Mapped[str | None] = mapped_column(Text)
    #: The table as submitted (DOMAIN.md items); later records do not change it.
    items: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    #: Items 01–05 (金秋助学) as the province officer entered them (stats/aid.py); frozen into
    #: `items` at submission.
    aid: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    cutoff_on: Mapped[date | None] = mapped_column(Date)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    reopen_reason: Mapped[str | None] = mapped_column(String(500))
    #: HQ's latest 催报 (a reminder sent to a province that has not submitted), shown to its
    #: officers on every page until it submits.
    chased_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    chase_message: Mapped[str | None] = mapped_column(String(200))
    updated_at: Mapped[datetime] = created_at_column()
