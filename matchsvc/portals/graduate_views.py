"""The graduate portal: activate with a code, see their profile and recommendations (or a plain
list), express interest, decline, report a signing, ask for a correction, download their data."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from .. import clock
from ..errors import DomainError
from ..extensions import db
from ..matching import loader
from ..matching import service as matching
from ..matching.engine.profiles import RECOMMENDATION_LABELS
from ..models import (
    Employer,
    GraduateRequest,
    Interest,
    InterestKind,
    Position,
    Referral,
    RequestKind,
    Role,
    User,
)
from ..referrals.service import set_interest
from ..web.guards import current_actor
from ..web.pages import refused, refused_action
from . import service
from .forms import ActivateForm, CorrectionForm, DeclineForm, EmptyForm, SignedForm

bp = Blueprint("graduate_portal", __name__)


def _me() -> Any:
    if not current_user.is_authenticated or current_user.role != Role.GRADUATE:
        abort(403)
    return service.own_graduate(db.session, current_actor())


@bp.route("/activate", methods=["GET", "POST"])
def activate() -> Any:
    form = ActivateForm()
    if form.validate_on_submit():
        try:
            service.activate(
                db.session,
                form.id_number.data or "",
                form.code.data or "",
                form.password.data or "",
            )
        except DomainError as err:
            return refused("portals/activate.html", form, err)
        flash("账号已激活，请用身份证号或手机号和刚设置的密码登录。", "success")
        return redirect(url_for("auth.login"))
    return render_template("portals/activate.html", form=form), 422 if form.is_submitted() else 200


@bp.route("/me")
@login_required
def home() -> Any:
    g = _me()
    policy = matching.make_policy(db.session, current_app.config, clock.today())
    sections = []
    new: set[int] = set()
    if g.personalised:
        for kind in ("job", "internship", "public", "training", "business"):
            items = matching.recommend(db.session, g, policy, kind, 10)
            sections.append((kind, RECOMMENDATION_LABELS[kind], items))
        user = db.session.get(User, current_user.id)
        shown = [
            r.id
            for kind, _, items in sections
            if kind in ("job", "internship", "public")
            for r in items
        ]
        if user is not None:
            new = service.mark_seen(user, shown)
    plain = [] if g.personalised else plain_list(g, policy.today)
    interests = {
        i.position_id: i
        for i in db.session.scalars(select(Interest).where(Interest.graduate_id == g.id))
    }
    referrals = db.session.execute(
        select(Referral, Position, Employer)
        .join(Position, Position.id == Referral.position_id)
        .join(Employer, Employer.id == Position.employer_id)
        .where(Referral.graduate_id == g.id)
    ).all()
    requests = db.session.scalars(
        select(GraduateRequest)
        .where(GraduateRequest.graduate_id == g.id)
        .order_by(GraduateRequest.created_at.desc())
    ).all()
    return render_template(
        "portals/graduate_home.html",
        g=g,
        sections=sections,
        plain=plain,
        new=new,
        interests=interests,
        referrals=referrals,
        requests=requests,
        form=EmptyForm(),
        decline_form=DeclineForm(),
        signed_form=SignedForm(),
        correction_form=CorrectionForm(),
    )


def plain_list(g: Any, today: date) -> list[Any]:
    """Open positions in the graduate's wished, origin and school provinces, newest first — no
    ranking by the graduate's profile."""
    provinces = {c[:2] for c in (g.wish_regions or [])} | {
        (g.origin_region_code or "")[:2],
        g.school_org.code[:2],
    }
    positions = loader.load_positions(db.session, today)
    found = [p for p in positions if p.region[:2] in provinces and p.id not in _declined(g.id)]
    found.sort(key=lambda p: -p.id)
    return found[:50]


def _declined(graduate_id: int) -> set[int]:
    return matching.declined_positions(db.session, graduate_id)


@bp.route("/me/positions/<int:position_id>/<any(interest, decline):action>", methods=["POST"])
@login_required
def interest(position_id: int, action: str) -> Any:
    _me()
    form = DeclineForm() if action == "decline" else EmptyForm()
    if not form.validate_on_submit():
        flash("请说明不感兴趣的原因。" if action == "decline" else "请求无效，请重试。", "error")
        return redirect(url_for("graduate_portal.home"))
    kind = InterestKind.DECLINED if action == "decline" else InterestKind.INTERESTED
    try:
        set_interest(
            db.session,
            current_actor(),
            position_id,
            kind,
            getattr(form, "reason", None) and form.reason.data,
        )
    except DomainError as err:
        return refused_action(err, url_for("graduate_portal.home"))
    flash(
        "已告知用人单位您感兴趣。"
        if kind == InterestKind.INTERESTED
        else "已记下，不再向您推荐这个岗位。",
        "success",
    )
    return redirect(url_for("graduate_portal.home"))


@bp.route("/me/signed", methods=["POST"])
@login_required
def signed() -> Any:
    _me()
    form = SignedForm()
    if not form.validate_on_submit():
        flash("请填写签约日期。", "error")
        return redirect(url_for("graduate_portal.home"))
    try:
        service.ask(
            db.session,
            current_actor(),
            RequestKind.SIGNED,
            form.text.data or "",
            signed_on=form.signed_on.data,
        )
    except DomainError as err:
        return refused_action(err, url_for("graduate_portal.home"))
    flash("已报告签约，工会工作人员核实后会更新您的就业状态。", "success")
    return redirect(url_for("graduate_portal.home"))


@bp.route("/me/correction", methods=["POST"])
@login_required
def correction() -> Any:
    _me()
    form = CorrectionForm()
    if not form.validate_on_submit():
        flash("请写明需要更正的内容。", "error")
        return redirect(url_for("graduate_portal.home"))
    service.ask(db.session, current_actor(), RequestKind.CORRECTION, form.text.data or "")
    flash("更正申请已提交给您的建档工会。", "success")
    return redirect(url_for("graduate_portal.home"))


@bp.route("/me/personalised", methods=["POST"])
@login_required
def personalised() -> Any:
    g = _me()
    if not EmptyForm().validate_on_submit():
        abort(400)
    g.personalised = not g.personalised
    flash(
        "已开启个性化推荐。"
        if g.personalised
        else "已关闭个性化推荐，下面按发布时间列出您所在地区的岗位。",
        "success",
    )
    return redirect(url_for("graduate_portal.home"))


@bp.route("/me/data.json")
@login_required
def download() -> Any:
    _me()
    data = service.export_all(db.session, current_actor())
    body = json.dumps(data, ensure_ascii=False, indent=2)
    return Response(
        body,
        mimetype="application/json",
        headers={
            "Content-Disposition": "attachment; filename=my-data.json",
            "Cache-Control": "no-store",
        },
    )
