"""Forms of referrals: an officer's 推荐, and a referral's next step."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField
from wtforms.validators import DataRequired, NumberRange

from ..web.forms import REQUIRED


class ReferForm(FlaskForm):
    graduate_id = IntegerField(validators=[DataRequired(REQUIRED), NumberRange(min=1)])
    position_id = IntegerField(validators=[DataRequired(REQUIRED), NumberRange(min=1)])
    back = HiddenField()
