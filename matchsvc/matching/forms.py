"""Forms of the matcher's pages (CSRF-protected)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, StringField
from wtforms.validators import DataRequired, Length, NumberRange

REQUIRED = "必填"


class ReferForm(FlaskForm):
    graduate_id = IntegerField(validators=[DataRequired(REQUIRED), NumberRange(min=1)])
    position_id = IntegerField(validators=[DataRequired(REQUIRED), NumberRange(min=1)])
    back = HiddenField()


class CorrectionForm(FlaskForm):
    spelling = StringField("专业写法", validators=[DataRequired(REQUIRED), Length(max=100)])
    code = StringField("专业目录代码", validators=[DataRequired(REQUIRED), Length(min=4, max=6)])


class PlanForm(FlaskForm):
    org = HiddenField(validators=[DataRequired(REQUIRED)])
