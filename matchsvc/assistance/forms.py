"""Forms for service records."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from .. import clock
from ..models import ServiceKind
from ..web.forms import REQUIRED, CountField, DateField, options


class ServiceForm(FlaskForm):
    kind = SelectField("服务类别", choices=options(ServiceKind.choices()))
    service_date = DateField("服务日期", validators=[DataRequired(REQUIRED)], default=clock.today)
    org = SelectField("服务单位", validators=[DataRequired(REQUIRED)])
    amount = StringField("金额（元）", validators=[Optional(), Length(max=20)])
    remark = StringField("备注", validators=[Optional(), Length(max=500)])


class VoidForm(FlaskForm):
    reason = StringField("作废原因", validators=[DataRequired("作废须填写原因"), Length(max=500)])


class FairForm(FlaskForm):
    name = StringField("活动名称", validators=[DataRequired(REQUIRED), Length(max=200)])
    held_on = DateField("举办日期", validators=[DataRequired(REQUIRED)], default=clock.today)
    org = SelectField("举办单位", validators=[DataRequired(REQUIRED)])
    positions_offered = CountField(
        "提供适合毕业生的岗位数", maximum=10_000_000, validators=[InputRequired(REQUIRED)]
    )
