"""Items 01–05 of the table (金秋助学, student aid): not computed by matchsvc but entered by a
province officer as figures, checked for their sums, frozen with the submission and carried by
every export (DOMAIN.md). Keys as in the JSON shape: "01A"…"01E", "02A"…"02D", "03A"…"03D",
"04A_persons", "04A_amount" … "05A_amount"; amounts in 万元 with two decimals.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from ..errors import DomainError
from .items import Line

AID_LINES = (
    Line("01A", "（01）", "（A）", "助学活动共筹集资金", "万元"),
    Line("01B", "", "（B）", "其中各级党委政府资助", "万元"),
    Line("01C", "", "（C）", "其中社会捐助", "万元"),
    Line("01D", "", "（D）", "其中各级工会投入", "万元"),
    Line("01E", "", "（E）", "其中其它方面筹集", "万元"),
    Line("02A", "（02）", "（A）", "助学活动共发放助学款", "万元"),
    Line("02B", "", "（B）", "其中小学和初中阶段", "万元"),
    Line("02C", "", "（C）", "其中高中和中等职业教育阶段", "万元"),
    Line("02D", "", "（D）", "其中大专以上", "万元"),
    Line("03A", "（03）", "（A）", "助学活动中共资助困难职工和困难农民工子女", "人"),
    Line("03B", "", "（B）", "其中小学和初中阶段", "人"),
    Line("03C", "", "（C）", "其中高中和中等职业教育阶段", "人"),
    Line("03D", "", "（D）", "其中大专以上", "人"),
    Line("04A_persons", "（04）", "（A）", "助学活动中共资助困难农民工子女", "人"),
    Line("04A_amount", "", "", "共发放助学款", "万元"),
    Line("04B_persons", "", "（B）", "其中小学和初中阶段", "人"),
    Line("04B_amount", "", "", "发放助学款", "万元"),
    Line("04C_persons", "", "（C）", "其中高中和中等职业教育阶段", "人"),
    Line("04C_amount", "", "", "发放助学款", "万元"),
    Line("04D_persons", "", "（D）", "大专以上", "人"),
    Line("04D_amount", "", "", "发放助学款", "万元"),
    Line("05A_persons", "（05）", "（A）", "助学活动中共资助困难单亲女职工子女", "人"),
    Line("05A_amount", "", "", "共发放助学款", "万元"),
)
AID_KEYS = tuple(line.key for line in AID_LINES)

#: Each total and the parts it must equal (01A = B+C+D+E, …, in persons and in 万元 for 04).
SUMS = {
    "01A": ("01B", "01C", "01D", "01E"),
    "02A": ("02B", "02C", "02D"),
    "03A": ("03B", "03C", "03D"),
    "04A_persons": ("04B_persons", "04C_persons", "04D_persons"),
    "04A_amount": ("04B_amount", "04C_amount", "04D_amount"),
}
MAX_PERSONS = 10_000_000
MAX_AMOUNT = Decimal("10000000")  # 万元


class AidErrors(DomainError):
    """Every refused field at once: {key: message}."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("第01–05项有误，请按提示修改")
        self.errors = errors


def parse_aid(raw: dict[str, Any]) -> dict[str, int | float]:
    """The entered figures, each checked (whole persons, 万元 to two decimals, not negative) and
    the sums checked; AidErrors lists every problem beside its field."""
    values: dict[str, Decimal] = {}
    errors: dict[str, str] = {}
    for line in AID_LINES:
        text = str(raw.get(line.key) or "").strip().replace(",", "").replace("，", "")
        if not text:
            errors[line.key] = "请填写（没有请填 0）"
            continue
        try:
            number = Decimal(text)
        except InvalidOperation:
            errors[line.key] = "请填写数字"
            continue
        if not number.is_finite() or number < 0:
            errors[line.key] = "不能为负数"
        elif line.unit == "人" and number != number.to_integral_value():
            errors[line.key] = "人数须为整数"
        elif line.unit == "人" and number > MAX_PERSONS:
            errors[line.key] = f"不能超过 {MAX_PERSONS}"
        elif line.unit == "万元" and number.as_tuple().exponent < -2:  # type: ignore[operator]
            errors[line.key] = "金额以万元为单位，最多两位小数"
        elif line.unit == "万元" and number > MAX_AMOUNT:
            errors[line.key] = f"不能超过 {MAX_AMOUNT} 万元"
        else:
            values[line.key] = number
    for total, parts in SUMS.items():
        if total in values and all(p in values for p in parts):
            added = sum((values[p] for p in parts), Decimal(0))
            if values[total] != added:
                names = "+".join(p[2] for p in parts)
                errors[total] = f"应等于 {names} 之和（{added}），现为 {values[total]}"
    if errors:
        raise AidErrors(errors)
    units = {line.key: line.unit for line in AID_LINES}
    return {k: int(v) if units[k] == "人" else float(v) for k, v in values.items()}


def add_up(tables: list[dict[str, Any]]) -> dict[str, int | float]:
    """The sum of several provinces' items 01–05 (for the national total)."""
    out: dict[str, int | float] = {}
    for line in AID_LINES:
        values = [t[line.key] for t in tables if t.get(line.key) is not None]
        if line.unit == "人":
            out[line.key] = int(sum(values))
        else:
            total = sum((Decimal(str(v)) for v in values), Decimal(0))
            out[line.key] = float(total.quantize(Decimal("0.01")))
    return out
