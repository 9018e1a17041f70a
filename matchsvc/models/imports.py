"""Spreadsheets between preview and confirm: kept in the database (any app server can confirm),
encrypted like other personal data, for an hour at most; a confirmed sheet too large to import
while the officer waits is queued as an import run."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, Choice, UTCDateTime, choice_type, created_at_column

IMPORT_KINDS = ("graduates", "services", "positions", "fairs")


class PendingImport(Base):
    """An uploaded sheet the officer has previewed and not yet confirmed."""

    __tablename__ = "pending_import"
    __table_args__ = (
        CheckConstraint(
            "kind IN (" + ", ".join(f"'{k}'" for k in IMPORT_KINDS) + ")", name="known_kind"
        ),
        CheckConstraint("expires_at > created_at", name="expires_after_creation"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: SHA-256 of the token in the officer's confirm form (the token itself is never stored).
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20))
    #: Fernet ciphertext of the file name and of the file: sheets hold ID numbers and phones.
    filename_enc: Mapped[str] = mapped_column(Text)
    content_enc: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = created_at_column()
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    #: The rows the preview read (a confirm of more than MATCHSVC_IMPORT_QUEUE_AT is queued).
    rows: Mapped[int] = mapped_column(default=0, server_default="0")


class ImportState(Choice):
    QUEUED = ("queued", "排队中")
    DONE = ("done", "导入完成")
    FAILED = ("failed", "导入未完成")


class ImportRun(Base):
    """A confirmed sheet imported by the `imports_queue` job, not in the request: the sheet is
    kept (encrypted) until the run ends, then only its report (encrypted: it names rows' people)."""

    __tablename__ = "import_run"
    __table_args__ = (
        CheckConstraint(
            "kind IN (" + ", ".join(f"'{k}'" for k in IMPORT_KINDS) + ")", name="known_kind"
        ),
        CheckConstraint("state = 'queued' OR report_enc IS NOT NULL", name="ended_has_report"),
        CheckConstraint("state != 'queued' OR content_enc IS NOT NULL", name="queued_has_sheet"),
        Index("ix_import_run_state", "state", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20))
    rows: Mapped[int]
    state: Mapped[ImportState] = mapped_column(
        choice_type(ImportState, "import_state"), default=ImportState.QUEUED
    )
    filename_enc: Mapped[str] = mapped_column(Text)
    content_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    #: Fernet ciphertext of the report (counts, problems, changes) as JSON.
    report_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    message: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = created_at_column()
    #: When a run of the job began it (set before the import's own transaction).
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: When the officer opened the ended run (the notice goes away).
    seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
