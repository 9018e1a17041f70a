"""Importing spreadsheets from the web: upload → preview of every change or error → confirm."""

from __future__ import annotations

import json
import secrets
from pathlib import Path
from typing import Any

from flask import Blueprint, Response, abort, current_app, render_template, request
from flask_wtf import FlaskForm
from wtforms import FileField, HiddenField, SelectField
from wtforms.validators import DataRequired

from ..errors import DomainError
from ..extensions import db
from ..web.forms import options
from ..web.pages import current_actor, staff_required
from .engine import run_import
from .reader import FileRefused
from .registry import IMPORTERS, summary, template_xlsx

bp = Blueprint("imports", __name__, url_prefix="/imports")

KIND_CHOICES = [(kind, cls.label) for kind, cls in IMPORTERS.items()]


class UploadForm(FlaskForm):
    kind = SelectField("表格类型", choices=options(KIND_CHOICES))
    file = FileField("文件（.xlsx 或 .csv）", validators=[DataRequired("请选择文件")])


class ConfirmForm(FlaskForm):
    token = HiddenField(validators=[DataRequired()])


def _uploads() -> Path:
    path = Path(current_app.instance_path) / "uploads"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _stash(data: bytes, kind: str, filename: str) -> str:
    """Keep the previewed file on the server until the officer confirms it."""
    token = secrets.token_urlsafe(16)
    (_uploads() / f"{token}.bin").write_bytes(data)
    meta = {"user": current_actor().user_id, "kind": kind, "filename": filename}
    (_uploads() / f"{token}.json").write_text(json.dumps(meta))
    return token


def _unstash(token: str) -> tuple[bytes, str, str]:
    if not token.replace("-", "").replace("_", "").isalnum():
        abort(404)
    meta_path = _uploads() / f"{token}.json"
    if not meta_path.exists():
        raise DomainError("预览已过期，请重新上传文件")
    meta = json.loads(meta_path.read_text())
    if meta["user"] != current_actor().user_id:
        abort(404)
    data = (_uploads() / f"{token}.bin").read_bytes()
    return data, meta["kind"], meta["filename"]


def _discard(token: str) -> None:
    for suffix in (".bin", ".json"):
        (_uploads() / f"{token}{suffix}").unlink(missing_ok=True)


@bp.route("/", methods=["GET"])
@staff_required
def index() -> Any:
    return render_template("imports/index.html", form=UploadForm(), kinds=IMPORTERS)


@bp.route("/preview", methods=["POST"])
@staff_required
def preview() -> Any:
    form = UploadForm()
    if not form.validate_on_submit():
        return render_template("imports/index.html", form=form, kinds=IMPORTERS), 422
    upload = request.files["file"]
    filename = Path(upload.filename or "upload").name
    data = upload.read()
    kind = form.kind.data or ""
    try:
        report = run_import(
            db.session, current_actor(), IMPORTERS[kind], data, filename, dry_run=True
        )
    except FileRefused as err:
        form.file.errors = [err.message]
        return render_template("imports/index.html", form=form, kinds=IMPORTERS), 422
    token = _stash(data, kind, filename) if not report.error_count else ""
    status = 422 if report.error_count else 200
    return render_template(
        "imports/preview.html",
        report=report,
        summary=summary(report),
        confirm=ConfirmForm(token=token),
    ), status


@bp.route("/confirm", methods=["POST"])
@staff_required
def confirm() -> Any:
    form = ConfirmForm()
    if not form.validate_on_submit():
        raise DomainError("表单无效，请重新上传")
    token = form.token.data or ""
    data, kind, filename = _unstash(token)
    report = run_import(db.session, current_actor(), IMPORTERS[kind], data, filename, dry_run=False)
    if report.applied:
        _discard(token)
    status = 200 if report.applied else 422
    return render_template("imports/done.html", report=report, summary=summary(report)), status


@bp.route("/template/<kind>.xlsx")
@staff_required
def template(kind: str) -> Any:
    importer = IMPORTERS.get(kind) or abort(404)
    return Response(
        template_xlsx(importer),
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f"attachment; filename={kind}-template.xlsx"},
    )
