"""The form of the major review page."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from ..web.forms import REQUIRED


class CorrectionForm(FlaskForm):
    spelling = StringField("专业写法", validators=[DataRequired(REQUIRED), Length(max=100)])
    code = StringField(
        "对应的专业（目录代码或名称）", validators=[DataRequired(REQUIRED), Length(min=2, max=64)]
    )
