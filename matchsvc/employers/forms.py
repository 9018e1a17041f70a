"""Forms for employers and the positions officers enter on their behalf."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import DecimalField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from .. import clock
from ..models import Degree, EmployerKind, Position, PositionKind
from ..text import split_list
from ..web.forms import REQUIRED, CountField, DateField, options
from ..web.pages import check_too
from ..web.regions import RegionField
from .service import PositionInput, check_position


class EmployerForm(FlaskForm):
    name = StringField("单位名称", validators=[DataRequired(REQUIRED), Length(max=200)])
    uscc = StringField("统一社会信用代码", validators=[DataRequired(REQUIRED), Length(max=18)])
    kind = SelectField("单位类别", choices=options(EmployerKind.choices()))
    org = SelectField("审核单位", validators=[DataRequired(REQUIRED)])
    region_code = RegionField("单位所在地（岗位默认工作地点）", validators=[Optional()])


class PositionForm(FlaskForm):
    kind = SelectField("岗位类别", choices=options(PositionKind.choices()))
    title = StringField("岗位名称", validators=[DataRequired(REQUIRED), Length(max=100)])
    majors = StringField("专业要求（用、分隔）", validators=[Optional(), Length(max=500)])
    min_degree = SelectField("学历要求", choices=options([("", "不限"), *Degree.choices()]))
    work_region_code = RegionField("工作地点", validators=[DataRequired("请选择工作地点")])
    headcount = CountField(
        "招聘人数", minimum=1, maximum=10000, validators=[InputRequired(REQUIRED)]
    )
    pay_min = CountField("薪酬下限（元/月）", maximum=1_000_000, validators=[Optional()])
    pay_max = CountField("薪酬上限（元/月）", maximum=1_000_000, validators=[Optional()])
    published_on = DateField("发布日期", validators=[DataRequired(REQUIRED)], default=clock.today)
    closes_on = DateField("截止日期", validators=[Optional()])
    description = TextAreaField("岗位描述", validators=[Optional(), Length(max=2000)])
    work_starts_on = DateField("勤工俭学开始日期", validators=[Optional()])
    work_ends_on = DateField("勤工俭学结束日期", validators=[Optional()])
    hours_per_week = CountField("每周工作小时数", minimum=1, maximum=40, validators=[Optional()])
    pay_per_hour = DecimalField(
        "每小时报酬（元）", places=2, validators=[Optional(), NumberRange(0.01, 10000, "须大于 0")]
    )


class DecisionForm(FlaskForm):
    pass


class RejectForm(FlaskForm):
    """不通过 says why and whom to call; both are told to the employer."""

    reason = TextAreaField(
        "不通过的原因（会告知用人单位）",
        validators=[DataRequired("请写明不通过的原因"), Length(max=500)],
    )
    phone = StringField(
        "审核人联系电话（会告知用人单位）",
        validators=[DataRequired("请填写联系电话"), Length(max=20)],
    )


class MajorsForm(FlaskForm):
    """Confirm the 专业类 read from a post's title, or write the right ones."""

    majors = StringField(
        "专业要求（用、分隔；留空为专业不限）", validators=[Optional(), Length(max=500)]
    )


def position_input(form: PositionForm) -> PositionInput:
    """The service's input from a filled position form."""
    return PositionInput(
        kind=PositionKind(form.kind.data),
        title=form.title.data or "",
        work_region_code=form.work_region_code.data or "",
        headcount=form.headcount.data or 0,
        published_on=form.published_on.data or clock.today(),
        description=form.description.data or None,
        majors=split_list(form.majors.data),
        min_degree=Degree(form.min_degree.data) if form.min_degree.data else None,
        pay_min=form.pay_min.data,
        pay_max=form.pay_max.data,
        closes_on=form.closes_on.data,
        work_starts_on=form.work_starts_on.data,
        work_ends_on=form.work_ends_on.data,
        hours_per_week=form.hours_per_week.data,
        pay_per_hour=form.pay_per_hour.data,
    )


def check_position_form(form: PositionForm, employer_kind: EmployerKind) -> None:
    """A position form its validators refused also shows the position's rules' errors (a
    closing date before the publishing date, pay the wrong way round), all in one round."""
    try:
        data = position_input(form)
    except ValueError:  # a forged choice: its field says so
        return
    if form.published_on.data is None:
        data.closes_on = None
    if form.headcount.errors:
        data.headcount = 1
    check_too(form, lambda: check_position(employer_kind, data))


def fill_position_form(form: PositionForm, position: Position) -> None:
    form.kind.data = position.kind.value
    form.title.data = position.title
    form.majors.data = "、".join(m.text for m in position.majors)
    form.min_degree.data = position.min_degree.value if position.min_degree else ""
    form.work_region_code.data = position.work_region_code
    form.headcount.data = position.headcount
    form.pay_min.data, form.pay_max.data = position.pay_min, position.pay_max
    form.published_on.data, form.closes_on.data = position.published_on, position.closes_on
    form.description.data = position.description
    form.work_starts_on.data, form.work_ends_on.data = (
        position.work_starts_on,
        position.work_ends_on,
    )
    form.hours_per_week.data, form.pay_per_hour.data = (
        position.hours_per_week,
        position.pay_per_hour,
    )
