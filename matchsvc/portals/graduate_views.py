"""The graduate portal: activate with a code, see their profile and recommendations (or a plain
list), express interest, decline, report a signing, ask for a correction, download their data."""

from __future__ import annotations

import json
from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)

from .. import clock
from ..errors import DomainError
from ..extensions import db
from ..matching import service as matching
from ..models import (
    InterestKind,
    RequestKind,
)
from ..referrals.service import set_interest
from ..web.guards import current_actor, graduate_required
from ..web.pages import form_page, refused, refused_action
from ..web.responses import JSON, attachment
from . import service
from .forms import (
    ActivateForm,
    CorrectionForm,
    DeclineForm,
    EmptyForm,
    LookingForm,
    SignedForm,
)

bp = Blueprint("graduate_portal", __name__)


def _me() -> Any:
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
                source=request.remote_addr or "",
            )
        except DomainError as err:
            number, source = form.id_number.data or "", request.remote_addr or ""
            if err.field == "code":  # a wrong code or number (not a weak password): counted
                db.always(lambda s: service.activation_failed(s, number, source))
            return refused("portals/activate.html", form, err)
        flash("账号已激活，请用身份证号或手机号和刚设置的密码登录。", "success")
        return redirect(url_for("auth.login"))
    return form_page("portals/activate.html", form)


@bp.route("/me")
@graduate_required
def home() -> Any:
    policy = matching.make_policy(db.session, current_app.config, clock.today())
    page = service.graduate_home(db.session, current_actor(), policy)
    return render_template(
        "portals/graduate_home.html",
        g=page.graduate,
        sections=page.sections,
        plain=page.plain,
        new=page.new,
        interests=page.interests,
        referrals=page.referrals,
        requests=page.requests,
        looking_form=LookingForm(),
        form=EmptyForm(),
        decline_form=DeclineForm(),
        signed_form=SignedForm(),
        correction_form=CorrectionForm(),
    )


@bp.route("/me/positions/<int:position_id>/<any(interest, decline):action>", methods=["POST"])
@graduate_required
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
@graduate_required
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


@bp.route("/me/looking", methods=["POST"])
@graduate_required
def looking() -> Any:
    _me()
    form = LookingForm()
    if not form.validate_on_submit():
        flash("请求无效，请重试（情况说明不超过 500 字）。", "error")
        return redirect(url_for("graduate_portal.home"))
    try:
        service.ask_to_look_again(db.session, current_actor(), form.text.data or "")
    except DomainError as err:
        return refused_action(err, url_for("graduate_portal.home"))
    flash("已恢复岗位推荐，并告知了您的建档工会。", "success")
    return redirect(url_for("graduate_portal.home"))


@bp.route("/me/correction", methods=["POST"])
@graduate_required
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
@graduate_required
def personalised() -> Any:
    if not EmptyForm().validate_on_submit():
        abort(400)
    on = service.toggle_personalised(db.session, current_actor())
    flash(
        "已开启个性化推荐。" if on else "已关闭个性化推荐，下面按发布时间列出您所在地区的岗位。",
        "success",
    )
    return redirect(url_for("graduate_portal.home"))


@bp.route("/me/data.json")
@graduate_required
def download() -> Any:
    _me()
    data = service.export_all(db.session, current_actor())
    body = json.dumps(data, ensure_ascii=False, indent=2)
    return attachment(body, "我的个人数据.json", JSON)
