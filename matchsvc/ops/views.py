"""Headquarters' page of scheduled jobs and their runs."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template
from sqlalchemy import select

from ..extensions import db
from ..jobs import JOBS
from ..models import JobRun
from ..web.guards import hq_required

bp = Blueprint("ops", __name__, url_prefix="/admin")


@bp.route("/jobs")
@hq_required
def jobs() -> Any:
    runs = db.session.scalars(
        select(JobRun).order_by(JobRun.started_at.desc(), JobRun.id.desc()).limit(200)
    ).all()
    return render_template("ops/jobs.html", jobs=JOBS, runs=runs)
