"""Forms for employers and the positions officers enter on their behalf."""

from __future__ import annotations

from datetime import date

from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from ..forms import options
from ..models import Degree, EmployerKind, PositionKind

REQUIRED = "此项必填"


class EmployerForm(FlaskForm):
    name = StringField("单位名称", validators=[DataRequired(REQUIRED), Length(max=200)])
    uscc = StringField("统一社会信用代码", validators=[DataRequired(REQUIRED), Length(max=18)])
    kind = SelectField("单位类别", choices=options(EmployerKind.choices()))
    org = SelectField("审核单位", validators=[DataRequired(REQUIRED)])


class PositionForm(FlaskForm):
    kind = SelectField("岗位类别", choices=options(PositionKind.choices()))
    title = StringField("岗位名称", validators=[DataRequired(REQUIRED), Length(max=100)])
    majors = StringField("专业要求（用、分隔）", validators=[Optional(), Length(max=500)])
    min_degree = SelectField("学历要求", choices=options([("", "不限"), *Degree.choices()]))
    work_region_code = StringField(
        "工作地点代码", validators=[DataRequired(REQUIRED), Length(min=6, max=6)]
    )
    headcount = IntegerField(
        "招聘人数", validators=[DataRequired(REQUIRED), NumberRange(1, 100000, "招聘人数至少为1")]
    )
    pay_min = IntegerField("薪酬下限（元/月）", validators=[Optional(), NumberRange(0)])
    pay_max = IntegerField("薪酬上限（元/月）", validators=[Optional(), NumberRange(0)])
    published_on = DateField("发布日期", validators=[DataRequired(REQUIRED)], default=date.today)
    closes_on = DateField("截止日期", validators=[Optional()])
    description = TextAreaField("岗位描述", validators=[Optional(), Length(max=2000)])


class DecisionForm(FlaskForm):
    pass
