"""Forms of the archive's lifecycle: one step's page, the online application, the 年度复核."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from .. import clock
from ..graduates.forms import RegisterForm, read_by
from ..graduates.service import GraduateInput
from ..models import (
    ArchiveReason,
    EmploymentStatus,
    ReviewOutcome,
)
from ..validators import parse_phone
from ..web.forms import REQUIRED, DateField, options


class StepForm(FlaskForm):
    """One step: its date, and the fields the step needs (the service says which are missing,
    all at once)."""

    on = DateField("办理日期", validators=[DataRequired(REQUIRED)], default=clock.today)
    reason = SelectField("原因", validators=[Optional()])
    visitors = StringField("调查人员", validators=[Optional(), Length(max=100)])
    confirmed = SelectField(
        "调查结论",
        choices=options([("", "请选择"), ("yes", "情况属实"), ("no", "情况不属实")]),
        validators=[Optional()],
    )
    consent = BooleanField("家庭已签字同意入户调查（书面同意书已存档）")
    ends_on = DateField("公示截止日期", validators=[Optional()])
    objections = TextAreaField("公示期间异议情况", validators=[Optional(), Length(max=400)])
    objection_upheld = BooleanField("异议经核实成立")
    note = StringField("说明", validators=[Optional(), Length(max=400)])


def reason_choices(reasons: tuple[ArchiveReason, ...]) -> list[SelectChoice]:
    return options([("", "请选择"), *((r.value, r.label) for r in reasons)])


class ApplyForm(RegisterForm):
    """The online application: the registration's fields without what only an officer sets
    (登记日期, 帮扶档案编号, the status), with the consent the applicant gives."""

    registered_on = None  # type: ignore[assignment]
    archive_no = None
    status = None
    status_since = None  # type: ignore[assignment]
    phone = StringField(
        "手机号（受理工会据此联系您）",
        validators=[DataRequired(REQUIRED), Length(max=20), read_by(parse_phone)],
    )
    consent = BooleanField(
        "我已阅读并同意：个人信息仅用于就业帮扶；受理工会将入户调查并公示",
        validators=[DataRequired("请阅读并同意个人信息使用说明和入户调查")],
    )

    def to_input(self) -> GraduateInput:
        return GraduateInput(
            id_number=self.id_number.data or "",
            status=EmploymentStatus.UNEMPLOYED,
            **self.profile_values(),  # type: ignore[arg-type]
        )


class DrawForm(FlaskForm):
    year = IntegerField("复核年度", validators=[DataRequired(REQUIRED), NumberRange(2000, 2100)])
    share = IntegerField(
        "抽查比例（%）",
        default=30,
        validators=[InputRequired(REQUIRED), NumberRange(1, 100, "比例须在 1 至 100 之间")],
    )
    seed = StringField(
        "随机种子（留空则按省份和年度生成，可复现）", validators=[Optional(), Length(max=64)]
    )


class OutcomeForm(FlaskForm):
    graduate_id = IntegerField(validators=[DataRequired("请选择档案")])
    outcome = SelectField(
        "复核结果",
        choices=options([("", "请选择"), *ReviewOutcome.choices()]),
        validators=[DataRequired("请选择复核结果")],
    )
    note = StringField("说明", validators=[Optional(), Length(max=400)])
