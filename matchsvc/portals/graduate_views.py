"""The graduate portal: activate with a code, see their profile and recommendations (or a plain
list), express interest, decline, report a signing, ask for a correction, download their data."""

from __future__ import annotations

import json
from functools import partial
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
from ..followups import service as followups
from ..internships import service as internship_service
from ..matching import service as matching
from ..models import (
    InterestKind,
    PositionKind,
    RequestKind,
    Surface,
    TrainingOffer,
)
from ..outcomes import impressions
from ..referrals.interest import set_interest
from ..referrals.service import apply
from ..web.forms import db_int
from ..web.guards import current_actor, graduate_required
from ..web.later import later
from ..web.pages import Again, form_page, refused, refused_action
from ..web.regions import refreshing
from ..web.responses import JSON, attachment
from .activation import Consent, activation_failed
from .activation import activate as activate_account
from .browse import SCOPES, browse_positions, position_page
from .forms import (
    ActivateForm,
    ApplyForm,
    CorrectionForm,
    DeclineForm,
    EmptyForm,
    LookingForm,
    SignedForm,
    WishesForm,
)
from .graduate import export_all, own_graduate
from .home import graduate_home, toggle_personalised, update_wishes
from .requests import ask, ask_to_look_again
from .requests import ask_training as request_training

bp = Blueprint("graduate_portal", __name__)
bp.add_app_template_global(matching.referral_words, "referral_words")


def _me() -> Any:
    return own_graduate(db.session, current_actor())


@bp.route("/activate", methods=["GET", "POST"])
def activate() -> Any:
    form = ActivateForm()
    if form.validate_on_submit():
        try:
            activate_account(
                db.session,
                form.id_number.data or "",
                form.code.data or "",
                form.password.data or "",
                source=request.remote_addr or "",
                consent=Consent(
                    privacy=bool(form.privacy.data),
                    by_sms=bool(form.by_sms.data),
                    by_email=bool(form.by_email.data),
                    email=form.email.data or "",
                ),
            )
        except DomainError as err:
            number, source = form.id_number.data or "", request.remote_addr or ""
            if err.field == "code":  # a wrong code or number (not a weak password): counted
                db.always(lambda s: activation_failed(s, number, source))
            return refused("portals/activate.html", form, err)
        flash("账号已激活，请用身份证号或手机号和刚设置的密码登录。", "success")
        return redirect(url_for("auth.login"))
    return form_page("portals/activate.html", form)


@bp.route("/me")
@graduate_required
def home() -> Any:
    policy = matching.make_policy(db.session, current_app.config, clock.today())
    page = graduate_home(db.session, current_actor(), policy)
    for kind, _, items in page.sections:  # recorded as shown once the page has gone out
        later(
            partial(
                impressions.shown_to, actor=current_actor(), surface=Surface.GRADUATE,
                graduate_id=page.graduate.id, kind=kind, items=items,
            )
        )  # fmt: skip
    return render_template(
        "portals/graduate_home.html",
        g=page.graduate,
        sections=page.sections,
        plain=page.plain,
        new=page.new,
        interests=page.interests,
        referrals=page.referrals,
        requests=page.requests,
        training_asked=page.training_asked,
        looking_form=LookingForm(),
        form=EmptyForm(),
        decline_form=DeclineForm(),
        signed_form=SignedForm(),
        correction_form=CorrectionForm(),
        follow_ups=followups.open_follow_ups_of(db.session, page.graduate.id),
        internships=internship_service.agreements_of(db.session, page.graduate.id),
    )


@bp.route("/me/positions/<int:position_id>/<any(interest, decline):action>", methods=["POST"])
@graduate_required
def interest(position_id: int, action: str) -> Any:
    _me()
    form = DeclineForm() if action == "decline" else EmptyForm()
    if not form.validate_on_submit():
        if action != "decline":
            abort(400)
        return Again.small(
            title="不感兴趣",
            action=url_for("graduate_portal.interest", position_id=position_id, action=action),
            back=url_for("graduate_portal.home"),
            button="不再推荐",
        )(form)
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
    home = url_for("graduate_portal.home")

    again = Again.small(
        title="报告已签约",
        action=url_for("graduate_portal.signed"),
        back=home,
        button="报告已签约",
    )

    if not form.validate_on_submit():
        return again(form)
    try:
        ask(
            db.session,
            current_actor(),
            RequestKind.SIGNED,
            form.text.data or "",
            signed_on=form.signed_on.data,
        )
    except DomainError as err:
        return again(form, err)
    flash("已报告签约，工会工作人员核实后会更新您的就业状态。", "success")
    return redirect(home)


@bp.route("/me/looking", methods=["POST"])
@graduate_required
def looking() -> Any:
    _me()
    form = LookingForm()
    if not form.validate_on_submit():
        return Again.small(
            title="仍在求职",
            action=url_for("graduate_portal.looking"),
            back=url_for("graduate_portal.home"),
            button="我仍在求职，继续为我推荐岗位",
        )(form)
    try:
        ask_to_look_again(db.session, current_actor(), form.text.data or "")
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
        return Again.small(
            title="申请更正档案",
            action=url_for("graduate_portal.correction"),
            back=url_for("graduate_portal.home"),
            button="提交更正申请",
        )(form)
    ask(db.session, current_actor(), RequestKind.CORRECTION, form.text.data or "")
    flash("更正申请已提交给您的建档工会。", "success")
    return redirect(url_for("graduate_portal.home"))


@bp.route("/me/personalised", methods=["POST"])
@graduate_required
def personalised() -> Any:
    if not EmptyForm().validate_on_submit():
        abort(400)
    on = toggle_personalised(db.session, current_actor())
    flash(
        "已开启个性化推荐。" if on else "已关闭个性化推荐，下面按发布时间列出您所在地区的岗位。",
        "success",
    )
    return redirect(url_for("graduate_portal.home"))


@bp.route("/me/data.json")
@graduate_required
def download() -> Any:
    _me()
    data = export_all(db.session, current_actor())
    body = json.dumps(data, ensure_ascii=False, indent=2)
    return attachment(body, "我的个人数据.json", JSON)


@bp.route("/me/positions")
@graduate_required
def positions() -> Any:
    """Every open position within the graduate's wished regions, searched and filtered."""
    q = (request.args.get("q") or "").strip()[:100]
    kind = request.args.get("kind") or ""
    region = request.args.get("region") or ""
    scope = request.args.get("scope") or "wished"
    page = request.args.get("page", 1, type=db_int) or 1
    found = browse_positions(
        db.session,
        current_actor(),
        clock.today(),
        q=q,
        kind=kind,
        region=region,
        scope=scope,
        page=page,
    )
    states = matching.engagement(db.session, current_actor().graduate_id or 0)
    return render_template(
        "portals/graduate_positions.html",
        found=found,
        q=q,
        kind=kind,
        region=region,
        scope=found.scope,
        scopes=SCOPES,
        page=max(page, 1),
        kinds=PositionKind.choices(),
        states=states,
    )


@bp.route("/me/positions/<int:position_id>")
@graduate_required
def position(position_id: int) -> Any:
    policy = matching.make_policy(db.session, current_app.config, clock.today())
    page = position_page(db.session, current_actor(), position_id, policy)
    return render_template(
        "portals/graduate_position.html",
        page=page,
        p=page.position,
        state=page.state,
        apply_form=ApplyForm(),
        form=EmptyForm(),
        decline_form=DeclineForm(),
    )


@bp.route("/me/positions/<int:position_id>/apply", methods=["POST"])
@graduate_required
def apply_to(position_id: int) -> Any:
    """我要应聘: reaches the employer and the graduate's home-org officer."""
    back = url_for("graduate_portal.position", position_id=position_id)
    form = ApplyForm()
    if not form.validate_on_submit():
        flash("应聘未提交：附言不超过 500 字。", "error")
        return redirect(back)
    try:
        apply(db.session, current_actor(), position_id, clock.today(), form.note.data or "")
    except DomainError as err:
        return refused_action(err, back, "未能应聘：")
    flash("已应聘，用人单位和您的建档工会都已收到；进展会通知您。", "success")
    return redirect(back)


@bp.route("/me/wishes", methods=["GET", "POST"])
@graduate_required
def wishes() -> Any:
    g = _me()
    form = WishesForm()
    if not form.is_submitted():
        form.fill(g)
    if form.validate_on_submit() and not refreshing():
        try:
            changed = update_wishes(db.session, current_actor(), form.values())
        except DomainError as err:
            return refused("portals/wishes.html", form, err, g=g)
        flash("已保存求职意向。" if changed else "没有改动。", "success")
        return redirect(url_for("graduate_portal.home"))
    return form_page("portals/wishes.html", form, g=g)


@bp.route("/me/training/<int:offer_id>/ask", methods=["POST"])
@graduate_required
def ask_training(offer_id: int) -> Any:
    back = url_for("graduate_portal.home")
    if not EmptyForm().validate_on_submit():
        abort(400)
    if db.session.get(TrainingOffer, offer_id) is None:
        abort(404)
    try:
        request_training(db.session, current_actor(), offer_id)
    except DomainError as err:
        return refused_action(err, back, "未能报名：")
    flash("已报名，建档工会确认后即为正式报名。", "success")
    return redirect(back)
