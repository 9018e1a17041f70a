"""Headquarters' page of scheduled jobs and their runs."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, render_template
from sqlalchemy import select

from ..extensions import db
from ..jobs import JOBS
from ..models import JobRun, SchedulerLease, utcnow
from ..orgs.service import region_name
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

    def title_of(job_id: str) -> str:
        """A run's job in words; a unit of a split job names its province: 重新计算推荐（广东省）."""
        base, _, unit = job_id.partition("/")
        title = titles.get(base, base)
        if not unit or unit == "*":
            return title
        return f"{title}（{region_name(unit + '0000') or unit}）"

    return render_template(
        "ops/jobs.html",
        jobs=[(j, j.next_run(now)) for j in JOBS],
        runs=runs,
        running=running,
        lease=lease,
        title_of=title_of,
        queue=current_app.config.get("JOB_QUEUE", "inline"),
    )
