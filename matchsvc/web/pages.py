"""Cross-cutting web concerns: the current actor, security headers, error pages, template helpers."""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import (
    Blueprint,
    Flask,
    Response,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_required, logout_user
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError

from .. import pii
from ..actors import Actor
from ..db import database_gone
from ..errors import DomainError, Forbidden, NotFound
from ..models import EmploymentStatus, Role, ServiceKind
from ..orgs.service import region_name

bp = Blueprint("main", __name__)

#: No inline script or style anywhere, so this policy holds on every page.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


def current_actor() -> Actor:
    return Actor.for_user(current_user.user)


def own_org_code(actor: Actor) -> str | None:
    """The code of the actor's own org (the last segment of its tree path)."""
    return actor.org_path.strip("/").rsplit("/", 1)[-1] if actor.org_path else None


def refused(template: str, form: Any, err: DomainError, **context: Any) -> Any:
    """Show a form again with the domain error on its field; the 422 rolls the request back."""
    field = getattr(form, err.field, None) if err.field else None
    if field is not None and hasattr(field, "errors"):
        field.errors = [*field.errors, err.message]
    else:
        flash(err.message, "error")
    return render_template(template, form=form, **context), 422


def refused_action(err: DomainError, back: str, prefix: str = "") -> Any:
    """A button's action the rules refused: undo it, say why, go back. Out of reach (404/403) is
    not a message but the answer, so that is raised — an outsider learns nothing more."""
    from ..extensions import db

    if isinstance(err, NotFound | Forbidden):
        raise err
    db.session.rollback()
    flash(prefix + err.message, "error")
    return redirect(back)


def staff_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """Officers and headquarters only; others get 403."""

    @wraps(view)
    @login_required
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if current_user.role not in (Role.OFFICER, Role.HQ):
            abort(403)
        return view(*args, **kwargs)

    return wrapped


@bp.route("/")
@login_required
def home() -> Any:
    if current_user.role in (Role.OFFICER, Role.HQ):
        return redirect(url_for("graduates.index"))
    if current_user.role == Role.EMPLOYER:
        return redirect(url_for("employer_portal.home"))
    return redirect(url_for("graduate_portal.home"))


ACTION_LABELS = {
    "create": "新建",
    "update": "修改",
    "status": "变更就业状态",
    "void": "作废",
    "transfer": "申请档案转移",
    "accept_transfer": "接收档案",
    "refuse_transfer": "拒绝档案转移",
    "import": "导入",
    "export": "导出",
    "unmask": "查看完整身份证号和手机号",
    "export_unmasked": "导出完整信息",
    "approve": "审核通过",
    "enrol": "报名培训",
}
FIELD_LABELS = {
    "name": "姓名",
    "id_number": "身份证号",
    "phone": "手机号",
    "home_org": "建档单位",
    "school_org": "院校所在地",
    "origin_region_code": "生源地",
    "school_name": "毕业院校",
    "major_text": "专业",
    "degree": "学历",
    "graduation_year": "毕业年份",
    "family_kind": "困难类别",
    "hardships": "具体困难",
    "parent_employer_name": "父母工作单位",
    "parent_employer_uscc": "父母单位信用代码",
    "wish_regions": "意向地区",
    "wish_work": "意向岗位",
    "wants_training": "培训意向",
    "wants_internship": "见习意向",
    "wants_business": "创业意向",
    "skills": "技能特长",
    "certificates": "证书",
    "archive_no": "帮扶档案编号",
    "registered_on": "登记日期",
    "parent_employer": "父母单位（匹配）",
    "status": "就业状态",
}


def action_label(action: str) -> str:
    return ACTION_LABELS.get(action, action)


def field_labels(fields: list[str]) -> str:
    return "、".join(FIELD_LABELS.get(f.removesuffix("_id"), f) for f in fields)


def audit_details(details: dict[str, Any] | None) -> str:
    """A readable summary of an audit event's details (which never hold personal data)."""
    details = details or {}
    parts = []
    if "fields" in details:
        parts.append("字段：" + "、".join(FIELD_LABELS.get(f, f) for f in details["fields"]))
    if "status" in details:
        label = EmploymentStatus(details["status"]).label
        parts.append(f"{label}，自 {details.get('effective_on', '')}")
    if "kind" in details and details["kind"] in {k.value for k in ServiceKind}:
        parts.append(ServiceKind(details["kind"]).label)
    for key, label in (
        ("reason", "用途/原因"),
        ("to", "接收单位"),
        ("source", "来源"),
        ("rows", "条数"),
    ):
        if key in details:
            parts.append(f"{label}：{details[key]}")
    return "；".join(parts)


def _report_reminders() -> list[Any]:
    """Campaigns a signed-in province officer has yet to report, when the due date is near."""
    from datetime import date

    from ..extensions import db
    from ..stats.reports import needs_reminder

    if not current_user.is_authenticated:
        return []
    try:
        return needs_reminder(db.session, current_actor(), date.today())
    except Exception:  # an error page must render even when the database is the problem
        return []


def _security_headers(response: Response) -> Response:
    response.headers["Content-Security-Policy"] = CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Referrer-Policy"] = "same-origin"
    if request.endpoint != "static":
        # Pages may carry personal data: never stored by browsers or proxies.
        response.headers["Cache-Control"] = "no-store"
    return response


def unavailable(message: str) -> Response:
    """503 with a retry hint, for when the database is down or restarting. The page does not touch
    the database (no signed-in user, no menu), so it renders while the database is away."""
    if request.path.startswith("/api/"):
        response = jsonify({"error": message})
    else:
        # Rendered without the context processors: they would load the signed-in user.
        page = current_app.jinja_env.get_template("web/unavailable.html")
        response = Response(
            page.render(message=message, url_for=url_for, request=request), mimetype="text/html"
        )
    response.status_code = 503
    response.headers["Retry-After"] = "5"
    # Also built after the after-request hooks ran (a failed commit), so the headers are set here.
    return _security_headers(response)


def _error_page(status: int, message: str):
    if request.path.startswith("/api/"):  # the API answers JSON, errors included (see openapi.py)
        return jsonify({"error": message}), status
    return render_template("web/error.html", status=status, message=message), status


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


def _refuse_nul() -> Any:
    """NUL characters are never valid input (PostgreSQL cannot even store them): refuse the
    request before anything reads it, with a clear message."""
    values = [*request.args.values(), *request.form.values(), request.path]
    if any("\x00" in v for v in values):
        return _error_page(400, "输入包含无效字符（NUL），请检查后重试")
    return None


def init_web(app: Flask) -> None:
    app.register_blueprint(bp)
    app.before_request(_refuse_nul)
    app.before_request(_session_timeouts)
    app.after_request(_security_headers)
    app.jinja_env.filters.update(
        action_label=action_label, audit_details=audit_details, field_labels=field_labels
    )
    app.jinja_env.globals.update(report_reminders=_report_reminders)
    app.jinja_env.globals.update(
        mask_id=pii.mask_id_number, mask_phone=pii.mask_phone, region_name=region_name
    )

    @app.errorhandler(DomainError)
    def domain_error(err: DomainError):
        return _error_page(err.status, err.message)

    @app.errorhandler(CSRFError)
    def csrf_error(_err: CSRFError):
        return _error_page(400, "表单已过期或来源无效，请刷新页面后重试")

    @app.errorhandler(DBAPIError)
    def database_error(err: DBAPIError):
        if not database_gone(err):
            raise err  # a statement the database refused: a bug, answered as a 500
        return unavailable("数据库暂时无法连接，请稍后重试；您的操作未被保存")

    for status, message in {
        403: "您没有权限访问此页面",
        404: "页面不存在，或不在您的管辖范围内",
        405: "不支持该请求方式",
        413: "上传的文件太大",
        500: "服务器内部错误，请稍后重试；您的操作未被保存",
    }.items():
        app.register_error_handler(status, lambda _e, s=status, m=message: _error_page(s, m))
