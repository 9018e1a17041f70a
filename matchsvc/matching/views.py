"""The matcher on the officer's desk: a graduate's recommendations, a position's candidates,
referrals, the major review list and a placement plan."""

from __future__ import annotations

import re
from functools import partial
from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for

from .. import clock
from ..employers.forms import MajorsForm
from ..extensions import db
from ..jurisdiction import get_graduate
from ..models import Surface
from ..orgs.service import get_org, org_choices
from ..outcomes import impressions
from ..referrals.forms import ReferForm
from ..referrals.service import apply_plan
from ..web.forms import OrgPickForm, org_options
from ..web.guards import current_actor, own_org_code, staff_required
from ..web.later import later
from ..web.queued import defer_when_committed
from . import plans, service
from .engine.profiles import RECOMMENDATION_LABELS
from .forms import PlanForm

bp = Blueprint("matching", __name__, url_prefix="/matching")
_LINE = re.compile(r"^(\d{1,12}):(\d{1,12})$")


def _policy() -> Any:
    return service.make_policy(db.session, current_app.config, clock.today())


@bp.route("/graduates/<int:graduate_id>")
@staff_required
def graduate(graduate_id: int) -> Any:
    actor = current_actor()
    g = get_graduate(db.session, actor, graduate_id)
    policy = _policy()
    sections = []
    for kind in service.recommendation_kinds(g, policy.today):
        items = service.recommend(db.session, g, policy, kind, 10)
        later(
            partial(
                impressions.shown_to, actor=actor, surface=Surface.OFFICER, graduate_id=g.id,
                kind=kind, items=items,
            )
        )  # fmt: skip
        sections.append((kind, RECOMMENDATION_LABELS[kind], items))
    return render_template("matching/graduate.html", g=g, sections=sections, form=ReferForm())


@bp.route("/positions/<int:position_id>")
@staff_required
def position(position_id: int) -> Any:
    actor = current_actor()
    pos, views = service.candidates_for(db.session, actor, position_id, _policy(), 50)
    later(
        partial(
            impressions.candidates_shown, actor=actor, surface=Surface.CANDIDATES,
            position_id=pos.id, items=[v.candidate for v in views],
        )
    )  # fmt: skip
    return render_template(
        "matching/position.html", p=pos, views=views, form=ReferForm(), majors_form=MajorsForm()
    )


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
        if request.form.get("action") == "queue":
            run, new = plans.queue_plan(db.session, actor, org, _policy())
            if new:
                defer_when_committed("placement_queue", run.id)
            flash(
                f"已排队生成 {org.name} 的安置方案（{run.graduates} 名毕业生），生成后会通知您。"
                if new
                else "该组织的安置方案已在排队或计算中。",
                "success",
            )
            return redirect(url_for("matching.placement", org=code))
        lines = []
        for raw in request.form.getlist("line"):
            m = _LINE.match(raw)
            if not m:
                abort(400)
            lines.append((int(m.group(1)), int(m.group(2))))
        if not lines:
            flash("请至少选择一行方案。", "error")
            return redirect(url_for("matching.placement", org=code))
        applied = apply_plan(db.session, actor, lines, clock.today())
        flash(f"已生成推荐记录 {applied.created} 条。", "success")
        for s in applied.skipped:
            flash(f"跳过：{s}", "error")
        return redirect(url_for("matching.placement", org=code))
    pick = OrgPickForm(formdata=None, org=org.code)
    pick.org.choices = org_options(org_choices(db.session, actor))
    page = plans.plan_page(db.session, actor, org, _policy(), current_app.config)
    names, titles = service.plan_labels(db.session, page.plan) if page.plan else ({}, {})
    if page.plan is not None:
        later(partial(impressions.plan_shown, actor=actor, org_id=org.id, plan=page.plan))
    return render_template(
        "matching/placement.html",
        org=org,
        page=page,
        plan=page.plan,
        run=page.run,
        form=form,
        pick=pick,
        names=names,
        titles=titles,
    )
