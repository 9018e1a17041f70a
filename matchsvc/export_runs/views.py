"""Pages of a queued export: waiting (refreshing itself), then the file to download."""

from __future__ import annotations

from functools import partial
from typing import Any

from flask import Blueprint, current_app, render_template

from ..extensions import db
from ..jobs import job_spec
from ..models import ExportState, utcnow
from ..ops import queue
from ..web.guards import current_actor, staff_required
from ..web.later import later
from ..web.responses import CSV, XLSX, attachment
from . import service

bp = Blueprint("export_runs", __name__, url_prefix="/exports")


def defer_if_queue(run_id: int) -> None:
    """On the job queue, hand the export to the workers once the request has committed."""
    if current_app.config["JOB_QUEUE"] == "procrastinate":
        later(partial(_defer, current_app.config["DATABASE_URL"], run_id))


def _defer(database_url: str, run_id: int, _session: object) -> None:
    queue.defer_now(database_url, job_spec("exports_queue"), [str(run_id)])


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
