"""Turning spreadsheet cells into typed values, each failure a message for the officer."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from ..errors import DomainError
from ..models import Choice
from ..validators import parse_date


class CellError(ValueError):
    """A cell's value is unusable; the message says why (zh-CN)."""


def text(value: Any, *, max_len: int = 200) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    result = str(value).strip()
    if len(result) > max_len:
        raise CellError(f"内容过长（超过{max_len}个字）")
    return result


#: What Excel writes into a CSV for a long number it stored as a number: 4.40106E+17.
_SCIENTIFIC = re.compile(r"^[+-]?\d+(\.\d+)?[eE][+-]?\d+$")
AS_NUMBER = "被 Excel 存成了数字，后几位可能已丢失；请把该列设为文本格式后重新填写"


def id_text(value: Any) -> str:
    """An identifier that must have been typed as text (Excel turns long numbers into floats,
    and writes them into a CSV as 4.40106E+17)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise CellError(AS_NUMBER)
    if isinstance(value, str) and _SCIENTIFIC.match(value.strip()):
        raise CellError(AS_NUMBER)
    return text(value, max_len=40)


def day(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    raw = text(value, max_len=20)
    if not raw:
        return _missing()
    try:
        return parse_date(raw)  # as the forms read it: 2012-08-15, 2012/8/15, 2012年8月15日 …
    except ValueError as err:
        raise CellError(f"“{raw}”：{err}") from None


def _missing() -> date:
    raise CellError("日期不能为空")


def integer(value: Any, *, low: int, high: int) -> int:
    raw = text(value, max_len=20)
    try:
        number = int(Decimal(raw))
    except (InvalidOperation, ValueError):
        raise CellError(f"“{raw}”不是整数") from None
    if Decimal(raw) != number or not low <= number <= high:
        raise CellError(f"应为 {low}–{high} 之间的整数")
    return number


def money(value: Any) -> Decimal | None:
    raw = text(value, max_len=20).replace(",", "")
    if not raw:
        return None
    try:
        amount = Decimal(raw)
    except InvalidOperation:
        raise CellError(f"金额“{raw}”不是数字") from None
    if amount < 0 or amount != amount.quantize(Decimal("0.01")):
        raise CellError("金额须为非负数，最多两位小数")
    return amount


def yes_no(value: Any) -> bool:
    raw = text(value, max_len=5)
    if raw in ("", "否", "N", "n", "no", "0"):
        return False
    if raw in ("是", "Y", "y", "yes", "1"):
        return True
    raise CellError("应填“是”或“否”")


def labels(enum_cls: type[Choice]) -> tuple[str, ...]:
    """The labels officers type (and the template's drop-down offers)."""
    return tuple(m.label for m in enum_cls)


def choice(enum_cls: type[Choice], value: Any) -> Any:
    raw = text(value, max_len=20)
    try:
        return enum_cls.from_label(raw)
    except KeyError:
        allowed = "、".join(m.label for m in enum_cls)
        raise CellError(f"“{raw}”不是可选值（{allowed}）") from None


def checked(parse: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """Wrap a domain parser (raising DomainError) as a cell parser."""

    def cell(value: Any) -> Any:
        try:
            return parse(value)
        except DomainError as err:
            raise CellError(err.message) from None

    return cell
