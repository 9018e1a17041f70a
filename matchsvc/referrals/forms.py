"""Forms of referrals: an officer's 推荐, and a referral's next step."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField
from wtforms.validators import DataRequired, NumberRange

from ..web.forms import DB_INT_MAX, REQUIRED


class ReferForm(FlaskForm):
    graduate_id = IntegerField(
        validators=[DataRequired(REQUIRED), NumberRange(min=1, max=DB_INT_MAX)]
    )
    position_id = IntegerField(
        validators=[DataRequired(REQUIRED), NumberRange(min=1, max=DB_INT_MAX)]
    )
    back = HiddenField()
