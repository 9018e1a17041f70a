"""What every request passes first: no NUL characters, session timeouts; and what every answer
carries (the security headers)."""

from __future__ import annotations

import time

from flask import Flask, Response, current_app, flash, redirect, request, session, url_for
from flask_login import current_user, logout_user

from .errors import error_page
from .responses import security_headers


def _session_timeouts() -> Response | None:
    """End a session idle longer than IDLE_MINUTES, or older than the absolute lifetime."""
    if not current_user.is_authenticated:
        return None
    now = time.time()
    idle = current_app.config.get("IDLE_MINUTES", 30) * 60
    absolute = current_app.config["PERMANENT_SESSION_LIFETIME"].total_seconds()
    seen, started = session.get("_seen", now), session.get("_login_at", now)
    if now - seen > idle or now - started > absolute:
        logout_user()
        session.clear()
        if request.path.startswith("/api/"):
            return Response('{"error": "登录已超时，请重新登录"}', 401, mimetype="application/json")
        flash("登录已超时，请重新登录", "info")
        return redirect(url_for("auth.login"))  # type: ignore[return-value]
    session["_seen"] = now
    session.setdefault("_login_at", now)
    return None


def _refuse_nul():
    """NUL characters are never valid input (PostgreSQL cannot even store them): refuse the
    request before anything reads it, with a clear message."""
    values = [*request.args.values(), *request.form.values(), request.path]
    if any("\x00" in v for v in values):
        return error_page(400, "输入包含无效字符（NUL），请检查后重试")
    return None


def install(app: Flask) -> None:
    app.before_request(_refuse_nul)
    app.before_request(_session_timeouts)
    app.after_request(security_headers)
