"""Importing spreadsheets from the web: upload → preview of every change or error → confirm."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_wtf import FlaskForm
from wtforms import FileField, HiddenField, SelectField
from wtforms.validators import DataRequired

from ..db import session_scope
from ..errors import DomainError
from ..extensions import db
from ..models import ImportState, utcnow
from ..web.forms import options
from ..web.guards import current_actor, staff_required
from ..web.queued import defer_when_committed
from ..web.responses import XLSX, attachment
from . import pending, queued
from .engine import Report, run_import
from .reader import FileRefused
from .registry import IMPORTERS, errors_xlsx, summary, template_xlsx

bp = Blueprint("imports", __name__, url_prefix="/imports")

KIND_CHOICES = [(kind, cls.label) for kind, cls in IMPORTERS.items()]


class UploadForm(FlaskForm):
    kind = SelectField("表格类型", choices=options(KIND_CHOICES))
    file = FileField("文件（.xlsx、.xls 或 .csv）", validators=[DataRequired("请选择文件")])


class ConfirmForm(FlaskForm):
    token = HiddenField(validators=[DataRequired()])


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
    sent = request.files["file"]
    filename = Path(sent.filename or "upload").name
    data = sent.read()
    kind = form.kind.data or ""
    try:
        report = run_import(
            db.session, current_actor(), IMPORTERS[kind], data, filename, dry_run=True
        )
    except FileRefused as err:
        form.file.errors = [err.message]
        return render_template("imports/index.html", form=form, kinds=IMPORTERS), 422
    token = ""
    if not report.error_count:
        upload = pending.Upload(kind, filename, data, report.rows)
        token = pending.keep(db.session, current_actor(), upload)
    status = 422 if report.error_count else 200
    return render_template(
        "imports/preview.html",
        report=report,
        summary=summary(report),
        confirm=ConfirmForm(token=token),
        errors_uri=_errors_uri(report),
    ), status


def _errors_uri(report: Report) -> str:
    """The error list as a workbook in a data: link, so downloading it keeps nothing on the
    server (the refused sheet is not kept either)."""
    if not report.error_count:
        return ""
    return f"data:{XLSX};base64," + base64.b64encode(errors_xlsx(report)).decode()


@bp.route("/confirm", methods=["POST"])
@staff_required
def confirm() -> Any:
    form = ConfirmForm()
    if not form.validate_on_submit():
        raise DomainError("表单无效，请重新上传")
    token = form.token.data or ""
    upload = pending.take(db.session, current_actor(), token)
    if upload.rows > queued.queue_at(current_app.config):
        run = queued.queue(db.session, current_actor(), upload, upload.rows)
        defer_when_committed("imports_queue", run.id)
        flash(f"已排队导入 {upload.rows} 行，完成后会通知您；可以离开本页。", "success")
        return redirect(url_for("imports.run", run_id=run.id))
    importer = IMPORTERS[upload.kind]
    report = run_import(
        db.session, current_actor(), importer, upload.data, upload.filename, dry_run=False
    )
    if not report.applied:
        # Refused at confirm: nothing of the import stays, and the sheet is forgotten too —
        # in a transaction of its own, since the 422 rolls the request back.
        db.session.rollback()
        with session_scope(db.factory) as own:
            pending.forget(own, token)
    status = 200 if report.applied else 422
    return render_template(
        "imports/done.html",
        report=report,
        summary=summary(report),
        errors_uri=_errors_uri(report),
    ), status


@bp.route("/runs/<int:run_id>")
@staff_required
def run(run_id: int) -> Any:
    """A queued import: waiting (the page refreshes itself), or its report once it ended."""
    actor = current_actor()
    found = queued.own_run(db.session, actor, run_id)
    report = queued.report_of(found)
    if found.state != ImportState.QUEUED and found.seen_at is None:
        found.seen_at = utcnow()  # the notice has done its job
    return render_template(
        "imports/run.html",
        run=found,
        filename=queued.filename(found),
        ahead=queued.ahead(db.session, found) if found.state == ImportState.QUEUED else 0,
        report=report,
        summary=summary(report) if report else "",
        errors_uri=_errors_uri(report) if report else "",
    )


@bp.route("/template/<kind>.xlsx")
@staff_required
def template(kind: str) -> Any:
    importer = IMPORTERS.get(kind) or abort(404)
    return attachment(template_xlsx(importer), f"{importer.label}-模板.xlsx", XLSX)
