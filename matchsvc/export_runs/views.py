"""Pages of a queued export: waiting (refreshing itself), then the file to download."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template

from ..extensions import db
from ..models import ExportState, utcnow
from ..web.guards import current_actor, staff_required
from ..web.responses import CSV, XLSX, attachment
from . import service

bp = Blueprint("export_runs", __name__, url_prefix="/exports")


@bp.route("/<int:export_id>")
@staff_required
def run(export_id: int) -> Any:
    found = service.own_run(db.session, current_actor(), export_id)
    if found.state != ExportState.QUEUED and found.seen_at is None:
        found.seen_at = utcnow()  # the notice has done its job
    return render_template("export_runs/run.html", run=found)


@bp.route("/<int:export_id>/file")
@staff_required
def download(export_id: int) -> Any:
    found = service.own_run(db.session, current_actor(), export_id)
    data = service.file_of(found)
    return attachment(data, found.filename, CSV if found.fmt == "csv" else XLSX)
