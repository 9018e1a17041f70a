"""Login, logout and password change."""

from __future__ import annotations

import logging
import time
from typing import Any

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select

from ..errors import DomainError
from ..extensions import db, login_manager
from ..models import Role, User, utcnow
from ..notices.senders import SendError, Senders
from ..web.guards import current_actor, roles_required
from ..web.pages import form_page, refused
from . import service, throttle, totp
from .forms import (
    CodeForm,
    ForgotForm,
    LoginForm,
    NewPasswordForm,
    PasswordForm,
    ResetForm,
    StartForm,
)

bp = Blueprint("auth", __name__)
log = logging.getLogger(__name__)


class SessionUser:
    """The logged-in user as Flask-Login sees it; the id carries the user's session token."""

    is_authenticated = True
    is_anonymous = False

    def __init__(self, user: User) -> None:
        self.user = user

    @property
    def is_active(self) -> bool:
        return self.user.is_active

    def get_id(self) -> str:
        return f"{self.user.id}:{self.user.session_token}"

    def __getattr__(self, name: str):
        return getattr(self.user, name)


@login_manager.user_loader
def load_user(token: str) -> SessionUser | None:
    user_id, _, session_token = token.partition(":")
    if not user_id.isdigit():
        return None
    user = db.session.scalar(select(User).where(User.id == int(user_id)))
    if user is None or not user.is_active or user.session_token != session_token:
        return None
    return SessionUser(user)


#: What an account with a temporary password may open before it has changed it.
TEMPORARY_MAY_OPEN = frozenset(
    {"auth.change_password", "auth.logout", "auth.login", "auth.second_factor", "static"}
)
TEMPORARY_FIRST = "您的密码是工会重置的临时密码，请先设置一个只有您知道的新密码。"


@bp.before_app_request
def temporary_password_first() -> Any:
    """A password the union reset (and handed over) is changed before anything else."""
    if (
        current_user.is_authenticated
        and current_user.user.must_change_password
        and request.endpoint not in TEMPORARY_MAY_OPEN
    ):
        flash(TEMPORARY_FIRST, "info")
        return redirect(url_for("auth.change_password"))
    return None


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        user = service.authenticate(
            db.session,
            form.username.data or "",
            form.password.data or "",
            source=request.remote_addr or "",
        )
        if user is not None and totp.enabled(user):
            # the password was right: the code from the authenticator comes next
            session.clear()
            session["_2fa_pending"] = f"{user.id}:{user.session_token}"
            session["_2fa_pending_at"] = time.time()
            return redirect(url_for("auth.second_factor"))
        if user is not None:
            _signed_in(user, second_factor=False)
            return redirect(url_for("main.home"))
        form.password.errors = ["用户名或密码错误（连续输错5次，该账号在本机暂停登录15分钟）"]
        # Keep the failure counter: a 200 response commits.
    return render_template("auth/login.html", form=form)


def _signed_in(user: User, *, second_factor: bool) -> None:
    session.clear()  # a fresh session at login, nothing carried over
    login_user(SessionUser(user))
    session.permanent = True
    session["_login_at"] = session["_seen"] = time.time()
    session["_2fa"] = second_factor


#: How long the code page waits after the password before it asks for the password again.
PENDING_SECONDS = 300


def _pending_user() -> User | None:
    user_id, _, token = str(session.get("_2fa_pending", "")).partition(":")
    at = session.get("_2fa_pending_at", 0)
    if not user_id.isdigit() or time.time() - float(at) > PENDING_SECONDS:
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.is_active or user.session_token != token:
        return None
    return user


@bp.route("/login/code", methods=["GET", "POST"])
def second_factor():
    """After the password: the 6-digit code from the authenticator, or a recovery code."""
    user = _pending_user()
    if user is None:
        session.pop("_2fa_pending", None)
        flash("请重新输入用户名和密码", "info")
        return redirect(url_for("auth.login"))
    form = CodeForm()
    if form.validate_on_submit():
        source = request.remote_addr or ""
        now = utcnow()
        if throttle.blocked(db.session, throttle.SECOND_FACTOR, user.id, now=now):
            form.code.errors = ["尝试次数过多，请15分钟后再试"]
        elif totp.check(db.session, user, form.code.data or ""):
            throttle.clear(db.session, throttle.SECOND_FACTOR, user.id)
            _signed_in(user, second_factor=True)
            return redirect(url_for("main.home"))
        else:
            throttle.fail(db.session, throttle.SECOND_FACTOR, user.id, now=now)
            throttle.fail(db.session, throttle.LOGIN_FROM_SOURCE, source, now=now)
            form.code.errors = [totp.WRONG]
        # a 200 keeps the failure counted
    return render_template("auth/code.html", form=form)


@bp.route("/account/2fa", methods=["GET", "POST"])
@login_required
def two_factor():
    """Enrol the second factor: scan the QR code, confirm one code, keep the recovery codes."""
    user = current_user.user
    form = CodeForm()
    start = StartForm(prefix="start")
    if user.role not in totp.ENROLS:
        return render_template("auth/two_factor.html", user=user, applies=False)
    if start.submit.data and start.validate_on_submit():
        try:
            secret = totp.begin(db.session, user)
        except DomainError as err:
            flash(err.message, "error")
            return redirect(url_for("auth.two_factor"))
        return render_template(
            "auth/two_factor.html",
            user=user,
            applies=True,
            secret=secret,
            qr=totp.qr_svg(user, secret),
            form=form,
        )
    if form.validate_on_submit():
        try:
            codes = totp.confirm(db.session, user, form.code.data or "")
        except DomainError as err:
            form.code.errors = [err.message]
            return render_template(
                "auth/two_factor.html", user=user, applies=True, form=form, retry=True
            ), 422
        session["_2fa"] = True  # this session has just proved the factor
        return render_template("auth/two_factor.html", user=user, applies=True, codes=codes)
    return render_template(
        "auth/two_factor.html",
        user=user,
        applies=True,
        start=start,
        left=totp.recovery_codes_left(db.session, user) if totp.enabled(user) else 0,
        signed_with=session.get("_2fa") is True,
    )


@bp.route("/account/2fa/reset", methods=["GET", "POST"])
@roles_required(Role.HQ)
def reset_two_factor():
    """HQ turns off a staff member's second factor (a lost phone); audited with the reason."""
    form = ResetForm()
    if form.validate_on_submit():
        try:
            user = totp.reset(
                db.session, current_actor(), form.username.data or "", form.reason.data or ""
            )
        except DomainError as err:
            return refused("auth/reset_two_factor.html", form, err)
        flash(f"已重置 {user.username} 的两步验证；其下次登录后须重新设置。", "success")
        return redirect(url_for("auth.reset_two_factor"))
    return form_page("auth/reset_two_factor.html", form)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    service.end_all_sessions(current_user.user)
    logout_user()
    session.clear()
    flash("您已退出登录", "info")
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = PasswordForm()
    if form.validate_on_submit():
        try:
            service.change_password(db.session, current_user.user, form.current.data, form.new.data)
        except DomainError as err:
            form.new.errors = [err.message]
            return render_template("auth/password.html", form=form), 422
        logout_user()
        session.clear()
        flash("密码已修改，请用新密码重新登录", "info")
        return redirect(url_for("auth.login"))
    return render_template("auth/password.html", form=form)


FORGOT_SENT = (
    "如果该账号留有电子邮箱，重置链接已发送，{minutes} 分钟内有效。没有邮箱的用人单位账号，"
    "请联系审核您单位的工会重置密码。"
)
#: Said when the deployment sends no mail: no link goes anywhere, so none is promised.
FORGOT_NO_MAIL = (
    "本服务没有开通邮件发送，不能通过邮件重置密码。用人单位请联系审核您单位的工会（注册时选择的"
    "审核工会）重置，重置后第一次登录须设置新密码；工会工作人员请联系上级工会的管理员；"
    "毕业生请联系建档工会重新领取激活码。"
)


@bp.route("/login/forgot", methods=["GET", "POST"])
def forgot():
    """忘记密码: a reset link to the e-mail on the account (the answer is the same whether the
    account exists or not); without an e-mail, the approving union resets it."""
    form = ForgotForm()
    if not current_app.config.get("SMTP_HOST"):
        return render_template("auth/forgot.html", form=form, no_mail=FORGOT_NO_MAIL)
    if form.validate_on_submit():
        found = service.account_with_email(db.session, form.username.data or "")
        if found is not None:
            user, address = found
            token = service.reset_token(user, current_app.config["SECRET_KEY"])
            path = url_for("auth.reset_password", token=token)
            public = current_app.config.get("PUBLIC_URL") or request.host_url.rstrip("/")
            link = f"{public}{path}"
            try:
                Senders(current_app.config).email(
                    address,
                    "重置密码",
                    f"您申请了重置阳光就业帮扶服务的登录密码。请在 {service.RESET_MINUTES} 分钟内"
                    f"打开下面的链接设置新密码：\n{link}\n如果不是您本人申请，请忽略本邮件。",
                )
            except SendError:
                log.warning("password reset mail not sent (mail server unavailable)")
        flash(FORGOT_SENT.format(minutes=service.RESET_MINUTES), "info")
        return redirect(url_for("auth.login"))
    return render_template("auth/forgot.html", form=form), 422 if form.is_submitted() else 200


@bp.route("/login/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    form = NewPasswordForm()
    try:
        service.user_for_reset(db.session, token, current_app.config["SECRET_KEY"])
    except DomainError as err:  # 忘记密码 again, with why
        flash(err.message, "error")
        return render_template("auth/forgot.html", form=ForgotForm(formdata=None))
    if form.validate_on_submit():
        try:
            service.reset_password_with_token(
                db.session, token, current_app.config["SECRET_KEY"], form.new.data or ""
            )
        except DomainError as err:
            form.new.errors = [err.message]
            return render_template("auth/reset.html", form=form), 422
        flash("密码已重置，请用新密码登录", "success")
        return redirect(url_for("auth.login"))
    status = 422 if form.is_submitted() else 200
    return render_template("auth/reset.html", form=form), status
