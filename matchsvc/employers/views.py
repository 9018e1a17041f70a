"""Officers register and approve employers, and enter positions on their behalf."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from sqlalchemy import select

from ..auth.service import reset_password_by_union
from ..errors import DomainError
from ..extensions import db
from ..models import EmployerKind, Position, PositionKind, User
from ..orgs.service import org_choices
from ..referrals import deadlines
from ..web.forms import db_int, org_options
from ..web.guards import current_actor, own_org_code, staff_required
from ..web.pages import confirm_first, confirmed, form_page, refused, refused_action
from ..web.regions import refreshing
from ..web.responses import attachment
from . import service
from .forms import (
    DecisionForm,
    EmployerForm,
    PositionForm,
    RejectForm,
    check_position_form,
    position_input,
)
from .licence import licence_of

bp = Blueprint("employers", __name__, url_prefix="/employers")


@bp.route("/", methods=["GET", "POST"])
@staff_required
def index() -> Any:
    actor = current_actor()
    form = EmployerForm()
    form.org.choices = org_options(org_choices(db.session, actor))
    if not form.is_submitted():
        form.org.data = own_org_code(actor)
    context = {
        "employers": service.employers_in_region(db.session, actor),
        "decision": DecisionForm(),
    }
    if form.validate_on_submit() and not refreshing():
        try:
            employer = service.register_employer(
                db.session,
                actor,
                name=form.name.data or "",
                uscc=form.uscc.data or "",
                kind=EmployerKind(form.kind.data),
                org_code=form.org.data or "",
                region_code=form.region_code.data,
                approve=True,
            )
        except DomainError as err:
            return refused("employers/index.html", form, err, **context)
        flash(f"已登记并审核通过：{employer.name}", "info")
        return redirect(url_for("employers.detail", employer_id=employer.id))
    return form_page("employers/index.html", form, **context)


@bp.route("/<int:employer_id>/approve", methods=["POST"])
@staff_required
def approve(employer_id: int) -> Any:
    actor = current_actor()
    employer = service.get_employer(db.session, actor, employer_id)
    if not DecisionForm().validate_on_submit():
        raise DomainError("表单无效，请重试")
    service.approve_employer(db.session, actor, employer)
    flash(f"{employer.name}：{employer.status.label}", "info")
    return redirect(url_for("employers.detail", employer_id=employer.id))


@bp.route("/<int:employer_id>/reject", methods=["GET", "POST"])
@staff_required
def reject(employer_id: int) -> Any:
    """不通过 is a page of its own: the registration, why, and the phone the employer may call;
    nothing changes until it is sent."""
    actor = current_actor()
    employer = service.get_employer(db.session, actor, employer_id)
    form = RejectForm()
    if form.validate_on_submit():
        try:
            service.reject_employer(
                db.session, actor, employer, form.reason.data or "", form.phone.data or ""
            )
        except DomainError as err:
            return refused("employers/reject.html", form, err, employer=employer)
        flash(f"{employer.name}：未通过，原因和联系电话已告知该单位；如有误可撤销。", "info")
        return redirect(url_for("employers.detail", employer_id=employer.id))
    return form_page("employers/reject.html", form, employer=employer)


@bp.route("/<int:employer_id>/reopen", methods=["POST"])
@staff_required
def reopen(employer_id: int) -> Any:
    """撤销不通过: the registration waits for review again."""
    actor = current_actor()
    employer = service.get_employer(db.session, actor, employer_id)
    back = url_for("employers.detail", employer_id=employer.id)
    if not DecisionForm().validate_on_submit():
        raise DomainError("表单无效，请重试")
    try:
        service.reopen_employer(db.session, actor, employer)
    except DomainError as err:
        return refused_action(err, back)
    flash(f"{employer.name}：已撤销“不通过”，重新等待审核。", "info")
    return redirect(back)


@bp.route("/<int:employer_id>", methods=["GET", "POST"])
@staff_required
def detail(employer_id: int) -> Any:
    actor = current_actor()
    employer = service.get_employer(db.session, actor, employer_id)
    form = PositionForm()
    if not form.is_submitted():
        form.work_region_code.data = employer.region_code
        form.kind.data = (
            PositionKind.PUBLIC_WELFARE.value
            if employer.kind == EmployerKind.PUBLIC_WELFARE
            else PositionKind.JOB.value
        )
    positions = db.session.scalars(
        select(Position)
        .where(Position.employer_id == employer.id)
        .order_by(Position.published_on.desc())
    ).all()
    accounts = db.session.scalars(
        select(User).where(User.employer_id == employer.id).order_by(User.id)
    ).all()
    context = {
        "employer": employer,
        "positions": positions,
        "accounts": accounts,
        "decision": DecisionForm(),
        "licence": licence_of(db.session, employer.id),
        "rate": next(
            iter(deadlines.answer_rates(db.session, actor, by="employer", key=employer.id)), None
        ),
        "feedback_days": deadlines.days(),
    }
    if form.validate_on_submit():
        data = position_input(form)
        try:
            position = service.create_position(db.session, actor, employer, data)
        except DomainError as err:
            return refused("employers/detail.html", form, err, **context)
        flash(f"已发布岗位：{position.title}", "info")
        return redirect(url_for("employers.detail", employer_id=employer.id))
    if form.is_submitted() and not refreshing():
        check_position_form(form, employer.kind)
    return form_page("employers/detail.html", form, **context)


@bp.route("/<int:employer_id>/password", methods=["POST"])
@staff_required
def reset_password(employer_id: int) -> Any:
    """The approving union resets an employer account's password (asked first, audited); the
    temporary password is shown once."""
    actor = current_actor()
    employer = service.get_employer(db.session, actor, employer_id)
    if not DecisionForm().validate_on_submit():
        abort(400)
    user_id = request.form.get("user_id", type=db_int)
    if user_id is None:
        abort(400)  # which account is not said
    user = db.session.get(User, user_id)
    if user is None or user.employer_id != employer.id:
        abort(404)
    back = url_for("employers.detail", employer_id=employer.id)
    if not confirmed():
        return confirm_first(
            title="重置密码",
            message=f"为“{employer.name}”的账号 {user.username} 重置密码？原密码立即失效，"
            "该账号在所有设备上的登录都会退出。新密码只显示一次，请当面或电话告知联系人。",
            action=url_for("employers.reset_password", employer_id=employer.id),
            fields={"user_id": str(user.id)},
            button="确认重置",
            back=back,
        )
    password = reset_password_by_union(db.session, actor, user)
    return render_template(
        "employers/password.html", employer=employer, user=user, password=password, back=back
    )


@bp.route("/<int:employer_id>/licence")
@staff_required
def licence(employer_id: int) -> Any:
    """The employer's 营业执照, for the officers of its region (who review it)."""
    employer = service.get_employer(db.session, current_actor(), employer_id)
    held = licence_of(db.session, employer.id)
    if held is None:
        abort(404)
    return attachment(held.data, held.filename, held.content_type, inline=True)
