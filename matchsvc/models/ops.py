"""The audit log, scheduled job runs and the scheduler's lease."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, Choice, UTCDateTime, choice_type, created_at_column


class AuditEvent(Base):
    """Who did what to which record, under which org. Details never hold personal data in clear."""

    __tablename__ = "audit_event"
    __table_args__ = (Index("ix_audit_event_entity", "entity_type", "entity_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = created_at_column()
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    #: Who acted as text: a username, or "命令行" for the CLI.
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(40))
    entity_type: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int | None]
    org_id: Mapped[int | None] = mapped_column(ForeignKey("org.id"), index=True)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    #: The hash chain (matchsvc.audit): this event's hash covers its fields and the previous hash,
    #: so changing or deleting any event breaks every later link.
    prev_hash: Mapped[str | None] = mapped_column(String(64))
    hash: Mapped[str | None] = mapped_column(String(64), unique=True)


class AuditChain(Base):
    """The chain's head: one row, locked by each writer so the chain never forks."""

    __tablename__ = "audit_chain"

    id: Mapped[int] = mapped_column(primary_key=True)
    head: Mapped[str] = mapped_column(String(64))


class JobOutcome(Choice):
    RUNNING = ("running", "运行中")
    SUCCESS = ("success", "成功")
    FAILED = ("failed", "失败")


class JobRun(Base):
    """One run of a scheduled job for one fire time; the unique key makes a double run impossible."""

    __tablename__ = "job_run"
    __table_args__ = (UniqueConstraint("job_id", "scheduled_for"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[str] = mapped_column(String(64))
    scheduled_for: Mapped[datetime] = mapped_column(UTCDateTime())
    started_at: Mapped[datetime] = created_at_column()
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    outcome: Mapped[JobOutcome] = mapped_column(
        choice_type(JobOutcome, "job_outcome"), default=JobOutcome.RUNNING
    )
    rows: Mapped[int | None]
    message: Mapped[str | None] = mapped_column(Text)
    #: The scheduler process that ran it (host:pid).
    runner: Mapped[str] = mapped_column(String(100))


class SchedulerLease(Base):
    """Held by the one scheduler process allowed to run jobs on this database."""

    __tablename__ = "scheduler_lease"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    holder: Mapped[str] = mapped_column(String(100))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ApiToken(Base):
    """A personal access token for the statistics API, issued by HQ or a province for its own org.

    Only a SHA-256 of the token is stored; the token itself is shown once when issued.
    """

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("org.id"), index=True)
    issued_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    label: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: The first characters of the token, so holders can tell tokens apart.
    prefix: Mapped[str] = mapped_column(String(12))
    #: What the token may read, space-separated (TOKEN_SCOPES); a statistics token reads only
    #: the statistics, never a graduate's recommendations or a position's candidates.
    scopes: Mapped[str] = mapped_column(
        String(100), default="stats:read", server_default="stats:read"
    )
    created_at: Mapped[datetime] = created_at_column()
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
