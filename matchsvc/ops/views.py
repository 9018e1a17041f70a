"""Headquarters' pages of operations: the scheduled jobs and their runs, and 操作记录."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, render_template, request
from sqlalchemy import func, select

from ..audit import people
from ..extensions import db
from ..jobs import JOBS
from ..models import AuditEvent, JobOutcome, JobRun, Org, SchedulerLease, utcnow
from ..orgs.service import region_name
from ..web.forms import db_int
from ..web.guards import hq_required
from ..web.labels import ACTION_LABELS
from .scheduler import LEASE_NAME, WHOLE

bp = Blueprint("ops", __name__, url_prefix="/admin")


@bp.route("/jobs")
@hq_required
def jobs() -> Any:
    """The jobs and their latest runs — without the every-minute runs that found nothing to do
    (they would fill the list), unless asked; one job's runs with ?job=."""
    frequent = [j.id for j in JOBS if j.cron.get("minute") == "*" or "second" in j.cron]
    chosen = request.args.get("job", "")
    show_idle = request.args.get("idle") == "1"
    query = select(JobRun)
    if chosen in {j.id for j in JOBS}:
        query = query.where(JobRun.job_id.startswith(chosen, autoescape=True))
    if not show_idle:
        idle = (
            JobRun.job_id.in_(frequent)
            & (JobRun.outcome == JobOutcome.SUCCESS)
            & (func.coalesce(JobRun.rows, 0) == 0)
        )
        query = query.where(~idle)
    runs = db.session.scalars(
        query.order_by(JobRun.started_at.desc(), JobRun.id.desc()).limit(200)
    ).all()
    now = utcnow()
    lease = db.session.get(SchedulerLease, LEASE_NAME)
    running = lease is not None and lease.expires_at > now  # renewed every few seconds
    titles = {j.id: j.title or j.id for j in JOBS}

    def title_of(job_id: str) -> str:
        """A run's job in words; a unit of a split job names its province: 重新计算推荐（广东省）."""
        base, _, unit = job_id.partition("/")
        title = titles.get(base, base)
        if not unit or unit == WHOLE:
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
        chosen=chosen,
        show_idle=show_idle,
        frequent=[titles[j] for j in frequent],
    )


#: What an event was done to, as the 操作记录 page says it.
ENTITY_WORDS = {
    "graduate": "毕业生档案",
    "service_record": "帮扶记录",
    "referral": "推荐/应聘",
    "interest": "意向",
    "employer": "用人单位",
    "position": "岗位",
    "user": "账号",
    "user_account": "账号",
    "graduates": "毕业生名单",
}
AUDIT_PAGE = 100


@bp.route("/audit")
@hq_required
def audit_log() -> Any:
    """操作记录 for headquarters: every audited action, newest first (password resets, exports
    with full ID numbers, lookups …), by action, a page at a time; details hold no personal data."""
    action = request.args.get("action", "")
    before = request.args.get("before", type=db_int)
    query = select(AuditEvent).order_by(AuditEvent.id.desc()).limit(AUDIT_PAGE + 1)
    if action:
        query = query.where(AuditEvent.action == action)
    if before:
        query = query.where(AuditEvent.id < before)
    events = list(db.session.scalars(query))
    more = len(events) > AUDIT_PAGE
    events = events[:AUDIT_PAGE]
    orgs = dict(
        db.session.execute(
            select(Org.id, Org.name).where(Org.id.in_({e.org_id for e in events if e.org_id}))
        ).all()
    )
    return render_template(
        "ops/audit.html",
        events=events,
        people=people(db.session, events),
        orgs=orgs,
        action=action,
        actions=ACTION_LABELS,
        entity_words=ENTITY_WORDS,
        next_before=events[-1].id if more and events else None,
    )
