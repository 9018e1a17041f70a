"""Accounts: creating users, checking passwords, ending sessions everywhere."""

from __future__ import annotations

import secrets

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from .. import pii
from ..actors import Actor
from ..audit import record
from ..errors import Conflict, DomainError, NotFound
from ..graduates.service import find_by_id_number
from ..models import HQ_CODE, Employer, Graduate, Role, User, utcnow
from ..orgs.service import get_org
from ..validators import InvalidIdNumber, parse_credit_code, parse_id_number, parse_phone
from . import throttle

MIN_PASSWORD_LENGTH = 8
#: A hash to compare against for unknown users, so that timing does not reveal them.
_DUMMY_HASH = generate_password_hash("matchsvc-dummy-password")


def check_password_strength(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise DomainError(f"密码至少{MIN_PASSWORD_LENGTH}位", field="password")
    if password.isdigit() or password.isalpha():
        raise DomainError("密码须同时包含字母和数字（或符号）", field="password")


def check_username(session: Session, username: str) -> str:
    """A username that may be taken: its form, and free (case-insensitive)."""
    username = username.strip()
    if not username or len(username) > 64 or any(c.isspace() for c in username):
        raise DomainError("用户名不能为空、不能含空格，且不超过64个字符", field="username")
    if session.scalar(select(User.id).where(func.lower(User.username) == username.lower())):
        raise Conflict(f"用户名“{username}”已被使用", field="username")
    return username


def create_user(
    session: Session,
    actor: Actor,
    *,
    role: Role,
    username: str,
    password: str,
    org_code: str | None = None,
    employer_uscc: str | None = None,
    graduate_id_number: str | None = None,
    display_name: str | None = None,
) -> User:
    """Create an account; every link the role needs is checked before anything is written."""
    username = check_username(session, username)
    check_password_strength(password)
    user = User(username=username, role=role, display_name=display_name)
    if role == Role.HQ:
        user.org_id = get_org(session, org_code or HQ_CODE).id
        if org_code not in (None, HQ_CODE):
            raise DomainError("全总用户属于全国总工会（000000）", field="org")
    elif role == Role.OFFICER:
        if not org_code:
            raise DomainError("工会工作人员必须指定所属组织（--org）", field="org")
        user.org_id = get_org(session, org_code).id
    elif role == Role.EMPLOYER:
        if not employer_uscc:
            raise DomainError(
                "用人单位账号必须指定统一社会信用代码（--employer）", field="employer"
            )
        code = parse_credit_code(employer_uscc)
        employer = session.scalar(select(Employer).where(Employer.uscc == code))
        if employer is None:
            raise NotFound("没有该统一社会信用代码的用人单位，请先登记单位", field="employer")
        user.employer_id = employer.id
    elif role == Role.GRADUATE:
        if not graduate_id_number:
            raise DomainError("毕业生账号必须指定身份证号（--graduate）", field="graduate")
        graduate = find_by_id_number(session, graduate_id_number)
        if graduate is None:
            raise NotFound("没有该身份证号的毕业生档案", field="graduate")
        if session.scalar(select(User.id).where(User.graduate_id == graduate.id)):
            raise Conflict("该毕业生已有账号", field="graduate")
        user.graduate_id = graduate.id
    user.password_hash = generate_password_hash(password)
    session.add(user)
    session.flush()
    record(session, actor, "create", user, org_id=user.org_id, details={"role": role.value})
    return user


def graduate_for_login(session: Session, login: str) -> User | None:
    """A graduate signs in with their ID number or phone (others with their username)."""
    text = login.strip()
    try:
        match = Graduate.id_number_hash == pii.keyring().digest(parse_id_number(text).value)
    except InvalidIdNumber:
        try:
            match = Graduate.phone_hash == pii.keyring().digest(parse_phone(text))
        except DomainError:
            return None
    return session.scalar(
        select(User).join(Graduate, Graduate.id == User.graduate_id).where(match).limit(1)
    )


def authenticate(session: Session, username: str, password: str, source: str) -> User | None:
    """The user if the credentials are right, the account active and this source not paused;
    None otherwise (the caller shows one message for every refusal, so an unknown user, a wrong
    password and a pause look alike, and each costs one password hash).

    `source` is the client address. Five wrong passwords for one account from one source pause
    that account for that source for 15 minutes; thirty from one source pause the source. The
    owner signing in from elsewhere is not affected (see auth/throttle.py)."""
    now = utcnow()
    user = session.scalar(select(User).where(func.lower(User.username) == username.strip().lower()))
    if user is None:
        user = graduate_for_login(session, username)
    paused = throttle.blocked(session, throttle.LOGIN_FROM_SOURCE, source, now=now) or (
        user is not None
        and throttle.blocked(session, throttle.LOGIN_ACCOUNT_FROM_SOURCE, user.id, source, now=now)
    )
    if user is None or paused:
        check_password_hash(_DUMMY_HASH, password)  # the same work as any refusal
    if (
        user is not None
        and not paused
        and check_password_hash(user.password_hash, password)
        and user.is_active
    ):
        throttle.clear(session, throttle.LOGIN_ACCOUNT_FROM_SOURCE, user.id, source)
        user.last_login_at = now
        return user
    if not paused:
        throttle.fail(session, throttle.LOGIN_FROM_SOURCE, source, now=now)
        if user is not None:
            throttle.fail(session, throttle.LOGIN_ACCOUNT_FROM_SOURCE, user.id, source, now=now)
    return None


def end_all_sessions(user: User) -> None:
    """Invalidate every cookie issued to this user (logout, password change, disabling)."""
    user.rotate_session_token()


def change_password(session: Session, user: User, current: str, new: str) -> None:
    if not check_password_hash(user.password_hash, current):
        raise DomainError("当前密码不正确", field="current")
    check_password_strength(new)
    if check_password_hash(user.password_hash, new):
        raise DomainError("新密码不能与当前密码相同", field="new")
    user.password_hash = generate_password_hash(new)
    user.must_change_password = False
    end_all_sessions(user)
    record(session, Actor.for_user(user), "password", user)


def set_active(session: Session, actor: Actor, user: User, active: bool) -> None:
    user.is_active = active
    if not active:
        end_all_sessions(user)
    record(session, actor, "enable" if active else "disable", user, org_id=user.org_id)


#: How long an e-mailed password-reset link works.
RESET_MINUTES = 60


def temporary_password() -> str:
    """A password to hand over once (letters and digits, strong enough for the checks)."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789"
    body = "".join(secrets.choice(alphabet) for _ in range(10))
    return f"{body}{secrets.choice('23456789')}{secrets.choice('abcdefghjk')}"


def reset_password_by_union(session: Session, actor: Actor, user: User) -> str:
    """The approving union resets an employer's password (audited): a temporary one, shown
    once to the officer; every session of the account ends."""
    if user.role != Role.EMPLOYER:
        raise DomainError("只能为用人单位账号重置密码")
    password = temporary_password()
    user.password_hash = generate_password_hash(password)
    user.must_change_password = True  # asked to change it at the next login
    end_all_sessions(user)
    record(session, actor, "reset_password", user, details={"by": "union"})
    return password


def _reset_serializer(secret: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret, salt="matchsvc-password-reset")


def reset_token(user: User, secret: str) -> str:
    """A link's token: the account and a piece of its password hash, so it works once (a new
    password changes the hash) and for RESET_MINUTES."""
    return _reset_serializer(secret).dumps({"u": user.id, "h": user.password_hash[-16:]})


def user_for_reset(session: Session, token: str, secret: str) -> User:
    try:
        data = _reset_serializer(secret).loads(token, max_age=RESET_MINUTES * 60)
    except (BadSignature, SignatureExpired):
        raise DomainError("重置链接无效或已过期，请重新申请") from None
    user = session.get(User, int(data.get("u", 0)))
    if user is None or not user.is_active or user.password_hash[-16:] != data.get("h"):
        raise DomainError("重置链接无效或已使用，请重新申请")
    return user


def reset_password_with_token(session: Session, token: str, secret: str, new: str) -> User:
    user = user_for_reset(session, token, secret)
    check_password_strength(new)
    user.password_hash = generate_password_hash(new)
    end_all_sessions(user)
    record(session, Actor.for_user(user), "reset_password", user, details={"by": "email"})
    return user


def account_with_email(session: Session, username: str) -> tuple[User, str] | None:
    """The active account by its username with an e-mail on it, and the address."""
    user = session.scalar(
        select(User).where(func.lower(User.username) == (username or "").strip().lower())
    )
    if user is None or not user.is_active or not user.email_enc:
        return None
    return user, pii.keyring().open(user.email_enc)
