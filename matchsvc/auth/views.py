"""Login, logout and password change."""

from __future__ import annotations

import time

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select

from ..errors import DomainError
from ..extensions import db, login_manager
from ..models import User
from . import service
from .forms import LoginForm, PasswordForm

bp = Blueprint("auth", __name__)


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
        if user is not None:
            session.clear()  # a fresh session at login, nothing carried over
            login_user(SessionUser(user))
            session.permanent = True
            session["_login_at"] = session["_seen"] = time.time()
            return redirect(url_for("main.home"))
        form.password.errors = ["用户名或密码错误（连续输错5次，该账号在本机暂停登录15分钟）"]
        # Keep the failure counter: a 200 response commits.
    return render_template("auth/login.html", form=form)


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
