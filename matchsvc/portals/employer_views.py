"""The employer portal: sign up, wait for approval, post and edit positions, see candidates
(masked until interest or referral) and record each referral's interview and outcome."""

from __future__ import annotations

from functools import partial
from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, select

from .. import clock
from ..actors import Actor
from ..auth.service import check_password_strength, check_username, create_user
from ..employers.forms import (
    MajorsForm,
    PositionForm,
    check_position_form,
    fill_position_form,
    position_input,
)
from ..employers.licence import licence_of, licence_type, save_licence, uploaded
from ..employers.service import (
    create_position,
    free_credit_code,
    register_employer,
    set_position_majors,
    set_position_status,
    update_position,
)
from ..errors import DomainError
from ..extensions import db
from ..majors.mapping import inferred_names
from ..matching import service as matching
from ..models import (
    HQ_CODE,
    Employer,
    EmployerKind,
    EmployerStatus,
    Graduate,
    Interest,
    InterestKind,
    Position,
    PositionKind,
    PositionStatus,
    Referral,
    ReferralState,
    Role,
    Surface,
    User,
    utcnow,
)
from ..orgs.service import org_choices
from ..outcomes import impressions
from ..referrals import deadlines
from ..referrals import interest as referrals_interest
from ..referrals.service import NEXT, get_referral, record_step
from ..text import split_list
from ..validators import parse_contact_phone
from ..web.forms import options, org_options
from ..web.guards import current_actor, employer_required, roles_required
from ..web.later import later
from ..web.pages import checked, confirm_first, confirmed, form_page, refused, refused_action
from ..web.regions import refreshing
from ..web.responses import attachment
from .employer_desk import counts_per_post, hire_words, scheduled_interview
from .forms import EmptyForm, LicenceForm, SignupForm, StepForm

bp = Blueprint("employer_portal", __name__, url_prefix="/employer")


def _employer() -> Employer:
    employer = db.session.get(Employer, current_user.employer_id)
    if employer is None:
        abort(403)
    return employer


def _own_position(employer: Employer, position_id: int) -> Position:
    position = db.session.get(Position, position_id)
    if position is None or position.employer_id != employer.id:
        abort(404)
    return position


@bp.route("/signup", methods=["GET", "POST"])
def signup() -> Any:
    """An employer signs up; every error is shown at once beside its field."""
    form = SignupForm()
    # nothing chosen for the employer: the union is theirs to pick (not the list's first)
    form.org.choices = org_options(
        [
            ("", "请选择审核您单位的工会"),
            *((c, n) for c, n in org_choices(db.session) if c != HQ_CODE),
        ]
    )
    if form.is_submitted() and not refreshing():
        valid = form.validate()
        username = (form.username.data or "").strip()
        uscc = form.uscc.data or ""
        upload = uploaded(form.licence.data)
        licence = upload.read() if upload else b""
        all_right = checked(  # every rule in the same round as the form's own validators
            form,
            {
                "uscc": lambda: free_credit_code(db.session, uscc),
                "contact_phone": lambda: parse_contact_phone(form.contact_phone.data),
                "username": lambda: check_username(db.session, username),
                "password": lambda: check_password_strength(form.password.data or ""),
                "licence": lambda: licence_type(licence) if licence else None,
            },
        )
        if not (valid and all_right):
            return form_page("portals/employer_signup.html", form)
        try:
            actor = Actor(role=Role.EMPLOYER, label=f"自助注册 {username}")
            employer = register_employer(
                db.session,
                actor,
                name=form.name.data or "",
                uscc=uscc,
                kind=EmployerKind(form.kind.data),
                org_code=form.org.data or "",
                region_code=form.region_code.data,
            )
            employer.contact_name = (form.contact_name.data or "").strip()
            employer.contact_phone = parse_contact_phone(form.contact_phone.data)
            create_user(
                db.session,
                actor,
                role=Role.EMPLOYER,
                username=username,
                password=form.password.data or "",
                employer_uscc=employer.uscc,
                display_name=employer.name,
            )
            if licence:
                save_licence(
                    db.session, actor, employer, upload.filename if upload else "", licence
                )
        except DomainError as err:
            return refused("portals/employer_signup.html", form, err)
        flash("注册已提交，请等待所选工会审核；审核通过后即可登录发布岗位。", "success")
        return redirect(url_for("auth.login"))
    return form_page("portals/employer_signup.html", form)


@bp.route("/")
@employer_required
def home() -> Any:
    employer = _employer()
    user = db.session.get(User, current_user.id)
    since = user.last_seen_at if user else None
    positions = db.session.scalars(
        select(Position)
        .where(Position.employer_id == employer.id)
        .order_by(Position.published_on.desc())
    ).all()
    ids = [p.id for p in positions]
    per_post = counts_per_post(db.session, ids)
    waiting = sum(c["waiting"] for c in per_post.values())
    new_interest = 0
    if ids:
        q = select(func.count()).where(
            Interest.position_id.in_(ids), Interest.kind == InterestKind.INTERESTED
        )
        new_interest = db.session.scalar(q.where(Interest.created_at > since) if since else q) or 0
    if user is not None:
        user.last_seen_at = utcnow()
    actor = current_actor()
    overdue = db.session.execute(
        deadlines.awaiting_feedback(actor).order_by(Referral.id).limit(50)
    ).all()
    rates = deadlines.answer_rates(db.session, actor, by="employer", key=employer.id)
    return render_template(
        "portals/employer_home.html",
        employer=employer,
        positions=positions,
        new_interest=new_interest,
        waiting=waiting,
        overdue=overdue,
        per_post=per_post,
        licence=licence_of(db.session, employer.id),
        licence_form=LicenceForm(),
        rate=rates[0] if rates else None,
        feedback_days=deadlines.days(),
        waited_days=deadlines.waited_days,
    )


@bp.route("/licence", methods=["GET", "POST"])
@employer_required
def licence() -> Any:
    """The employer's 营业执照: upload (or replace) it, or open the one uploaded."""
    employer = _employer()
    if request.method == "GET":
        held = licence_of(db.session, employer.id)
        if held is None:
            abort(404)
        return attachment(held.data, held.filename, held.content_type, inline=True)
    form = LicenceForm()
    upload = uploaded(form.licence.data) if form.validate_on_submit() else None
    try:
        data = upload.read() if upload else b""
        save_licence(db.session, current_actor(), employer, upload.filename if upload else "", data)
    except DomainError as err:
        return refused_action(err, url_for("employer_portal.home"), "未能上传：")
    flash("营业执照已上传，审核工会可以查看。", "success")
    return redirect(url_for("employer_portal.home"))


@bp.route("/positions/new", methods=["GET", "POST"])
@bp.route("/positions/<int:position_id>/edit", methods=["GET", "POST"])
@employer_required
def edit(position_id: int | None = None) -> Any:
    employer = _employer()
    if employer.status != EmployerStatus.APPROVED:
        flash("单位审核通过后才能发布岗位。", "error")
        return redirect(url_for("employer_portal.home"))
    position = _own_position(employer, position_id) if position_id else None
    form = PositionForm()
    if not form.is_submitted() and not refreshing():
        if position is not None:
            fill_position_form(form, position)
        else:
            form.work_region_code.data = employer.region_code
            form.kind.data = (
                PositionKind.PUBLIC_WELFARE
                if employer.kind == EmployerKind.PUBLIC_WELFARE
                else PositionKind.JOB
            ).value
    if form.validate_on_submit() and not refreshing():
        try:
            if position is None:
                position = create_position(
                    db.session, current_actor(), employer, position_input(form)
                )
            else:
                update_position(db.session, current_actor(), position, position_input(form))
        except DomainError as err:
            return refused("portals/position_form.html", form, err, position=position)
        flash(f"已保存岗位：{position.title}", "success")
        return redirect(url_for("employer_portal.position", position_id=position.id))
    if form.is_submitted() and not refreshing():
        check_position_form(form, employer.kind)
    return form_page("portals/position_form.html", form, position=position)


@bp.route("/positions/<int:position_id>/status", methods=["POST"])
@employer_required
def status(position_id: int) -> Any:
    employer = _employer()
    position = _own_position(employer, position_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    value = request.form.get("status", "")
    if value not in {s.value for s in PositionStatus}:
        abort(400)
    set_position_status(db.session, current_actor(), position, PositionStatus(value))
    flash(f"岗位状态已改为“{PositionStatus(value).label}”。", "success")
    return redirect(url_for("employer_portal.position", position_id=position.id))


@bp.route("/positions/<int:position_id>")
@employer_required
def position(position_id: int) -> Any:
    employer = _employer()
    pos = _own_position(employer, position_id)
    policy = matching.make_policy(db.session, current_app.config, clock.today())
    _, views = matching.candidates_for(db.session, current_actor(), pos.id, policy, 30)
    later(
        partial(
            impressions.candidates_shown, actor=current_actor(), surface=Surface.EMPLOYER,
            position_id=pos.id, items=[v.candidate for v in views],
        )
    )  # fmt: skip
    referrals = db.session.execute(
        select(Referral, Graduate)
        .join(Graduate, Graduate.id == Referral.graduate_id)
        .where(Referral.position_id == pos.id)
    ).all()
    interested = db.session.execute(
        select(Interest, Graduate)
        .join(Graduate, Graduate.id == Interest.graduate_id)
        .where(Interest.position_id == pos.id, Interest.kind == InterestKind.INTERESTED)
    ).all()
    return render_template(
        "portals/employer_position.html",
        p=pos,
        expired=pos.closes_on is not None and pos.closes_on < clock.today(),
        views=views,
        referrals=referrals,
        interested=interested,
        step_form=StepForm(),
        form=EmptyForm(),
        majors_form=MajorsForm(),
    )


@bp.route("/positions/<int:position_id>/majors", methods=["POST"])
@roles_required(Role.EMPLOYER, Role.OFFICER, Role.HQ)
def majors(position_id: int) -> Any:
    """Confirm the 专业类 read from the post's title, or correct them (employer or officer)."""
    actor = current_actor()
    pos = matching.get_position(db.session, actor, position_id)
    back = (
        url_for("employer_portal.position", position_id=pos.id)
        if actor.role == Role.EMPLOYER
        else url_for("matching.position", position_id=pos.id)
    )
    form = MajorsForm()
    if not form.validate_on_submit():
        flash("专业要求不超过 500 字，请重试。", "error")
        return redirect(back)
    wanted = (
        inferred_names(pos.inferred)
        if request.form.get("confirm")
        else split_list(form.majors.data)
    )
    try:
        set_position_majors(db.session, actor, pos, wanted)
    except DomainError as err:
        return refused_action(err, back)
    shown = "、".join(wanted) or "专业不限"
    flash(f"已保存专业要求：{shown}。", "success")
    return redirect(back)


@bp.route("/referrals/<int:referral_id>/step", methods=["GET", "POST"])
@roles_required(Role.EMPLOYER, Role.OFFICER, Role.HQ)
def step(referral_id: int) -> Any:
    """The next step of a referral or application, on a page of its own: the steps allowed
    after the current one (面试 only before it happened), the chosen one first; a refused step
    comes back with every error beside its field and what was typed."""
    actor = current_actor()
    referral = get_referral(db.session, actor, referral_id)
    graduate = db.session.get_one(Graduate, referral.graduate_id)
    position = db.session.get_one(Position, referral.position_id)
    back = (
        url_for("employer_portal.position", position_id=referral.position_id)
        if actor.role == Role.EMPLOYER
        else url_for("referrals.index")
    )
    allowed = NEXT.get(referral.state, ())
    if not allowed:
        return refused_action(
            DomainError(f"该推荐已是“{referral.state.label}”，不能再记录进展"), back
        )
    form = StepForm()
    form.state.choices = options([(s.value, s.label) for s in allowed])
    if not form.is_submitted():
        wanted = request.args.get("state", "")
        form.state.data = wanted if wanted in {s.value for s in allowed} else allowed[0].value
    context = {
        "r": referral,
        "g": graduate,
        "p": position,
        "back": back,
        "interview": scheduled_interview(referral),
    }
    if not form.validate_on_submit():
        return form_page("referrals/step.html", form, **context)
    if form.state.data == ReferralState.HIRED.value and not confirmed():
        return confirm_first(
            title="确认录用",
            message=hire_words(referral, graduate, position, form.on.data),
            action=url_for("employer_portal.step", referral_id=referral.id),
            fields={
                "state": form.state.data,
                "on": form.on.data.isoformat(),
                "reason": form.reason.data or "",
            },
            button=f"确认录用{graduate.name}",
            back=back,
        )
    try:
        record_step(
            db.session,
            actor,
            referral,
            ReferralState(form.state.data),
            form.on.data,
            form.reason.data,
            interview_at=form.interview_at.data,
            place=form.place.data,
        )
    except DomainError as err:
        if err.field is None:
            return refused_action(err, back, "未能记录：")
        return refused("referrals/step.html", form, err, **context)
    flash(f"已记录：{graduate.name} {ReferralState(form.state.data).label}。", "success")
    return redirect(back)


@bp.route("/interest/<int:interest_id>/take", methods=["POST"])
@employer_required
def take_interest(interest_id: int) -> Any:
    """The employer takes up a graduate's interest: it moves like an application from now on."""
    if not EmptyForm().validate_on_submit():
        abort(400)
    referral = referrals_interest.take_interest(
        db.session, current_actor(), interest_id, clock.today()
    )
    flash("已转入应聘处理，可以记录面试、录用或未录用。", "success")
    return redirect(url_for("employer_portal.position", position_id=referral.position_id))
