"""Forms of the matcher's pages (CSRF-protected)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField
from wtforms.validators import DataRequired

from ..web.forms import REQUIRED


class PlanForm(FlaskForm):
    org = HiddenField(validators=[DataRequired(REQUIRED)])
