"""The follow-up's one short form (回访记录), the same for an officer and for the graduate."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from .. import clock
from ..web.forms import REQUIRED, DateField, options
from .service import Answer

YES_NO = (("yes", "是"), ("no", "否"), ("unknown", "不清楚"))


def _yes_no(value: str | None) -> bool | None:
    return {"yes": True, "no": False}.get(value or "")


class AnswerForm(FlaskForm):
    answered_on = DateField("回访日期", validators=[DataRequired(REQUIRED)], default=clock.today)
    still_employed = RadioField(
        "是否仍在该单位工作",
        choices=options((("yes", "仍在岗"), ("no", "已离职"))),
        validators=[InputRequired("请选择是否仍在岗")],
    )
    contract_year = RadioField(
        "劳动合同是否一年及以上（在岗时填）", choices=options(YES_NO), validators=[Optional()]
    )
    insured = RadioField(
        "单位是否缴纳社会保险（在岗时填）", choices=options(YES_NO), validators=[Optional()]
    )
    left_reason = StringField("离职原因（已离职时填）", validators=[Optional(), Length(max=200)])
    wants_help = RadioField(
        "是否希望工会再帮助找工作（已离职时填）",
        choices=options((("yes", "希望，恢复推荐岗位"), ("no", "暂不需要"))),
        validators=[Optional()],
    )
    note = TextAreaField("备注", validators=[Optional(), Length(max=500)])

    def answer(self) -> Answer:
        assert self.answered_on.data is not None
        return Answer(
            answered_on=self.answered_on.data,
            still_employed=self.still_employed.data == "yes",
            contract_year=_yes_no(self.contract_year.data),
            insured=_yes_no(self.insured.data),
            left_reason=self.left_reason.data,
            wants_help=_yes_no(self.wants_help.data),
            note=self.note.data,
        )
