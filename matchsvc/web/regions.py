"""Places chosen, not typed: province → city → county from the region table (GB/T 2260).

Each chooser is a row of selects; the deepest one chosen is the value. Without script the
“选择下级地区” button posts the form back to fill the next select (nothing is saved: see
`refreshing`); with the project's own static/regions.js the next select fills as soon as the
one before changes, from /regions/<code>.json. A six-digit code posted under the field's own
name (the API, older clients) is read too; every value is checked against the table."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify, request, url_for
from markupsafe import Markup, escape
from wtforms import Field
from wtforms.validators import ValidationError

from ..errors import DomainError
from ..orgs.service import Region, region_children, region_path
from ..validators import parse_region_code

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
    """The selects of one place, the current code's path chosen."""
    path = [r.code for r in region_path(code)]
    parts, parent = [], ROOT
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


def _chosen(formdata: Any, name: str) -> str | None:
    """The deepest code chosen in one chooser, checked to lie under the one before it."""
    picked = [str(formdata.get(f"{name}-{level}") or "").strip() for level in range(1, 4)]
    deepest = None
    for value in picked:
        if not value:
            break
        parse_region_code(value)
        if deepest is not None and value not in {r.code for r in region_children(deepest)}:
            raise DomainError("所选地区与上一级不符，请重新选择")
        deepest = value
    return deepest


class RegionWidget:
    def __call__(self, field: RegionField, **kwargs: Any) -> Markup:
        return chooser(field.name, field.data)


class RegionField(Field):
    """One place; `data` is its code (or None)."""

    widget = RegionWidget()
    data: str | None

    def process_formdata(self, valuelist: list[Any]) -> None:
        self.data = parse_region_code(valuelist[0]) if valuelist and valuelist[0] else None

    def process(self, formdata: Any, data: Any = None, extra_filters: Any = None) -> None:
        self.process_errors = []
        self.data = (
            data
            if data is not None
            else (self.default() if callable(self.default) else self.default)
        )
        if formdata is None:
            return
        try:
            if any(f"{self.name}-{level}" in formdata for level in range(1, 4)):
                self.data = _chosen(formdata, self.name)
            elif self.name in formdata:
                raw = str(formdata.get(self.name) or "").strip()
                self.data = parse_region_code(raw) if raw else None
            else:
                self.data = None
        except DomainError as err:
            self.data = None
            self.process_errors.append(err.message)

    def _value(self) -> str:
        return self.data or ""


class RegionsWidget:
    def __call__(self, field: RegionsField, **kwargs: Any) -> Markup:
        codes = list(field.data or [])
        rows = [
            chooser(f"{field.name}-{i}", codes[i] if i < len(codes) else None)
            for i in range(field.count)
        ]
        return Markup("<br>".join(rows))


class RegionsField(Field):
    """Up to `count` places (a graduate's wished regions); `data` is the list of codes."""

    widget = RegionsWidget()
    data: list[str]

    def __init__(self, *args: Any, count: int = 3, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.count = count

    def process(self, formdata: Any, data: Any = None, extra_filters: Any = None) -> None:
        self.process_errors = []
        self.data = list(data or [])
        if formdata is None:
            return
        codes: list[str] = []
        try:
            if f"{self.name}-0-1" in formdata:
                for i in range(self.count):
                    code = _chosen(formdata, f"{self.name}-{i}")
                    if code:
                        codes.append(code)
            elif self.name in formdata:
                raw = str(formdata.get(self.name) or "")
                codes = [
                    parse_region_code(c)
                    for c in raw.replace("，", ",").replace("、", ",").replace(" ", ",").split(",")
                    if c.strip()
                ]
        except DomainError as err:
            self.process_errors.append(err.message)
        self.data = list(dict.fromkeys(codes))

    def pre_validate(self, form: Any) -> None:
        if len(self.data) > 10:
            raise ValidationError("意向地区最多10个")
