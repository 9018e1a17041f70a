"""The graduate import's columns: what each cell takes, the profile fields an update compares, and
the template's example row."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from .. import clock
from ..models import Degree, EmploymentStatus, FamilyKind, Hardship
from ..text import split_list
from ..validators import (
    STUDENT_YEARS_AHEAD,
    latest_graduation_year,
    parse_credit_code,
    parse_id_number,
    parse_origin_code,
    parse_phone,
    parse_region_code,
)
from . import cells
from .cells import CellError, checked
from .engine import Column

_FAMILY = {k.label: k for k in FamilyKind}
_HARDSHIP = {h.label: h for h in Hardship}


def _hardships(value: Any) -> tuple[FamilyKind, list[Hardship]]:
    family, flags = FamilyKind.WORKER, []
    for part in split_list(cells.text(value)):
        if part in _FAMILY:
            family = _FAMILY[part]
        elif part in _HARDSHIP:
            flags.append(_HARDSHIP[part])
        else:
            allowed = "、".join([*_FAMILY, *_HARDSHIP])
            raise CellError(f"“{part}”不是困难类别（可选：{allowed}）")
    return family, list(dict.fromkeys(flags))


def _regions(value: Any) -> list[str]:
    return [checked(parse_region_code)(c) for c in split_list(cells.text(value))]


parse_id_number_cell = checked(parse_id_number)


def id_number_cell(value: Any) -> str:
    return parse_id_number_cell(cells.id_text(value)).value


def _short(n: int) -> Any:
    return lambda v: cells.text(v, max_len=n)


COLUMNS = (
    Column("姓名", "name", _short(50), required=True),
    Column("身份证号", "id_number", id_number_cell, required=True, as_text=True),
    Column("建档单位代码", "home_org", checked(parse_region_code), required=True),
    Column("毕业院校", "school_name", _short(100), required=True),
    Column("院校所在地代码", "school_org", checked(parse_region_code), required=True),
    Column("专业", "major_text", _short(100), required=True),
    Column(
        "学历",
        "degree",
        lambda v: cells.choice(Degree, v),
        required=True,
        choices=cells.labels(Degree),
    ),
    Column(
        "毕业年份",
        "graduation_year",
        lambda v: cells.integer(v, low=1950, high=latest_graduation_year()),
        required=True,
    ),
    Column("登记日期", "registered_on", cells.day, required=True),
    Column("手机号", "phone", lambda v: checked(parse_phone)(cells.id_text(v)), as_text=True),
    Column("生源地代码", "origin_region_code", checked(parse_origin_code)),
    Column("困难类别", "hardship", _hardships, choices=(*_FAMILY, *_HARDSHIP)),
    Column("父母工作单位", "parent_employer_name", _short(200)),
    Column(
        "父母单位信用代码",
        "parent_employer_uscc",
        lambda v: checked(parse_credit_code)(cells.id_text(v)),
    ),
    Column(
        "就业状态",
        "status",
        lambda v: cells.choice(EmploymentStatus, v),
        choices=cells.labels(EmploymentStatus),
    ),
    Column("状态日期", "status_since", cells.day),
    Column("帮扶档案编号", "archive_no", lambda v: cells.id_text(v), as_text=True),
    Column("意向地区", "wish_regions", _regions),
    Column("意向岗位", "wish_work", _short(200)),
    Column("技能特长", "skills", _short(2000)),
    Column("培训意向", "wants_training", cells.yes_no),
    Column("见习意向", "wants_internship", cells.yes_no),
    Column("创业意向", "wants_business", cells.yes_no),
    Column("在校生", "student", cells.yes_no),
)


#: The columns of a 在校生's row: the 毕业年份 is after this year, at most 7 years ahead.
def _student_year(value: Any) -> int:
    year = clock.today().year
    return cells.integer(value, low=year + 1, high=year + STUDENT_YEARS_AHEAD)


STUDENT_COLUMNS = tuple(
    replace(c, parse=_student_year) if c.name == "graduation_year" else c for c in COLUMNS
)


def is_student_row(values: dict[str, Any]) -> bool:
    """The row's 在校生 cell says yes (a wrong cell is reported by its column, and read as no)."""
    try:
        return cells.yes_no(values.get("在校生"))
    except CellError:
        return False


#: Profile columns compared for an update (besides orgs, phone, hardships and status).
PLAIN = (
    "name",
    "school_name",
    "major_text",
    "degree",
    "graduation_year",
    "registered_on",
    "origin_region_code",
    "parent_employer_name",
    "parent_employer_uscc",
    "archive_no",
    "wish_regions",
    "wish_work",
    "skills",
    "wants_training",
    "wants_internship",
    "wants_business",
    "student",
)
DEFAULTS: dict[str, Any] = {
    "wish_regions": [],
    "wants_training": False,
    "wants_internship": False,
    "wants_business": False,
    "student": False,
}


EXAMPLE: dict[str, str] = {
    "姓名": "张三",
    "身份证号": "440106199001011235",
    "建档单位代码": "440100",
    "毕业院校": "中山大学",
    "院校所在地代码": "440100",
    "专业": "计算机科学与技术",
    "学历": "本科",
    "毕业年份": "2012",
    "登记日期": "2012-07-02",
    "手机号": "13800138000",
    "生源地代码": "440106",
    "困难类别": "困难职工家庭、低保",
    "父母工作单位": "广州地铁集团有限公司",
    "就业状态": "未就业",
    "帮扶档案编号": "BF440106000001",
    "意向地区": "440100、440300",
    "意向岗位": "软件开发",
    "技能特长": "Python、驾驶证C1",
    "培训意向": "是",
    "见习意向": "是",
    "创业意向": "否",
    "在校生": "否",
}
