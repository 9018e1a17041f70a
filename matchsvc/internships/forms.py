"""The forms of 就业见习: a base's approval, HQ's rate of a province, and each step of an
intern's agreement (one page, the action named in the form)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, RadioField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from .. import clock
from ..models import Approver
from ..web.forms import REQUIRED, DateField, options
from .service import MAX_MONTHS, MIN_MONTHS


class BaseForm(FlaskForm):
    employer_id = SelectField("用人单位（已审核通过）", validators=[DataRequired("请选择用人单位")])
    approver = RadioField(
        "认定部门",
        choices=options((a.value, a.label) for a in Approver),
        default=Approver.UNION.value,
        validators=[InputRequired("请选择认定部门")],
    )
    approval_ref = StringField(
        "批准文号", validators=[DataRequired("请填写批准文号"), Length(max=100)]
    )
    approved_from = DateField(
        "认定起始日期", validators=[DataRequired(REQUIRED)], default=clock.today
    )
    approved_until = DateField("认定截止日期", validators=[DataRequired(REQUIRED)])


class RateForm(FlaskForm):
    province_code = SelectField("省（区、市）", validators=[DataRequired("请选择省份")])
    minimum_wage = IntegerField(
        "月最低工资标准（元，第一档）",
        validators=[InputRequired("请填写最低工资标准"), NumberRange(1, 100000, "须为正整数")],
    )
    share_pct = IntegerField(
        "见习补贴比例（%）",
        validators=[InputRequired("请填写补贴比例"), NumberRange(1, 100, "须为 1 至 100")],
    )
    higher_pct = IntegerField(
        "留用率达 50% 的基地适用比例（%，没有则留空）",
        validators=[Optional(), NumberRange(1, 100, "须为 1 至 100")],
    )
    source = StringField("依据文件", validators=[DataRequired("请注明依据文件"), Length(max=300)])


class ApplyForm(FlaskForm):
    position_id = SelectField("见习岗位", validators=[DataRequired("请选择见习岗位")])
    applied_on = DateField("报名日期", validators=[DataRequired(REQUIRED)], default=clock.today)


class _Step(FlaskForm):
    internship_id = HiddenField(validators=[DataRequired()])


class SignForm(_Step):
    signed_on = DateField("协议签订日期", validators=[DataRequired(REQUIRED)], default=clock.today)
    starts_on = DateField("见习开始日期", validators=[DataRequired(REQUIRED)])
    months = IntegerField(
        f"见习期限（{MIN_MONTHS}–{MAX_MONTHS} 个月）",
        validators=[
            InputRequired("请填写见习期限"),
            NumberRange(MIN_MONTHS, MAX_MONTHS, f"须为 {MIN_MONTHS} 至 {MAX_MONTHS} 个月"),
        ],
    )
    allowance = IntegerField(
        "基本生活补助（元/月，见习单位发放）",
        validators=[InputRequired("请填写生活补助"), NumberRange(1, 100000, "须为正整数")],
    )


class InsureForm(_Step):
    policy_no = StringField(
        "人身意外伤害保险单号", validators=[DataRequired("请填写保险单号"), Length(max=60)]
    )
    insurer = StringField("承保公司", validators=[Optional(), Length(max=100)])
    insured_from = DateField("保险起期", validators=[DataRequired(REQUIRED)])
    insured_until = DateField("保险止期", validators=[DataRequired(REQUIRED)])


class StartForm(_Step):
    on = DateField("上岗日期", validators=[DataRequired(REQUIRED)], default=clock.today)


class CompleteForm(_Step):
    pass


class TerminateForm(_Step):
    on = DateField("最后在岗日", validators=[DataRequired(REQUIRED)], default=clock.today)
    reason = StringField(
        "提前终止原因", validators=[DataRequired("请填写提前终止的原因"), Length(max=300)]
    )


class DecideForm(_Step):
    outcome = RadioField(
        "见习单位是否留用",
        choices=options((("retained", "留用（记为实现就业）"), ("not_retained", "未留用"))),
        validators=[InputRequired("请选择是否留用")],
    )
    on = DateField("日期", validators=[DataRequired(REQUIRED)], default=clock.today)
