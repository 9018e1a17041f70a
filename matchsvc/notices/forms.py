"""The notice settings form."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField
from wtforms.validators import Length, Optional


class PreferencesForm(FlaskForm):
    email = StringField("电子邮箱（可不填）", validators=[Optional(), Length(max=254)])
    by_email = BooleanField("同意通过电子邮件接收通知（面试、录用、应聘结果等）")
    by_sms = BooleanField("同意通过短信接收通知")
