"""Form pieces shared by features."""

from __future__ import annotations

from collections.abc import Iterable

from wtforms import SelectChoice, SelectMultipleField
from wtforms.widgets import CheckboxInput, ListWidget

#: The message of every required field.
REQUIRED = "此项必填"


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def use_chinese_messages() -> None:
    """WTForms' own messages ("Not a valid choice.", "Invalid date value.") in Chinese: its
    bundled zh catalogue, for every form (Flask-WTF's Babel hook is off, see config)."""
    from flask_wtf import FlaskForm

    FlaskForm.Meta.locales = ("zh",)


def options(pairs: Iterable[tuple[str, str]]) -> list[SelectChoice]:
    """(value, label) pairs as WTForms select options."""
    return [SelectChoice(value, label) for value, label in pairs]
