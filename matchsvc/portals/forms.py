"""Forms of the employer and graduate portals and of the officers' side of referrals."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, PasswordField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from .. import clock
from ..employers.forms import EmployerForm
from ..graduates.forms import WishFields
from ..models import ReferralState
from ..web.forms import REQUIRED, BeijingTimeField, DateField, options
from .home import WISH_FIELDS


class SignupForm(EmployerForm):
    """An officer's employer form, with the contact and the login the employer signs up with."""

    org = SelectField("申请由哪个工会审核", validators=[DataRequired("请选择审核您单位的工会")])
    contact_name = StringField("联系人", validators=[DataRequired(REQUIRED), Length(max=50)])
    contact_phone = StringField("联系电话", validators=[DataRequired(REQUIRED), Length(max=20)])
    username = StringField("登录用户名", validators=[DataRequired(REQUIRED), Length(min=3, max=64)])
    password = PasswordField("密码", validators=[DataRequired(REQUIRED), Length(max=128)])
    licence = FileField(
        "营业执照扫描件或照片（PDF、JPG 或 PNG，5 MB 以内；也可审核前在“我的单位”上传）"
    )


class LicenceForm(FlaskForm):
    licence = FileField("营业执照扫描件或照片（PDF、JPG 或 PNG，5 MB 以内）")


class StepForm(FlaskForm):
    state = SelectField(
        "进展",
        choices=options(
            [
                (s.value, s.label)
                for s in (ReferralState.INTERVIEW, ReferralState.HIRED, ReferralState.REJECTED)
            ]
        ),
    )
    on = DateField("日期", validators=[DataRequired(REQUIRED)], default=clock.today)
    interview_at = BeijingTimeField("面试时间（面试必填，北京时间）", validators=[Optional()])
    place = StringField("面试地点（面试必填）", validators=[Optional(), Length(max=200)])
    reason = StringField("原因（未录用必填）", validators=[Optional(), Length(max=500)])


class ActivateForm(FlaskForm):
    id_number = StringField("身份证号", validators=[DataRequired(REQUIRED), Length(max=18)])
    code = StringField("激活码", validators=[DataRequired(REQUIRED), Length(max=40)])
    password = PasswordField(
        "设置密码（至少8位，含字母和数字）", validators=[DataRequired(REQUIRED), Length(max=128)]
    )
    privacy = BooleanField("我已阅读并同意《个人信息保护说明》")
    by_sms = BooleanField("同意通过短信接收通知（发到档案中的手机号）")
    by_email = BooleanField("同意通过电子邮件接收通知")
    email = StringField("电子邮箱（选邮件通知时填写）", validators=[Optional(), Length(max=254)])


class DeclineForm(FlaskForm):
    reason = StringField("不感兴趣的原因", validators=[DataRequired("请说明原因"), Length(max=500)])


class SignedForm(FlaskForm):
    signed_on = DateField("签约日期", validators=[DataRequired(REQUIRED)], default=clock.today)
    text = StringField(
        "签约单位和岗位", validators=[DataRequired("请填写签约单位和岗位"), Length(max=500)]
    )


class CorrectionForm(FlaskForm):
    text = TextAreaField("需要更正的内容", validators=[DataRequired(REQUIRED), Length(max=1000)])


class LookingForm(FlaskForm):
    text = StringField("情况说明（可不填）", validators=[Optional(), Length(max=500)])


class EmptyForm(FlaskForm):
    """CSRF only."""


class ApplyForm(FlaskForm):
    note = TextAreaField("附言（可不填）", validators=[Optional(), Length(max=500)])


class WishesForm(WishFields):
    """What a graduate changes of their own profile."""

    FIELDS = WISH_FIELDS

    def fill(self, graduate: object) -> None:
        for name in self.FIELDS:
            getattr(self, name).data = getattr(graduate, name)

    def values(self) -> dict[str, object]:
        return {name: getattr(self, name).data for name in self.FIELDS}
