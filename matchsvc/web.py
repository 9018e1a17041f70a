"""Cross-cutting web concerns: the current actor, security headers, error pages, template helpers."""

from __future__ import annotations

from flask import Blueprint, Flask, Response, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf.csrf import CSRFError

from . import pii
from .actors import Actor
from .errors import DomainError
from .orgs.service import region_name

bp = Blueprint("main", __name__)

#: No inline script or style anywhere, so this policy holds on every page.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


def current_actor() -> Actor:
    return Actor.for_user(current_user.user)


@bp.route("/")
@login_required
def home():
    return redirect(url_for("graduates.index"))


def _security_headers(response: Response) -> Response:
    response.headers["Content-Security-Policy"] = CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Referrer-Policy"] = "same-origin"
    if request.endpoint != "static":
        # Pages may carry personal data: never stored by browsers or proxies.
        response.headers["Cache-Control"] = "no-store"
    return response


def _error_page(status: int, message: str):
    return render_template("errors/error.html", status=status, message=message), status


def init_web(app: Flask) -> None:
    app.register_blueprint(bp)
    app.after_request(_security_headers)
    app.jinja_env.globals.update(
        mask_id=pii.mask_id_number, mask_phone=pii.mask_phone, region_name=region_name
    )

    @app.errorhandler(DomainError)
    def domain_error(err: DomainError):
        return _error_page(err.status, err.message)

    @app.errorhandler(CSRFError)
    def csrf_error(_err: CSRFError):
        return _error_page(400, "表单已过期或来源无效，请刷新页面后重试")

    for status, message in {
        403: "您没有权限访问此页面",
        404: "页面不存在，或不在您的管辖范围内",
        405: "不支持该请求方式",
        413: "上传的文件太大",
        500: "服务器内部错误，请稍后重试；您的操作未被保存",
    }.items():
        app.register_error_handler(status, lambda _e, s=status, m=message: _error_page(s, m))
