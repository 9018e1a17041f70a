"""Activation: the one-time code an officer issues, the graduate setting a password with it and
their ID number (with the privacy notice and the consents), and the count of refused attempts."""

from __future__ import annotations

import hashlib
import re
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import generate_password_hash

from .. import audit, pii
from ..actors import Actor
from ..auth import throttle
from ..auth.service import check_password_strength
from ..errors import DomainError
from ..jurisdiction import get_graduate
from ..models import (
    ActivationCode,
    Graduate,
    Role,
    User,
    utcnow,
)
from ..validators import InvalidIdNumber, parse_email, parse_id_number

CODE_DAYS = 14
_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I


def plain_code(code: str) -> str:
    """A code as typed from the slip, read as printed: full-width letters and digits as
    half-width, spaces and dashes (as grouped on the slip) dropped, upper case."""
    return re.sub(r"[\s\-_—–]", "", unicodedata.normalize("NFKC", code or "")).upper()


def _digest(code: str) -> str:
    return hashlib.sha256(plain_code(code).encode()).hexdigest()


def issue_code(session: Session, actor: Actor, graduate_id: int) -> tuple[str, datetime]:
    """A one-time code (shown once, stored hashed) that lets the graduate set a password."""
    graduate = get_graduate(session, actor, graduate_id, edit=True)
    for old in session.scalars(
        select(ActivationCode).where(
            ActivationCode.graduate_id == graduate.id, ActivationCode.used_at.is_(None)
        )
    ):
        old.expires_at = utcnow()  # a new code replaces any earlier one
    raw = "".join(secrets.choice(_ALPHABET) for _ in range(8))
    expires = utcnow() + timedelta(days=CODE_DAYS)
    session.add(
        ActivationCode(
            graduate_id=graduate.id,
            code_hash=_digest(raw),
            expires_at=expires,
            issued_by_id=actor.user_id,
        )
    )
    audit.record(session, actor, "issue_code", graduate, org_id=graduate.home_org_id)
    return f"{raw[:4]}-{raw[4:]}", expires


#: Too many wrong codes, from one source or with one ID number.
TOO_MANY = "尝试次数过多：激活码已暂停使用。请15分钟后再试，或联系所在工会重新获取激活码"


@dataclass
class Consent:
    """What the graduate agrees to at activation: the privacy notice (required), and, each on
    its own, notices by SMS and by e-mail."""

    privacy: bool = False
    by_sms: bool = False
    by_email: bool = False
    email: str = ""


def activate(
    session: Session,
    id_number: str,
    code: str,
    password: str,
    source: str,
    consent: Consent | None = None,
) -> User:
    """The graduate sets a password with their ID number and the code; the account is created
    (or its password reset) and the code used up. A refusal is counted by the caller
    (`activation_failed`, in a transaction of its own: the refused request's is rolled back)."""
    now = utcnow()
    number = id_number.strip().upper()
    if throttle.blocked(session, throttle.ACTIVATE_FROM_SOURCE, source, now=now) or (
        throttle.blocked(session, throttle.ACTIVATE_ID_NUMBER, number, now=now)
    ):
        raise DomainError(TOO_MANY, field="code")
    try:
        idn = parse_id_number(id_number)
    except InvalidIdNumber:
        raise DomainError("身份证号或激活码不正确", field="code") from None
    graduate = session.scalar(
        select(Graduate).where(Graduate.id_number_hash == pii.keyring().digest(idn.value))
    )
    activation = session.scalar(
        select(ActivationCode).where(ActivationCode.code_hash == _digest(code))
    )
    if (
        graduate is None
        or activation is None
        or activation.graduate_id != graduate.id
        or activation.used_at is not None
        or activation.expires_at <= now
    ):
        raise DomainError("身份证号或激活码不正确，或激活码已过期", field="code")
    check_password_strength(password)
    consent = consent or Consent()
    if not consent.privacy:
        raise DomainError("请阅读并同意个人信息保护说明", field="privacy")
    email = parse_email(consent.email) if consent.email.strip() else ""
    if consent.by_email and not email:
        raise DomainError("要接收邮件通知，请填写电子邮箱", field="email")
    user = session.scalar(select(User).where(User.graduate_id == graduate.id))
    if user is None:
        user = User(
            username=f"g{graduate.id}",
            role=Role.GRADUATE,
            graduate_id=graduate.id,
            display_name=graduate.name,
            password_hash=generate_password_hash(password),
        )
        session.add(user)
    else:
        user.password_hash = generate_password_hash(password)
        user.is_active = True
        user.rotate_session_token()
    activation.used_at = now
    user.privacy_accepted_at = now
    user.notify_sms = consent.by_sms and graduate.phone is not None
    user.notify_email = consent.by_email
    user.email_enc = pii.keyring().seal(email).ciphertext if email else None
    session.flush()
    audit.record(
        session,
        Actor(role=Role.GRADUATE, label="毕业生本人", user_id=user.id),
        "privacy_accepted",
        graduate,
        org_id=graduate.home_org_id,
        details={"sms": user.notify_sms, "email": user.notify_email},
    )
    return user


def activation_failed(session: Session, id_number: str, source: str) -> None:
    """Count a refused activation for its source and its ID number (whether anyone has that
    number or not, so both behave alike); at the limit the number's open codes are void."""
    now = utcnow()
    number = id_number.strip().upper()
    throttle.fail(session, throttle.ACTIVATE_FROM_SOURCE, source, now=now)
    if not throttle.fail(session, throttle.ACTIVATE_ID_NUMBER, number, now=now):
        return
    try:
        digest = pii.keyring().digest(parse_id_number(number).value)
    except InvalidIdNumber:
        return
    graduate = session.scalar(select(Graduate).where(Graduate.id_number_hash == digest))
    if graduate is None:
        return
    codes = session.scalars(
        select(ActivationCode).where(
            ActivationCode.graduate_id == graduate.id,
            ActivationCode.used_at.is_(None),
            ActivationCode.expires_at > now,
        )
    ).all()
    for code in codes:
        code.expires_at = now  # void: a new code must be issued by the union
    if codes:
        audit.record(
            session,
            Actor(role=Role.GRADUATE, label="激活页面（未登录）"),
            "void_codes",
            graduate,
            org_id=graduate.home_org_id,
            details={"reason": "too_many_attempts", "codes": len(codes)},
        )
