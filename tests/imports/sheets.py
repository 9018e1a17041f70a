"""Building spreadsheets for import tests."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook

GRADUATE_HEADER = [
    "姓名",
    "身份证号",
    "建档单位代码",
    "毕业院校",
    "院校所在地代码",
    "专业",
    "学历",
    "毕业年份",
    "登记日期",
    "手机号",
    "困难类别",
    "就业状态",
    "状态日期",
]


def xlsx(header: list[str], rows: list[list[Any]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(header: list[str], rows: list[list[Any]], encoding: str = "utf-8") -> bytes:
    import csv

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def graduate_row(
    id_number: str,
    *,
    name: str = "王芳",
    home: str = "440100",
    school: str = "440100",
    status: str = "",
    since: str = "",
    major: str = "会计学",
) -> list[Any]:
    return [
        name,
        id_number,
        home,
        "中山大学",
        school,
        major,
        "本科",
        "2012",
        "2012-07-02",
        "13800138000",
        "困难职工家庭、低保",
        status,
        since,
    ]
