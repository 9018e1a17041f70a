"""Headquarters' page of scheduled jobs and their runs."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template
from sqlalchemy import select

from ..extensions import db
from ..jobs import JOBS
from ..models import JobRun, SchedulerLease, utcnow
from ..web.guards import hq_required
from .scheduler import LEASE_NAME

bp = Blueprint("ops", __name__, url_prefix="/admin")


@bp.route("/jobs")
@hq_required
def jobs() -> Any:
    runs = db.session.scalars(
        select(JobRun).order_by(JobRun.started_at.desc(), JobRun.id.desc()).limit(200)
    ).all()
    now = utcnow()
    lease = db.session.get(SchedulerLease, LEASE_NAME)
    running = lease is not None and lease.expires_at > now  # renewed every few seconds
    titles = {j.id: j.title or j.id for j in JOBS}
    return render_template(
        "ops/jobs.html",
        jobs=[(j, j.next_run(now)) for j in JOBS],
        runs=runs,
        running=running,
        lease=lease,
        titles=titles,
    )
