"""Headquarters' page of scheduled jobs and their runs."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, render_template
from flask_login import current_user, login_required
from sqlalchemy import select

from matchsvc.jobs import JOBS

from ..extensions import db
from ..models import JobRun, Role

bp = Blueprint("jobruns", __name__, url_prefix="/admin")


@bp.route("/jobs")
@login_required
def index() -> Any:
    if current_user.role != Role.HQ:
        abort(403)

    runs = db.session.scalars(
        select(JobRun).order_by(JobRun.started_at.desc(), JobRun.id.desc()).limit(200)
    ).all()
    return render_template("ops/jobs.html", jobs=JOBS, runs=runs)
