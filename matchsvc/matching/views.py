"""The matcher on the officer's desk: a graduate's recommendations, a position's candidates,
referrals, the major review list and a placement plan."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for

from ..errors import DomainError
from ..extensions import db
from ..jurisdiction import get_graduate
from ..majors.catalogue import catalogue
from ..majors.service import correct, review_queue
from ..orgs.service import get_org
from ..web.pages import current_actor, own_org_code, refused, refused_action, staff_required
from . import service
from .forms import CorrectionForm, PlanForm, ReferForm

bp = Blueprint("matching", __name__, url_prefix="/matching")
_LINE = re.compile(r"^(\d{1,12}):(\d{1,12})$")


def _policy() -> Any:
    return service.make_policy(db.session, current_app.config, date.today())


def _safe_back(url: str | None, default: str) -> str:
    return url if url and url.startswith("/") and not url.startswith("//") else default


@bp.route("/graduates/<int:graduate_id>")
@staff_required
def graduate(graduate_id: int) -> Any:
    actor = current_actor()
    g = get_graduate(db.session, actor, graduate_id)
    policy = _policy()
    sections = []
    for kind in ("job", "internship", "public", "training", "business"):
        items = service.recommend(db.session, g, policy, kind, 10)
        sections.append((kind, service.KIND_LABELS[kind], items))
    return render_template("matching/graduate.html", g=g, sections=sections, form=ReferForm())


@bp.route("/positions/<int:position_id>")
@staff_required
def position(position_id: int) -> Any:
    actor = current_actor()
    pos, views = service.candidates_for(db.session, actor, position_id, _policy(), 50)
    return render_template("matching/position.html", p=pos, views=views, form=ReferForm())


@bp.route("/refer", methods=["POST"])
@staff_required
def refer() -> Any:
    form = ReferForm()
    if not form.validate_on_submit():
        abort(400)
    back = _safe_back(
        form.back.data, url_for("matching.graduate", graduate_id=form.graduate_id.data)
    )
    try:
        service.refer(
            db.session, current_actor(), form.graduate_id.data, form.position_id.data, date.today()
        )
    except DomainError as err:
        return refused_action(err, back, "未能推荐：")
    flash("已推荐，用人单位可在岗位的候选人中看到该毕业生。", "success")
    return redirect(back)


@bp.route("/majors", methods=["GET", "POST"])
@staff_required
def majors() -> Any:
    actor = current_actor()
    form = CorrectionForm()
    if form.validate_on_submit():
        try:
            changed = correct(db.session, actor, form.spelling.data, form.code.data)
        except DomainError as err:
            return refused("majors/review.html", form, err, items=review_queue(db.session, actor))
        flash(f"已记住“{form.spelling.data}”的专业对应，更新了 {changed} 条记录。", "success")
        return redirect(url_for("matching.majors"))
    if request.method == "POST":
        return render_template(
            "majors/review.html", form=form, items=review_queue(db.session, actor)
        ), 422
    return render_template("majors/review.html", form=form, items=review_queue(db.session, actor))


@bp.route("/majors/catalogue")
@staff_required
def catalogue_page() -> Any:
    q = (request.args.get("q") or "").strip()
    entries = [e for e in catalogue().entries if not q or q in e.name or e.code.startswith(q)][:300]
    return render_template("majors/catalogue.html", entries=entries, q=q)


@bp.route("/placement", methods=["GET", "POST"])
@staff_required
def placement() -> Any:
    actor = current_actor()
    code = request.values.get("org") or own_org_code(actor) or ""
    org = get_org(db.session, code)
    form = PlanForm(org=code)
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        lines = []
        for raw in request.form.getlist("line"):
            m = _LINE.match(raw)
            if not m:
                abort(400)
            lines.append((int(m.group(1)), int(m.group(2))))
        if not lines:
            flash("请至少选择一行方案。", "error")
            return redirect(url_for("matching.placement", org=code))
        applied = service.apply_plan(db.session, actor, lines, date.today())
        flash(f"已生成推荐记录 {applied.created} 条。", "success")
        for s in applied.skipped:
            flash(f"跳过：{s}", "error")
        return redirect(url_for("matching.placement", org=code))
    plan = service.placement_plan(db.session, actor, org, _policy())
    names, titles = service.plan_labels(db.session, plan)
    return render_template(
        "matching/placement.html", org=org, plan=plan, form=form, names=names, titles=titles
    )
