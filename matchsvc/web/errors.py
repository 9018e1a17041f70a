"""Error pages: a domain error, CSRF failure, database outage or HTTP error answered in Chinese —
as a page, or as JSON under /api/."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError, IntegrityError

from ..db import database_gone
from ..errors import DomainError
from .responses import conflict, unavailable

MESSAGES = {
    400: "请求无效，请检查后重试",
    403: "您没有权限访问此页面",
    404: "页面不存在，或不在您的管辖范围内",
    405: "不支持该请求方式",
    413: "上传的文件太大",
    500: "服务器内部错误，请稍后重试；您的操作未被保存",
}


GONE = "数据库暂时无法连接，请稍后重试；您的操作未被保存"


def error_page(status: int, message: str):
    if request.path.startswith("/api/"):  # the API answers JSON, errors included (see openapi.py)
        return jsonify({"error": message}), status
    try:
        # the page's menu loads the signed-in user: during an outage that is a 503 too
        return render_template("web/error.html", status=status, message=message), status
    except DBAPIError as err:
        if not database_gone(err):
            raise
        return unavailable(GONE)


def install(app: Flask) -> None:
    @app.errorhandler(DomainError)
    def domain_error(err: DomainError):
        return error_page(err.status, err.message)

    @app.errorhandler(CSRFError)
    def csrf_error(_err: CSRFError):
        return error_page(400, "表单已过期或来源无效，请刷新页面后重试")

    @app.errorhandler(DBAPIError)
    def database_error(err: DBAPIError):
        if isinstance(err, IntegrityError):  # a unique key another request took just now
            return conflict()
        if not database_gone(err):
            raise err  # a statement the database refused: a bug, answered as a 500
        return unavailable(GONE)

    for status in MESSAGES:
        app.register_error_handler(status, lambda _e, s=status: error_page(s, MESSAGES[s]))
