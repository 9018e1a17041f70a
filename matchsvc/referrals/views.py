"""Officers' referrals: 推荐 a graduate to a position, and the referrals waiting for a result."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from ..clock import today
from ..errors import DomainError
from ..extensions import db
from ..models import Interest, Referral
from ..portals.forms import EmptyForm, StepForm
from ..web.guards import current_actor, staff_required
from ..web.pages import refused_action
from . import deadlines, service
from .forms import ReferForm
from .interest import interest_waiting

bp = Blueprint("referrals", __name__)


def safe_back(url: str | None, default: str) -> str:
    """Where a button returns to: a path on this site only."""
    return url if url and url.startswith("/") and not url.startswith("//") else default


@bp.route("/matching/refer", methods=["POST"])
@staff_required
def refer() -> Any:
    form = ReferForm()
    if not form.validate_on_submit():
        abort(400)
    back = safe_back(
        form.back.data, url_for("matching.graduate", graduate_id=form.graduate_id.data)
    )
    try:
        service.refer(
            db.session,
            current_actor(),
            form.graduate_id.data or 0,
            form.position_id.data or 0,
            today(),
        )
    except DomainError as err:
        return refused_action(err, back, "未能推荐：")
    flash("已推荐，用人单位可在岗位的候选人中看到该毕业生。", "success")
    return redirect(back)


@bp.route("/officer/referrals")
@staff_required
def index() -> Any:
    actor = current_actor()
    rows = db.session.execute(service.waiting(actor).order_by(Referral.created_at)).all()
    interest = db.session.execute(
        interest_waiting(actor).order_by(Interest.created_at).limit(200)
    ).all()
    return render_template(
        "referrals/index.html",
        rows=rows,
        interest=interest,
        step_form=StepForm(),
        refer_form=ReferForm(),
        rates=deadlines.answer_rates(db.session, actor, by="org"),
        feedback_days=deadlines.days(),
    )


@bp.route("/officer/referrals/<int:referral_id>/chase", methods=["POST"])
@staff_required
def chase(referral_id: int) -> Any:
    """催办 a referral the employer has not answered within the deadline."""
    if not EmptyForm().validate_on_submit():
        abort(400)
    back = safe_back(request.form.get("back"), url_for("worklist.index"))
    try:
        deadlines.chase(db.session, current_actor(), referral_id)
    except DomainError as err:
        return refused_action(err, back, "未能催办：")
    flash("已催办，用人单位收到了通知。", "success")
    return redirect(back)
