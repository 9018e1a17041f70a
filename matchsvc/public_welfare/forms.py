"""The forms of a graduate's 公益性岗位 page: a placement, a 年度考核 and an exit."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, RadioField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from .. import clock
from ..models import TenureExit
from ..web.forms import REQUIRED, DateField, options


class PlaceForm(FlaskForm):
    position_id = SelectField("公益性岗位", validators=[DataRequired("请选择岗位")])
    starts_on = DateField("上岗日期", validators=[DataRequired(REQUIRED)], default=clock.today)


class AssessForm(FlaskForm):
    tenure_id = HiddenField(validators=[DataRequired()])
    year = IntegerField(
        "考核年度（第几年）",
        validators=[InputRequired("请填写第几年"), NumberRange(1, 40, "须为 1 至 40")],
    )
    outcome = RadioField(
        "考核结果",
        choices=options((("pass", "合格"), ("fail", "不合格（该年度末退出）"))),
        validators=[InputRequired("请选择考核结果")],
    )
    assessed_on = DateField("考核日期", validators=[DataRequired(REQUIRED)], default=clock.today)
    note = StringField("说明", validators=[Optional(), Length(max=300)])


class ExitForm(FlaskForm):
    tenure_id = HiddenField(validators=[DataRequired()])
    ended_on = DateField("最后在岗日", validators=[DataRequired(REQUIRED)], default=clock.today)
    reason = SelectField(
        "退出原因",
        choices=options([("", "请选择"), *((r.value, r.label) for r in TenureExit)]),
        validators=[DataRequired("请选择退出原因")],
    )
    note = StringField("说明（原因为“其他”时必填）", validators=[Optional(), Length(max=300)])
