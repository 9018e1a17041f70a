"""Notices to users: shown in the service (every one), and sent by e-mail or SMS through an
outbox (only with the user's consent). The outbox holds no address or phone number: the
sender reads it from the account when it sends."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, Choice, UTCDateTime, choice_type, created_at_column, utcnow


class Notice(Base):
    """One in-app notice to one user."""

    __tablename__ = "notice"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    text: Mapped[str] = mapped_column(String(500))
    #: Where the notice leads (a path in the service), if anywhere.
    link: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = created_at_column()
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Channel(Choice):
    EMAIL = ("email", "电子邮件")
    SMS = ("sms", "短信")


class OutboxState(Choice):
    PENDING = ("pending", "待发送")
    SENT = ("sent", "已发送")
    #: Tried MAX_ATTEMPTS times without success.
    FAILED = ("failed", "发送失败")
    #: Consent withdrawn or no address by the time it was to be sent.
    CANCELLED = ("cancelled", "已取消")


class OutboxMessage(Base):
    __tablename__ = "outbox"
    __table_args__ = (
        CheckConstraint("attempts >= 0", name="attempts_not_negative"),
        CheckConstraint("state != 'sent' OR sent_at IS NOT NULL", name="sent_has_time"),
        Index("ix_outbox_due", "state", "next_try_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    channel: Mapped[Channel] = mapped_column(choice_type(Channel, "notice_channel"))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    state: Mapped[OutboxState] = mapped_column(
        choice_type(OutboxState, "outbox_state"), default=OutboxState.PENDING
    )
    attempts: Mapped[int] = mapped_column(default=0)
    next_try_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: The last failure, in words (never the address).
    last_error: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = created_at_column()
