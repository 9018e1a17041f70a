"""Exports too large to build while the officer waits (a whole country's list of graduates):
queued here, built by the `exports_queue` job, the file kept encrypted for a day."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, Choice, UTCDateTime, choice_type, created_at_column

EXPORT_FORMATS = ("csv", "xlsx")


class ExportState(Choice):
    QUEUED = ("queued", "排队中")
    DONE = ("done", "已生成")
    FAILED = ("failed", "未能生成")


class ExportRun(Base):
    """One officer's export of the graduates list (masked, as the page's export), with the
    filters it was asked with; the jurisdiction is the officer's when the job builds it."""

    __tablename__ = "export_run"
    __table_args__ = (
        CheckConstraint(
            "fmt IN (" + ", ".join(f"'{k}'" for k in EXPORT_FORMATS) + ")", name="known_format"
        ),
        CheckConstraint("state != 'done' OR file_enc IS NOT NULL", name="done_has_file"),
        Index("ix_export_run_state", "state", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    fmt: Mapped[str] = mapped_column(String(4))
    #: The list's filters (graduates.search.GraduateQuery's fields; no page).
    filters: Mapped[dict[str, Any]] = mapped_column(JSON)
    #: Rows counted when it was asked for; then the rows the file holds.
    rows: Mapped[int]
    state: Mapped[ExportState] = mapped_column(
        choice_type(ExportState, "export_state"), default=ExportState.QUEUED
    )
    #: The download's file name (the org's name, the day: no personal data).
    filename: Mapped[str] = mapped_column(String(200))
    #: Fernet ciphertext of the file (masked numbers, but names and hardships: personal data).
    file_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    message: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = created_at_column()
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: Until when the file can be downloaded (then the row is deleted).
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    #: When the officer opened the ended run (the notice goes away).
    seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
