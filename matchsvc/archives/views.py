"""The archive's lifecycle in the officer's desk (each step its own page, the lists by state,
the 年度复核) and the public online application."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from sqlalchemy import select

from .. import clock
from ..auth import throttle
from ..errors import DomainError
from ..extensions import db
from ..jurisdiction import get_graduate, graduate_edit_scope
from ..models import (
    CANCEL_REASONS,
    HQ_CODE,
    RECOVERY_REASONS,
    REOPEN_REASONS,
    ArchiveReason,
    ArchiveState,
    Degree,
    Graduate,
    ReviewOutcome,
)
from ..orgs.service import org_choices
from ..web.forms import org_options
from ..web.guards import current_actor, staff_required
from ..web.pages import form_page, refused, refused_action
from . import application, review, service
from .forms import ApplyForm, DrawForm, OutcomeForm, StepForm, reason_choices

bp = Blueprint("archives", __name__)

PAGE = 50


def _reasons(graduate: Graduate, to: ArchiveState) -> tuple[ArchiveReason, ...]:
    if service.is_reopen(graduate, to):
        return REOPEN_REASONS
    return {ArchiveState.RECOVERED: RECOVERY_REASONS, ArchiveState.CANCELLED: CANCEL_REASONS}.get(
        to, ()
    )


@bp.route("/graduates/<int:graduate_id>/archive/<step>", methods=["GET", "POST"])
@staff_required
def step(graduate_id: int, step: str) -> Any:
    actor = current_actor()
    graduate = get_graduate(db.session, actor, graduate_id, edit=True)
    try:
        to = ArchiveState(step)
    except ValueError:
        abort(404)
    allowed = service.next_steps(db.session, graduate)
    back = url_for("graduates.detail", graduate_id=graduate.id)
    if to not in allowed:
        flash(f"档案当前为“{graduate.archive_state.label}”，不能办理这一步", "error")
        return redirect(back)
    form = StepForm()
    reasons = _reasons(graduate, to)
    form.reason.choices = reason_choices(reasons)
    context = {
        "g": graduate,
        "to": to,
        "title": service.step_label(graduate, to),
        "reasons": reasons,
        "back": back,
        "publicity_days": service.publicity_days(),
    }
    if request.method == "GET" and to == ArchiveState.PUBLICISED:
        form.ends_on.data = clock.today() + timedelta(days=service.publicity_days() - 1)
    if not form.validate_on_submit():
        return form_page("archives/step.html", form, **context)
    try:
        service.take(db.session, actor, graduate, form_step(form, to))
    except DomainError as err:
        return refused("archives/step.html", form, err, **context)
    flash(f"已办理：{context['title']}（{graduate.name}）", "info")
    return redirect(back)


def form_step(form: StepForm, to: ArchiveState) -> service.Step:
    confirmed = {"yes": True, "no": False}.get(form.confirmed.data or "")
    return service.Step(
        to=to,
        on=form.on.data or clock.today(),
        reason=ArchiveReason(form.reason.data) if form.reason.data else None,
        note=form.note.data,
        visitors=form.visitors.data,
        confirmed=confirmed,
        consent=bool(form.consent.data),
        ends_on=form.ends_on.data,
        objections=form.objections.data,
        objection_upheld=bool(form.objection_upheld.data),
    )


@bp.route("/archives/")
@staff_required
def index() -> Any:
    """The archives the officer keeps, by state; applications first."""
    actor = current_actor()
    state = request.args.get("state") or ArchiveState.APPLIED.value
    try:
        chosen = ArchiveState(state)
    except ValueError:
        abort(404)
    counts = service.counts_by_state(db.session, graduate_edit_scope(actor))
    page = max(request.args.get("page", 1, type=int) or 1, 1)
    query = (
        select(Graduate)
        .where(graduate_edit_scope(actor), Graduate.archive_state == chosen)
        .order_by(Graduate.archive_since, Graduate.id)
    )
    total = counts.get(chosen, 0)
    rows = db.session.scalars(query.limit(PAGE).offset((page - 1) * PAGE)).all()
    return render_template(
        "archives/index.html",
        states=list(ArchiveState),
        counts=counts,
        chosen=chosen,
        rows=rows,
        total=total,
        page=page,
        pages=max((total + PAGE - 1) // PAGE, 1),
        today=clock.today(),
    )


@bp.route("/apply", methods=["GET", "POST"])
def apply() -> Any:
    """The public online application (no sign-in): a graduate or their family applies."""
    form = ApplyForm()
    form.home_org.choices = org_options(
        [("", "请选择受理工会"), *(c for c in org_choices(db.session) if c[0] != HQ_CODE)]
    )
    form.school_region.choices = org_options(c for c in org_choices(db.session) if c[0] != HQ_CODE)
    if request.method == "GET":
        form.degree.data = Degree.BENKE.value
    source = request.remote_addr or ""
    now = clock.now()
    if not form.validate_on_submit():
        return form_page("archives/apply.html", form)
    if throttle.blocked(db.session, throttle.APPLY_FROM_SOURCE, source, now=now):
        form.consent.errors = ["提交过于频繁，请一小时后再试，或直接联系当地工会"]
        return render_template("archives/apply.html", form=form), 429
    try:
        received = application.apply_online(
            db.session, form.to_input(), consent=bool(form.consent.data)
        )
    except DomainError as err:
        return refused("archives/apply.html", form, err)
    throttle.fail(db.session, throttle.APPLY_FROM_SOURCE, source, now=now)
    return render_template("archives/applied.html", message=received.message)


@bp.route("/reviews/", methods=["GET", "POST"])
@staff_required
def reviews() -> Any:
    actor = current_actor()
    form = DrawForm()
    if request.method == "GET":
        form.year.data = clock.today().year
    items = review.reviews(db.session, actor)
    context = {"reviews": items, "progress": {r.id: review.progress(db.session, r) for r in items}}
    if not form.validate_on_submit():
        return form_page("archives/reviews.html", form, **context)
    try:
        drawn = review.draw(
            db.session,
            actor,
            form.year.data or clock.today().year,
            share=form.share.data or review.DEFAULT_SHARE,
            seed=form.seed.data,
        )
    except DomainError as err:
        return refused("archives/reviews.html", form, err, **context)
    flash(f"已抽取 {drawn.year} 年度复核样本 {len(drawn.items)} 份", "info")
    return redirect(url_for("archives.review_page", review_id=drawn.id))


@bp.route("/reviews/<int:review_id>")
@staff_required
def review_page(review_id: int) -> Any:
    actor = current_actor()
    item = review.get_review(db.session, actor, review_id)
    page = max(request.args.get("page", 1, type=int) or 1, 1)
    rows = review.items_page(db.session, actor, item, PAGE, (page - 1) * PAGE)
    done = review.progress(db.session, item)
    return render_template(
        "archives/review.html",
        review=item,
        rows=rows,
        progress=done,
        page=page,
        pages=max((done.drawn + PAGE - 1) // PAGE, 1),
        form=OutcomeForm(),
        outcomes=list(ReviewOutcome),
    )


@bp.route("/reviews/<int:review_id>/outcome", methods=["POST"])
@staff_required
def outcome(review_id: int) -> Any:
    """One drawn archive's outcome (the archive named in the form)."""
    actor = current_actor()
    item = review.get_review(db.session, actor, review_id)
    form = OutcomeForm()
    back = url_for("archives.review_page", review_id=item.id)
    if not form.validate_on_submit():
        flash("请选择复核结果", "error")
        return redirect(back)
    graduate = get_graduate(db.session, actor, form.graduate_id.data or 0, edit=True)
    try:
        review.record_outcome(
            db.session,
            actor,
            item,
            graduate,
            ReviewOutcome(form.outcome.data),
            clock.today(),
            form.note.data,
        )
    except DomainError as err:
        return refused_action(err, back, f"{graduate.name}：")
    flash(f"已记录 {graduate.name} 的复核结果", "info")
    return redirect(back)
