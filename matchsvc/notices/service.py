"""Notices: every one is shown in the service; a copy goes by e-mail or SMS only where the user
consented and gave (or has) an address. The outbox keeps the text, never the address: the sender
reads the address from the account at the moment it sends, so a withdrawn consent or a removed
address stops what was queued."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from .. import audit, pii
from ..actors import Actor
from ..errors import DomainError, Forbidden
from ..models import (
    Channel,
    Employer,
    Graduate,
    Notice,
    OutboxMessage,
    OutboxState,
    Role,
    User,
    utcnow,
)
from ..validators import is_mobile, parse_email
from .senders import SendError, Senders

MAX_ATTEMPTS = 5
BATCH = 100


def officers_of(session: Session, org_id: int) -> list[User]:
    """The active officers of one org (a graduate's home org, say)."""
    return list(
        session.scalars(
            select(User).where(
                User.org_id == org_id, User.role == Role.OFFICER, User.is_active.is_(True)
            )
        )
    )


def employer_users(session: Session, employer_id: int) -> list[User]:
    return list(
        session.scalars(
            select(User).where(User.employer_id == employer_id, User.is_active.is_(True))
        )
    )


def graduate_user(session: Session, graduate_id: int) -> list[User]:
    """The graduate's account, if they have activated one."""
    return list(
        session.scalars(
            select(User).where(User.graduate_id == graduate_id, User.is_active.is_(True))
        )
    )


def notify(
    session: Session,
    users: Iterable[User],
    text: str,
    link: str | None = None,
    subject: str = "就业帮扶通知",
) -> int:
    """One notice to each user (once, however often they are listed), and a queued e-mail or
    SMS where they consented. Returns the number of users notified."""
    seen: set[int] = set()
    for user in users:
        if user.id in seen:
            continue
        seen.add(user.id)
        session.add(Notice(user_id=user.id, text=text[:500], link=link))
        for channel, wanted in ((Channel.EMAIL, user.notify_email), (Channel.SMS, user.notify_sms)):
            if wanted:
                session.add(
                    OutboxMessage(user_id=user.id, channel=channel, subject=subject, body=text)
                )
    session.flush()
    return len(seen)


def address(session: Session, user: User, channel: Channel) -> str | None:
    """Where a message to the user goes on the channel now (None: nowhere)."""
    if channel == Channel.EMAIL:
        return pii.keyring().open(user.email_enc) if user.email_enc else None
    phone: str | None = None
    if user.graduate_id is not None:
        graduate = session.get(Graduate, user.graduate_id)
        phone = graduate.phone if graduate is not None else None
    elif user.employer_id is not None:
        employer = session.get(Employer, user.employer_id)
        phone = employer.contact_phone if employer is not None else None
    return phone if is_mobile(phone) else None  # a landline takes no SMS


def send_due(session: Session, senders: Senders, now: datetime | None = None) -> int:
    """Send what is due (each message locked, so two senders never send one twice); a failure
    is tried again later (1, 2, 4, 8 minutes), then marked failed. Returns the number sent."""
    now = now or utcnow()
    due = session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.state == OutboxState.PENDING, OutboxMessage.next_try_at <= now)
        .order_by(OutboxMessage.id)
        .limit(BATCH)
        .with_for_update(skip_locked=True)
    ).all()
    sent = 0
    for message in due:
        user = session.get(User, message.user_id)
        consent = user is not None and (
            user.notify_email if message.channel == Channel.EMAIL else user.notify_sms
        )
        to = address(session, user, message.channel) if user is not None and consent else None
        if not to or not senders.offers(message.channel):
            message.state = OutboxState.CANCELLED
            message.last_error = "未同意接收或没有地址" if to is None else "本系统未配置该发送方式"
            continue
        try:
            senders.send(message.channel, to, message.subject, message.body)
        except SendError as err:
            message.attempts += 1
            message.last_error = str(err)[:300]
            if message.attempts >= MAX_ATTEMPTS:
                message.state = OutboxState.FAILED
            else:
                message.next_try_at = now + timedelta(minutes=2 ** (message.attempts - 1))
            continue
        message.attempts += 1
        message.state, message.sent_at, message.last_error = OutboxState.SENT, now, None
        sent += 1
    session.flush()
    return sent


def for_user(session: Session, user_id: int, limit: int = 100) -> list[Notice]:
    return list(
        session.scalars(
            select(Notice)
            .where(Notice.user_id == user_id)
            .order_by(Notice.created_at.desc(), Notice.id.desc())
            .limit(limit)
        )
    )


def unread_count(session: Session, user_id: int) -> int:
    return (
        session.scalar(
            select(func.count()).where(Notice.user_id == user_id, Notice.read_at.is_(None))
        )
        or 0
    )


def mark_read(session: Session, user_id: int) -> None:
    session.execute(
        update(Notice)
        .where(Notice.user_id == user_id, Notice.read_at.is_(None))
        .values(read_at=utcnow())
    )


def set_preferences(
    session: Session,
    actor: Actor,
    user: User,
    *,
    email: str | None,
    by_email: bool,
    by_sms: bool,
) -> None:
    """The user's own e-mail address and consents (audited; no address in the audit)."""
    if actor.user_id != user.id:
        raise Forbidden("只能修改自己的通知设置")
    email = (email or "").strip()
    if email:
        user.email_enc = pii.keyring().seal(parse_email(email)).ciphertext
    else:
        user.email_enc = None
    if by_email and not email:
        raise DomainError("要接收邮件通知，请填写电子邮箱", field="email")
    if by_sms and address(session, user, Channel.SMS) is None:
        raise DomainError("您的账号没有可接收短信的手机号", field="by_sms")
    changed = {"email": user.notify_email != by_email, "sms": user.notify_sms != by_sms}
    user.notify_email, user.notify_sms = by_email, by_sms
    if not by_email or not by_sms:  # withdrawn: nothing queued goes out any more
        withdrawn = [c for c, on in ((Channel.EMAIL, by_email), (Channel.SMS, by_sms)) if not on]
        session.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.user_id == user.id,
                OutboxMessage.state == OutboxState.PENDING,
                OutboxMessage.channel.in_(withdrawn),
            )
            .values(state=OutboxState.CANCELLED, last_error="已撤回同意")
        )
    audit.record(
        session,
        actor,
        "notice_consent",
        user,
        details={"email": by_email, "sms": by_sms, "changed": [k for k, v in changed.items() if v]},
    )
