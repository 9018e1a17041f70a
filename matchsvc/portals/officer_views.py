"""The officers' side of the portals: activation codes, graduates' requests, referrals waiting,
and the notices shown on every page."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, select

from ..errors import DomainError
from ..export_runs import service as export_runs
from ..extensions import db
from ..followups import service as followups
from ..imports import queued as queued_imports
from ..jurisdiction import get_graduate, graduate_edit_scope, org_column_in_region
from ..matching import plans
from ..models import (
    APPLICATION_STATES,
    Employer,
    EmployerStatus,
    ExportState,
    Graduate,
    ImportState,
    Org,
    PlanState,
    Role,
)
from ..referrals import deadlines
from ..referrals import service as referrals
from ..web.guards import current_actor, staff_required
from ..web.pages import refused_action
from .activation import issue_code
from .forms import EmptyForm
from .requests import (
    is_overdue,
    pending_counts,
    pending_requests,
    request_days,
    resolve,
    waiting_days,
)

bp = Blueprint("officer_portal", __name__, url_prefix="/officer")


@bp.route("/graduates/<int:graduate_id>/activation", methods=["POST"])
@staff_required
def activation(graduate_id: int) -> Any:
    if not EmptyForm().validate_on_submit():
        abort(400)
    g = get_graduate(db.session, current_actor(), graduate_id, edit=True)
    code, expires = issue_code(db.session, current_actor(), g.id)
    site = current_app.config.get("PUBLIC_URL") or request.host_url.rstrip("/")
    return render_template(
        "portals/activation_code.html",
        g=g,
        code=code,
        expires=expires,
        address=site + url_for("graduate_portal.activate"),
    )


@bp.route("/requests")
@staff_required
def requests() -> Any:
    return render_template(
        "portals/requests.html",
        items=pending_requests(db.session, current_actor()),
        form=EmptyForm(),
        waiting_days=waiting_days,
        is_overdue=is_overdue,
        limit=request_days(),
    )


@bp.route("/requests/<int:request_id>/<any(accept, close):decision>", methods=["POST"])
@staff_required
def decide(request_id: int, decision: str) -> Any:
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        resolve(
            db.session,
            current_actor(),
            request_id,
            decision == "accept",
            request.form.get("note") or None,
        )
    except DomainError as err:
        return refused_action(err, url_for("officer_portal.requests"))
    flash("已处理。", "success")
    return redirect(url_for("officer_portal.requests"))


@bp.app_template_global("officer_notices")
def notices() -> dict[str, Any]:
    """The officer's notices: employers to approve, referrals waiting, requests, and the queued
    placement plans they asked for, follow-ups due that are ready (or failed) and not yet opened."""
    if not current_user.is_authenticated or current_user.role not in (Role.OFFICER, Role.HQ):
        return {}
    actor = current_actor()
    employers = db.session.scalar(
        select(func.count()).where(
            Employer.status == EmployerStatus.PENDING, org_column_in_region(actor, Employer.org_id)
        )
    )
    waiting = db.session.scalar(
        select(func.count()).select_from(referrals.waiting(actor).subquery())
    )
    asks, _ = pending_counts(db.session, actor)
    follow_ups = followups.due_count(db.session, actor)
    feedback = deadlines.awaiting_count(db.session, actor)
    applications = db.session.scalar(
        select(func.count()).where(
            graduate_edit_scope(actor), Graduate.archive_state.in_(APPLICATION_STATES)
        )
    )
    ready = [
        {"org": run_org.code, "name": run_org.name, "ok": run.state == PlanState.DONE}
        for run in plans.unseen_plans(db.session, actor.user_id)
        if (run_org := db.session.get(Org, run.org_id)) is not None
    ]
    return {
        "employers": employers or 0,
        "referrals": waiting or 0,
        "requests": asks,
        "follow_ups": follow_ups,
        "feedback": feedback,
        "applications": applications or 0,
        "plans": ready,
        "imports": [
            {"id": run.id, "rows": run.rows, "ok": run.state == ImportState.DONE}
            for run in queued_imports.unseen(db.session, actor.user_id)
        ],
        "exports": [
            {"id": run.id, "rows": run.rows, "ok": run.state == ExportState.DONE}
            for run in export_runs.unseen(db.session, actor.user_id)
        ],
    }
