"""回访: the home org's list of follow-ups due and overdue, one short form to record an answer
(for an officer, or the graduate in the portal), and retention per province."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from wtforms import SelectChoice

from .. import clock
from ..errors import DomainError
from ..extensions import db
from ..jurisdiction import get_graduate
from ..models import Role
from ..orgs.service import get_org, org_choices
from ..web.forms import OrgPickForm, options
from ..web.guards import current_actor, roles_required, staff_required
from ..web.pages import form_page, refused
from . import retention, service
from .forms import AnswerForm

bp = Blueprint("followups", __name__, url_prefix="/followups")

answer_roles = roles_required(Role.OFFICER, Role.HQ, Role.GRADUATE)


@bp.route("/")
@staff_required
def index() -> Any:
    actor = current_actor()
    org = None
    code = (request.args.get("org") or "").strip()
    if code:
        try:
            org = get_org(db.session, code)
        except DomainError:
            org = None
    pick = OrgPickForm(formdata=None, org=org.code if org else "")
    pick.org.choices = [
        SelectChoice("", "全部（本辖区）"),
        *options(org_choices(db.session, actor)),
    ]
    page = max(request.args.get("page", 1, type=int) or 1, 1)
    size = 50
    today = clock.today()
    rows = service.due(db.session, actor, on=today, org=org, limit=size, offset=(page - 1) * size)
    total = service.due_count(db.session, actor, on=today, org=org)
    return render_template(
        "followups/index.html",
        rows=rows,
        total=total,
        page=page,
        pages=max((total + size - 1) // size, 1),
        org=org,
        pick=pick,
        today=today,
        overdue_days=service.overdue_days,
        months_words="、".join(str(m) for m in service.months()),
    )


@bp.route("/<int:follow_up_id>", methods=["GET", "POST"])
@answer_roles
def answer(follow_up_id: int) -> Any:
    actor = current_actor()
    follow_up = service.get_follow_up(db.session, actor, follow_up_id)
    graduate = get_graduate(db.session, actor, follow_up.graduate_id)
    form = AnswerForm()
    context = {"f": follow_up, "g": graduate, "hire": follow_up.hire}
    if not form.validate_on_submit():
        return form_page("followups/answer.html", form, **context)
    try:
        service.answer(db.session, actor, follow_up.id, form.answer())
    except DomainError as err:
        return refused("followups/answer.html", form, err, **context)
    flash("回访已记录。" + ("" if form.still_employed.data == "yes" else _left_words(form)), "info")
    if actor.role == Role.GRADUATE:
        return redirect(url_for("graduate_portal.home"))
    return redirect(url_for("followups.index"))


def _left_words(form: AnswerForm) -> str:
    if form.wants_help.data == "yes":
        return "已恢复为未就业，将重新为其推荐岗位。"
    return "其后的回访不再进行；如需更改就业状态，请在档案中修改。"


@bp.route("/retention")
@staff_required
def retention_page() -> Any:
    actor = current_actor()
    return render_template(
        "followups/retention.html",
        rows=retention.by_province(db.session, actor),
        months=service.months(),
        stable_months=service.stable_months(),
    )
