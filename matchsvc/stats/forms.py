"""Forms of the statistics pages."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from ..web.forms import DateField


class ReportForm(FlaskForm):
    reporter = StringField("填报人", validators=[DataRequired("请填写填报人"), Length(max=50)])
    phone = StringField("联系电话", validators=[DataRequired("请填写联系电话"), Length(max=30)])
    summary = TextAreaField(
        "总结报告", validators=[DataRequired("请填写总结报告"), Length(max=20000)]
    )
    confirm = BooleanField(
        "我已核对以上数字和总结报告。上报后数字冻结，本省不能自行修改，须由全总退回",
        validators=[DataRequired("请勾选确认后再上报：上报后本省不能自行修改")],
    )


class EmptyForm(FlaskForm):
    """CSRF only (the items 01–05 form reads its fields by key)."""


class ChaseForm(FlaskForm):
    message = StringField("催报留言（可不填）", validators=[Optional(), Length(max=200)])


class ReopenForm(FlaskForm):
    reason = StringField("退回原因", validators=[DataRequired("退回须填写原因"), Length(max=500)])


class CampaignForm(FlaskForm):
    year = IntegerField("年份", validators=[DataRequired("请填写年份"), NumberRange(2000, 2100)])
    starts_on = DateField("开始日期", validators=[Optional()])
    ends_on = DateField("结束日期", validators=[Optional()])
    cutoff_on = DateField("统计截止日期", validators=[Optional()])
    report_due_on = DateField("上报截止日期", validators=[Optional()])


class TokenForm(FlaskForm):
    label = StringField("用途", validators=[DataRequired("请填写令牌用途"), Length(max=100)])
