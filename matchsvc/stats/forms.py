"""Forms of the statistics pages."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from ..web.forms import DateField

#: Tall enough for a summary of a page or two (the notice asks for a 总结报告 with the table).
SUMMARY_BOX = {"rows": 14}
CONFIRM = "我已核对以上数字和总结报告。上报后数字冻结，本省不能自行修改，须由全总退回"


class DraftForm(FlaskForm):
    """The province's one report form, saved as a draft: items 01–05 (read by key, see
    stats/aid.py), 填报人, 联系电话 and the 总结报告, none required yet."""

    reporter = StringField(
        "填报人", validators=[Optional(), Length(max=50, message="不超过50个字")]
    )
    phone = StringField("联系电话", validators=[Optional(), Length(max=30)])
    summary = TextAreaField(
        "总结报告", validators=[Optional(), Length(max=20000)], render_kw=SUMMARY_BOX
    )
    confirm = BooleanField(CONFIRM)


class ReportForm(DraftForm):
    """The same form, submitted: everything required, and the confirmation."""

    reporter = StringField("填报人", validators=[DataRequired("请填写填报人"), Length(max=50)])
    phone = StringField("联系电话", validators=[DataRequired("请填写联系电话"), Length(max=30)])
    summary = TextAreaField(
        "总结报告",
        validators=[DataRequired("请填写总结报告"), Length(max=20000)],
        render_kw=SUMMARY_BOX,
    )
    confirm = BooleanField(
        CONFIRM,
        validators=[DataRequired("请勾选确认后再上报：上报后本省不能自行修改")],
    )


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
