"""Accounts of officers, employers, graduates and headquarters."""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, Choice, UTCDateTime, choice_type, created_at_column
from .orgs import Org


class Role(Choice):
    OFFICER = ("officer", "工会工作人员")
    EMPLOYER = ("employer", "用人单位")
    GRADUATE = ("graduate", "毕业生")
    HQ = ("hq", "全总保障工作部")


def new_session_token() -> str:
    return secrets.token_urlsafe(24)


class User(Base):
    __tablename__ = "user_account"
    __table_args__ = (
        CheckConstraint(
            "(role NOT IN ('officer', 'hq')) OR org_id IS NOT NULL", name="staff_have_org"
        ),
        CheckConstraint("role != 'employer' OR employer_id IS NOT NULL", name="employer_linked"),
        CheckConstraint("role != 'graduate' OR graduate_id IS NOT NULL", name="graduate_linked"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(choice_type(Role, "user_role"))
    display_name: Mapped[str | None] = mapped_column(String(100))
    org_id: Mapped[int | None] = mapped_column(ForeignKey("org.id"), index=True)
    employer_id: Mapped[int | None] = mapped_column(
        ForeignKey("employer.id", use_alter=True), index=True
    )
    graduate_id: Mapped[int | None] = mapped_column(
        ForeignKey("graduate.id", use_alter=True), index=True, unique=True
    )
    is_active: Mapped[bool] = mapped_column(default=True)
    #: Rotated on logout, password change and disabling: every cookie carrying the old
    #: token is refused, so those end the user's sessions everywhere.
    session_token: Mapped[str] = mapped_column(String(64), default=new_session_token)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: The second factor (TOTP): its secret, encrypted like personal data; enabled once the
    #: user has confirmed a code; the last time step accepted (a code is used once).
    totp_secret_enc: Mapped[str | None] = mapped_column(String(255))
    totp_enabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    totp_last_step: Mapped[int | None] = mapped_column()
    #: E-mail for notices, encrypted like phones; sent to only with consent (notify_email).
    email_enc: Mapped[str | None] = mapped_column(String(500))
    notify_email: Mapped[bool] = mapped_column(default=False, server_default=text("false"))
    #: SMS to the account's phone (a graduate's own, an employer's contact number).
    notify_sms: Mapped[bool] = mapped_column(default=False, server_default=text("false"))
    #: A graduate accepted the privacy notice (at activation).
    privacy_accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: The password is a temporary one the union handed over: the next login changes it first.
    must_change_password: Mapped[bool] = mapped_column(default=False, server_default=text("false"))
    #: When the user last looked at their notifications; what is newer is shown as new.
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: A graduate's recommended position ids as last shown (to mark new ones).
    seen_positions: Mapped[list[int]] = mapped_column(
        JSON, default=list, server_default=text("'[]'")
    )
    created_at: Mapped[datetime] = created_at_column()

    org: Mapped[Org | None] = relationship()

    def rotate_session_token(self) -> None:
        self.session_token = new_session_token()


class Throttle(Base):
    """A failure counter every app server shares: wrong passwords or activation codes from one
    source, for one account from one source, or for one ID number (see auth/throttle.py). The
    key is a keyed hash: no address, account or ID number is stored."""

    __tablename__ = "throttle"
    __table_args__ = (
        CheckConstraint("failures >= 0", name="failures_not_negative"),
        UniqueConstraint("key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[str] = mapped_column(String(32))
    key: Mapped[str] = mapped_column(String(64))
    failures: Mapped[int] = mapped_column(default=0)
    window_started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    blocked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())


class RecoveryCode(Base):
    """A one-time code that stands in for the second factor (the phone lost); stored hashed."""

    __tablename__ = "recovery_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = created_at_column()
