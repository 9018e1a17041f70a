"""Places chosen, not typed: province → city → county from the region table (GB/T 2260).

Each chooser is a row of selects; the deepest one chosen is the value. Without script the
“选择下级地区” button posts the form back to fill the next select (nothing is saved: see
`refreshing`); with the project's own static/regions.js the next select fills as soon as the
one before changes, from /regions/<code>.json. A six-digit code posted under the field's own
name (the API, older clients) is read too; every value is checked against the table."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, jsonify, request, url_for
from markupsafe import Markup, escape
from wtforms import Field
from wtforms.validators import StopValidation

from .. import areacodes
from ..errors import DomainError
from ..orgs.service import Region, region_children, region_path
from ..text import split_list
from ..validators import parse_origin_code, parse_region_code

LEVELS = 3
REFRESH = "_refresh"
ROOT = "000000"

bp = Blueprint("regions", __name__)


@bp.route("/regions/<code>.json")
def children(code: str) -> Any:
    """The divisions under a code, for the choosers' script (public: the table is public)."""
    if code != ROOT:
        try:
            parse_region_code(code)
        except DomainError:
            return jsonify([]), 404
    return jsonify([{"code": r.code, "name": r.name} for r in region_children(code)])


def refreshing() -> bool:
    """The form came back only to fill a chooser's next select: show it again, save nothing."""
    return request.method == "POST" and REFRESH in request.form


def _select(name: str, label: str, options: list[Region], chosen: str, parent: str) -> str:
    items = [f'<option value="">{escape(label)}</option>']
    for r in options:
        sel = " selected" if r.code == chosen else ""
        items.append(f'<option value="{r.code}"{sel}>{escape(r.name)}</option>')
    hidden = "" if options else " hidden"
    return (
        f'<select name="{name}" id="{name}" aria-label="{escape(label)}" data-region-level '
        f'data-parent="{parent}"{hidden}>{"".join(items)}</select>'
    )


def chooser(name: str, code: str | None) -> Markup:
    """The selects of one place, the current code's path chosen. A past code (生源地 as papers
    carry it) is kept in a hidden field, named with its successor, until another is chosen."""
    path = [r.code for r in region_path(code)]
    parts, parent = [], ROOT
    past = areacodes.describe(code) if code else None
    if past:
        parts.append(
            f'<input type="hidden" name="{name}" value="{escape(code)}">'
            f'<span class="region-past">{escape(code)} {escape(past)}；如需改为今天的地区，请在下面选择</span>'
        )
    for level, label in enumerate(("省（自治区、直辖市）", "市（地区、州）", "区县"), start=1):
        chosen = path[level - 1] if len(path) >= level else ""
        options = region_children(parent) if parent else []
        parts.append(_select(f"{name}-{level}", label, options, chosen, parent))
        parent = chosen
    button = (
        f'<noscript><button type="submit" name="{REFRESH}" value="{name}" class="secondary" '
        "formnovalidate>选择下级地区</button></noscript>"
    )
    script = f'<script src="{url_for("static", filename="regions.js")}" defer></script>'
    return Markup(f'<span class="region-chooser">{"".join(parts)}{button}</span>{script}')


def _read(
    formdata: Any, name: str, parse: Callable[[object], str] = parse_region_code
) -> tuple[str | None, str | None, str | None]:
    """One chooser as posted: (its code, what to show again, the error). The selects are read
    from the province down, each checked against the table and to lie under the one before;
    a plain six-digit code under the name itself is read too (the API, older clients)."""
    keys = [f"{name}-{level}" for level in range(1, LEVELS + 1)]
    if not any(formdata.get(k) for k in keys):
        raw = str(formdata.get(name) or "").strip()
        if not raw:
            return None, None, None
        try:
            code = parse(raw)
        except DomainError as err:
            return None, None, err.message
        return code, code, None
    deepest: str | None = None
    for key in keys:
        value = str(formdata.get(key) or "").strip()
        if not value:
            break
        try:
            parse_region_code(value)
        except DomainError as err:
            return None, deepest, err.message
        under = region_children(deepest or ROOT)
        if value not in {r.code for r in under}:
            return None, deepest, "所选地区与上一级不符，请重新选择"
        deepest = value
    return deepest, deepest, None


def _sent(formdata: Any, name: str) -> list[str]:
    """What was sent for the field (Optional() reads it: an empty chooser is "not given")."""
    return [str(v) for k, v in formdata.items() if (k == name or k.startswith(f"{name}-")) and v]


class RegionWidget:
    def __call__(self, field: RegionField, **kwargs: Any) -> Markup:
        return chooser(field.name, field.shown or field.data)


class RegionField(Field):
    """One place; `data` is its code (or None). With `history`, a code posted as typed that was
    abolished since 1981 is kept as typed (生源地); otherwise it is read as its successor."""

    widget = RegionWidget()
    data: str | None
    #: What the chooser shows again after a refusal (the valid part of what was chosen).
    shown: str | None = None

    def __init__(self, *args: Any, history: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.parse = parse_origin_code if history else parse_region_code

    def process(self, formdata: Any, data: Any = None, extra_filters: Any = None) -> None:
        self.process_errors, self.raw_data = [], []
        default = self.default() if callable(self.default) else self.default
        self.data = data if data is not None else default
        if formdata is None:
            return
        self.raw_data = _sent(formdata, self.name)
        self.data, self.shown, error = _read(formdata, self.name, self.parse)
        if error:
            self.process_errors.append(error)

    def pre_validate(self, form: Any) -> None:
        if self.process_errors:  # what was wrong with the choice stands (not "请选择…")
            raise StopValidation()

    def _value(self) -> str:
        return self.data or ""


class RegionsWidget:
    def __call__(self, field: RegionsField, **kwargs: Any) -> Markup:
        codes = list(field.shown or field.data or [])
        rows = [
            chooser(f"{field.name}-{i}", codes[i] if i < len(codes) else None)
            for i in range(field.count)
        ]
        return Markup("<br>".join(rows))


class RegionsField(Field):
    """Up to `count` places (a graduate's wished regions); `data` is the list of codes. A
    plain list under the name itself ("440100、420100") is read too."""

    widget = RegionsWidget()
    data: list[str]
    shown: list[str] | None = None

    def __init__(self, *args: Any, count: int = 3, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.count = count

    def process(self, formdata: Any, data: Any = None, extra_filters: Any = None) -> None:
        self.process_errors, self.raw_data = [], []
        self.data = list(data or [])
        if formdata is None:
            return
        self.raw_data = _sent(formdata, self.name)
        codes: list[str] = []
        shown: list[str] = []
        if f"{self.name}-0-1" in formdata:
            for i in range(self.count):
                code, keep, error = _read(formdata, f"{self.name}-{i}")
                if error:
                    self.process_errors.append(error)
                if keep:
                    shown.append(keep)
                if code:
                    codes.append(code)
        else:
            raw = str(formdata.get(self.name) or "")
            for part in split_list(raw):
                try:
                    codes.append(parse_region_code(part))
                except DomainError as err:
                    self.process_errors.append(err.message)
            shown = list(codes)
        self.data = list(dict.fromkeys(codes))
        self.shown = shown

    def pre_validate(self, form: Any) -> None:
        if self.process_errors:
            raise StopValidation()
