"""The second factor: a time-based one-time code (TOTP, RFC 6238, with pyotp) from an
authenticator app, enrolled with a QR code the service draws itself (segno, SVG), and ten
one-time recovery codes. Officers need it to see or export full ID numbers and phones; HQ
resets it for someone who lost their phone, audited.
"""

from __future__ import annotations

import base64
import hashlib
import io
import secrets
from datetime import datetime

import pyotp
import segno
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from .. import pii
from ..actors import Actor
from ..audit import record
from ..errors import DomainError, Forbidden, NotFound
from ..models import RecoveryCode, Role, User, utcnow

ISSUER = "阳光就业帮扶服务"
RECOVERY_CODES = 10
#: Roles that may unmask personal numbers, and so enrol a second factor.
ENROLS = (Role.OFFICER, Role.HQ)
WRONG = "验证码不正确或已用过，请输入验证器上最新的6位数字，或一个恢复码"


def _hash(code: str) -> str:
    return hashlib.sha256(code.replace("-", "").strip().upper().encode()).hexdigest()


def _secret(user: User) -> str | None:
    return pii.keyring().open(user.totp_secret_enc) if user.totp_secret_enc else None


def enabled(user: User) -> bool:
    return user.totp_enabled_at is not None


def begin(session: Session, user: User) -> str:
    """A new secret for the user to scan (not in force until a code from it is confirmed)."""
    if user.role not in ENROLS:
        raise Forbidden("只有工会工作人员和全总需要两步验证")
    if enabled(user):
        raise DomainError("两步验证已启用；如需更换手机，请联系全总重置")
    secret = pyotp.random_base32()
    user.totp_secret_enc = pii.keyring().seal(secret).ciphertext
    session.flush()
    return secret


def provisioning_uri(user: User, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.username, issuer_name=ISSUER)


def qr_svg(user: User, secret: str) -> str:
    """The otpauth:// address as an SVG QR code in a data: URI, drawn here (no outside service
    sees the secret)."""
    out = io.BytesIO()
    segno.make(provisioning_uri(user, secret), error="m").save(out, kind="svg", scale=5)
    return "data:image/svg+xml;base64," + base64.b64encode(out.getvalue()).decode()


def _step_ok(user: User, secret: str, code: str, now: datetime) -> bool:
    """A current code (one step either side, for clocks a little off), never one used before."""
    totp = pyotp.TOTP(secret)
    step = int(now.timestamp()) // totp.interval
    for candidate in (step, step - 1, step + 1):
        if candidate <= (user.totp_last_step or -1):
            continue
        if secrets.compare_digest(totp.at(candidate * totp.interval), code):
            user.totp_last_step = candidate
            return True
    return False


def confirm(session: Session, user: User, code: str) -> list[str]:
    """The first code from the new secret turns the factor on; returns the recovery codes,
    shown once."""
    secret = _secret(user)
    if secret is None or enabled(user):
        raise DomainError("请先开始设置两步验证", field="code")
    if not _step_ok(user, secret, code.strip(), utcnow()):
        raise DomainError("验证码不正确，请输入验证器上显示的6位数字", field="code")
    user.totp_enabled_at = utcnow()
    codes = _new_recovery_codes(session, user)
    record(session, Actor.for_user(user), "totp_enable", user, org_id=user.org_id)
    return codes


def _new_recovery_codes(session: Session, user: User) -> list[str]:
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = []
    for _ in range(RECOVERY_CODES):
        raw = secrets.token_hex(5).upper()
        codes.append(f"{raw[:5]}-{raw[5:]}")
        session.add(RecoveryCode(user_id=user.id, code_hash=_hash(raw)))
    session.flush()
    return codes


def check(session: Session, user: User, code: str) -> bool:
    """A current TOTP code, or an unused recovery code (then used up)."""
    secret = _secret(user)
    code = code.strip()
    if secret is None or not enabled(user) or not code:
        return False
    if code.isdigit() and len(code) == 6:
        return _step_ok(user, secret, code, utcnow())
    used = session.execute(
        update(RecoveryCode)
        .where(
            RecoveryCode.user_id == user.id,
            RecoveryCode.code_hash == _hash(code),
            RecoveryCode.used_at.is_(None),
        )
        .values(used_at=utcnow())
    )
    if getattr(used, "rowcount", 0) != 1:
        return False
    record(session, Actor.for_user(user), "recovery_code_used", user, org_id=user.org_id)
    return True


def recovery_codes_left(session: Session, user: User) -> int:
    return len(
        session.scalars(
            select(RecoveryCode.id).where(
                RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)
            )
        ).all()
    )


def reset(session: Session, actor: Actor, username: str, reason: str) -> User:
    """HQ turns a user's second factor off (a lost phone); they enrol again at next sign-in."""
    if actor.role != Role.HQ:
        raise Forbidden("只有全总可以重置两步验证")
    reason = " ".join((reason or "").split())
    if len(reason) < 4:
        raise DomainError("请说明重置原因（至少4个字）", field="reason")
    user = session.scalar(select(User).where(User.username == username.strip()))
    if user is None or user.role not in ENROLS:
        raise NotFound("没有该工作人员账号", field="username")
    user.totp_secret_enc = None
    user.totp_enabled_at = None
    user.totp_last_step = None
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    user.rotate_session_token()  # sessions signed in with the old factor end
    record(session, actor, "totp_reset", user, org_id=user.org_id, details={"reason": reason[:200]})
    return user
