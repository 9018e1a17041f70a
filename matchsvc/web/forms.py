"""Form pieces shared by features. Dates are read by validators.parse_date, the one reader of
dates for forms and imports alike."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import Any

from flask_wtf import FlaskForm
from wtforms import DateField as _DateField
from wtforms import IntegerField, SelectChoice, SelectField, SelectMultipleField, StringField
from wtforms.validators import StopValidation
from wtforms.widgets import CheckboxInput, DateTimeLocalInput, ListWidget

from .. import clock
from ..orgs.service import region_name
from ..validators import parse_date

#: The message of every required field.
REQUIRED = "此项必填"

#: The largest id, page or year a request may name: PostgreSQL's integer (SQLite's is wider).
DB_INT_MAX = 2**31 - 1


def db_int(text: str) -> int:
    """A number from a request (`request.form.get(name, type=db_int)`) that fits the database's
    integer; ValueError otherwise, so werkzeug answers the default (no driver overflow)."""
    value = int(text)
    if not 0 <= value <= DB_INT_MAX:
        raise ValueError(text)
    return value


class DateField(_DateField):
    """A date field that reads every way officers write a date, and says when the format is
    wrong (instead of "此项必填", which a required field said for a date it could not read)."""

    #: A date once validated (views read it after validate_on_submit), else None.
    data: Any

    def process_formdata(self, valuelist: list[Any]) -> None:
        if not valuelist or not str(valuelist[0]).strip():
            self.data = None
            return
        try:
            self.data = parse_date(str(valuelist[0]))
        except ValueError as err:
            self.data = None
            raise ValueError(str(err)) from None

    def pre_validate(self, form: Any) -> None:
        if self.process_errors:  # the format's message stands; no "此项必填" after it
            raise StopValidation()


_TIME = re.compile(r"^(.*?)(?:[\sT]+|(?<=[日号]))(\d{1,2})\s*[:：时点]\s*(\d{2})\s*分?\s*$")
TIME_FORMAT = "时间格式应为 2012-08-15 09:30（北京时间）"


#: A day without its year, as people say it: 12月8日, 12-08, 12/8.
_MONTH_DAY = re.compile(r"^(\d{1,2})\s*[月/.-]\s*(\d{1,2})\s*[日号]?$")


def _day_of(text: str, today: date) -> date:
    """A date; without its year, the nearest such day to today (an interview is scheduled
    within months, ahead or just past)."""
    match = _MONTH_DAY.match(text.strip())
    if not match:
        return parse_date(text)
    month, day = int(match.group(1)), int(match.group(2))
    candidates = []
    for year in (today.year - 1, today.year, today.year + 1):
        try:
            candidates.append(date(year, month, day))
        except ValueError:
            continue
    if not candidates:
        raise ValueError(f"没有这一天：{month}月{day}日")
    return min(candidates, key=lambda d: abs((d - today).days))


def parse_beijing_time(text: str, today: date | None = None) -> datetime:
    """A date and time as officers and employers write it (2012-08-15 09:30, a browser's
    2012-08-15T09:30, 12月8日 14:00), read as 北京时间; UTC-aware."""
    match = _TIME.match((text or "").strip())
    if not match:
        raise ValueError(TIME_FORMAT)
    day = _day_of(match.group(1), today or clock.today())
    hour, minute = int(match.group(2)), int(match.group(3))
    if hour > 23 or minute > 59:
        raise ValueError(TIME_FORMAT)
    local = datetime(day.year, day.month, day.day, hour, minute, tzinfo=clock.CHINA)
    return local.astimezone(UTC)


class BeijingTimeField(StringField):
    """A date and time in 北京时间, in the browser's date-time picker (2012-08-15T09:30); typed
    by hand also as 2012-08-15 09:30 or 12月8日 14:00."""

    widget = DateTimeLocalInput()
    data: Any

    def process_formdata(self, valuelist: list[Any]) -> None:
        raw = str(valuelist[0]).strip() if valuelist and valuelist[0] else ""
        self.raw_text = raw
        if not raw:
            self.data = None
            return
        try:
            self.data = parse_beijing_time(raw)
        except ValueError as err:
            self.data = None
            raise ValueError(str(err)) from None

    def _value(self) -> str:
        if getattr(self, "raw_text", None):
            return str(self.raw_text)
        if isinstance(self.data, datetime):
            return clock.china_time(self.data).strftime("%Y-%m-%dT%H:%M")
        return ""


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def use_chinese_messages() -> None:
    """WTForms' own messages ("Not a valid choice.", "Invalid date value.") in Chinese: its
    bundled zh catalogue, for every form (Flask-WTF's Babel hook is off, see config)."""
    from flask_wtf import FlaskForm

    FlaskForm.Meta.locales = ("zh",)
    FlaskForm.Meta.render_field = _render_field


def _render_field(meta: Any, field: Any, render_kw: dict[str, Any]) -> Any:
    """Every field as WTForms renders it, but the CSRF token without an id: a page with several
    forms would otherwise repeat id="csrf_token"."""
    other_kw = getattr(field, "render_kw", None)
    if other_kw is not None:
        render_kw = dict(other_kw, **render_kw)
    if field.type == "CSRFTokenField":
        render_kw = {**render_kw, "id": False}
    return field.widget(field, **render_kw)


def options(pairs: Iterable[tuple[str, str]]) -> list[SelectChoice]:
    """(value, label) pairs as WTForms select options."""
    return [SelectChoice(value, label) for value, label in pairs]


def org_options(pairs: Iterable[tuple[str, str]]) -> Any:
    """Union orgs (code, label) as select options, grouped by province when there are many
    (the national list has 401): an optgroup per province, 全国 first."""
    items = list(pairs)
    if len(items) <= 40:
        return options(items)
    # a placeholder ("" — 请选择) stays above the groups, in none
    return [
        SelectChoice(code, label.strip("　"), optgroup=_province_group(code))
        for code, label in items
    ]


def _province_group(code: str) -> str | None:
    if not code:
        return None
    return "全国" if code == "000000" else region_name(code[:2] + "0000")


class CountField(IntegerField):
    """A whole number within bounds, each bound with its own message, and text that is not a
    number said so (WTForms says "不是有效的整数值" and DataRequired said 此项必填 for 0)."""

    def __init__(
        self, label: str, minimum: int = 0, maximum: int = 1_000_000, **kwargs: Any
    ) -> None:
        super().__init__(label, **kwargs)
        self.minimum, self.maximum = minimum, maximum

    def process_formdata(self, valuelist: list[Any]) -> None:
        raw = str(valuelist[0]).strip().replace(",", "").replace("，", "") if valuelist else ""
        self.raw_text = raw
        if not raw:
            self.data = None
            return
        try:
            self.data = int(raw)
        except ValueError:
            self.data = None
            raise ValueError(f"{self.label.text}须为数字（如 3），而不是“{raw[:20]}”") from None

    def pre_validate(self, form: Any) -> None:
        if self.process_errors:
            raise StopValidation()
        if self.data is None:
            return
        name = self.label.text.split("（")[0]
        if self.data < self.minimum:
            raise StopValidation(f"{name}至少为{self.minimum}")
        if self.data > self.maximum:
            raise StopValidation(f"{name}最多为{self.maximum:,}".replace(",", ""))

    def _value(self) -> str:
        if getattr(self, "raw_text", None) and self.data is None:
            return str(self.raw_text)
        return "" if self.data is None else str(self.data)


class OrgPickForm(FlaskForm):
    """Which org a page shows: a chooser of the orgs in the officer's region (a GET form)."""

    class Meta:
        csrf = False

    org = SelectField("组织", validate_choice=False)
