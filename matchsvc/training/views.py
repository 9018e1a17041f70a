"""Training offers: create, enrol graduates, record completion."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import Blueprint, flash, redirect, url_for
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField, ValidationError
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from .. import clock
from ..errors import DomainError, NotFound
from ..extensions import db
from ..models import Graduate, TrainingEnrollment, TrainingKind
from ..orgs.service import org_choices
from ..web.forms import REQUIRED, CountField, DateField, db_int, options, org_options
from ..web.guards import current_actor, own_org_code, staff_required
from ..web.pages import form_page, refused
from ..web.regions import RegionField, refreshing
from . import service

bp = Blueprint("training", __name__, url_prefix="/training")


class OfferForm(FlaskForm):
    name = StringField("项目名称", validators=[DataRequired(REQUIRED), Length(max=200)])
    kind = SelectField("培训类别", choices=options(TrainingKind.choices()))
    skills = StringField(
        "培训内容（技能或职业）", validators=[DataRequired(REQUIRED), Length(max=500)]
    )
    certificate = StringField("可获证书", validators=[Optional(), Length(max=200)])
    org = SelectField("主办单位", validators=[DataRequired(REQUIRED)])
    region_code = RegionField("培训地点", validators=[DataRequired("请选择培训地点")])
    starts_on = DateField("开班日期", validators=[DataRequired(REQUIRED)])
    ends_on = DateField("结业日期", validators=[DataRequired(REQUIRED)])
    seats = CountField("名额", minimum=1, maximum=100000, validators=[InputRequired(REQUIRED)])
    signup_closes_on = DateField("报名截止", validators=[DataRequired(REQUIRED)])


class EnrolForm(FlaskForm):
    """A trainee chosen by name (辖区内希望参加培训的毕业生), or — for one not in that list — by
    the whole ID number from their papers."""

    graduate = SelectField("学员", validate_choice=False)
    id_number = StringField(
        "或填写学员身份证号（名单里没有时）", validators=[Optional(), Length(max=18)]
    )
    enrolled_on = DateField("报名日期", validators=[DataRequired(REQUIRED)], default=clock.today)

    def validate_graduate(self, field: SelectField) -> None:
        if not field.data and not (self.id_number.data or "").strip():
            raise ValidationError("请从名单中选择学员，或填写身份证号")
        if field.data:
            try:
                db_int(str(field.data))  # an id the database's integer holds, or a forgery
            except ValueError:
                raise ValidationError("请从名单中选择学员") from None


def trainee_words(g: Graduate) -> str:
    """How the list names a trainee: 姓名（院校 专业，2012届）— no number."""
    return f"{g.name}（{g.school_name} {g.major_text}，{g.graduation_year}届）"


class CompleteForm(FlaskForm):
    completed_on = DateField("结业日期", validators=[DataRequired(REQUIRED)], default=clock.today)
    certificate = BooleanField("取得职业资格证书")


@bp.route("/", methods=["GET", "POST"])
@staff_required
def index() -> Any:
    actor = current_actor()
    form = OfferForm()
    form.org.choices = org_options(org_choices(db.session, actor))
    if not form.is_submitted():
        form.org.data = form.region_code.data = own_org_code(actor)
        form.starts_on.data = clock.today() + timedelta(days=14)
        form.ends_on.data = clock.today() + timedelta(days=44)
        form.signup_closes_on.data = clock.today() + timedelta(days=10)
    context = {"offers": service.offers_in_region(db.session, actor)}
    if form.validate_on_submit() and not refreshing():
        data = service.TrainingInput(
            name=form.name.data or "",
            kind=TrainingKind(form.kind.data),
            skills=form.skills.data or "",
            certificate=form.certificate.data or None,
            org_code=form.org.data or "",
            region_code=form.region_code.data or "",
            starts_on=form.starts_on.data,
            ends_on=form.ends_on.data,
            seats=form.seats.data or 0,
            signup_closes_on=form.signup_closes_on.data,
        )
        try:
            offer = service.create_offer(db.session, actor, data)
        except DomainError as err:
            return refused("training/index.html", form, err, **context)
        flash(f"已创建培训项目：{offer.name}", "info")
        return redirect(url_for("training.detail", offer_id=offer.id))
    return form_page("training/index.html", form, **context)


@bp.route("/<int:offer_id>", methods=["GET", "POST"])
@staff_required
def detail(offer_id: int) -> Any:
    actor = current_actor()
    offer = service.get_offer(db.session, actor, offer_id)
    form = EnrolForm()
    enrolled, others = service.enrolments(db.session, actor, offer)
    context = {
        "offer": offer,
        "enrolled": enrolled,
        "others": others,
        "complete_form": CompleteForm(),
    }
    form.graduate.choices = [("", "请选择学员")] + [
        (str(g.id), trainee_words(g)) for g in service.candidates(db.session, actor, offer)
    ]
    if form.validate_on_submit():
        try:
            if form.graduate.data:
                graduate = service.enrol_graduate(
                    db.session, actor, offer, int(form.graduate.data), form.enrolled_on.data
                )
            else:
                graduate = service.enrol_by_id_number(
                    db.session, actor, offer, form.id_number.data or "", form.enrolled_on.data
                )
        except DomainError as err:
            err.field = err.field or ("graduate" if form.graduate.data else "id_number")
            return refused("training/detail.html", form, err, **context)
        flash(f"已报名：{graduate.name}", "info")
        return redirect(url_for("training.detail", offer_id=offer.id))
    return form_page("training/detail.html", form, **context)


@bp.route("/enrolments/<int:enrollment_id>/complete", methods=["POST"])
@staff_required
def complete(enrollment_id: int) -> Any:
    actor = current_actor()
    enrollment = db.session.get(TrainingEnrollment, enrollment_id)
    if enrollment is None:
        raise NotFound("未找到该报名记录")
    offer = service.get_offer(db.session, actor, enrollment.offer_id)
    form = CompleteForm()
    if not form.validate_on_submit():
        raise DomainError("请填写结业日期")
    service.complete(
        db.session, actor, enrollment, form.completed_on.data, certificate=form.certificate.data
    )
    flash("已记录结业", "info")
    return redirect(url_for("training.detail", offer_id=offer.id))
