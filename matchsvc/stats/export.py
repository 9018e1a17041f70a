"""The table in the notice's layout, for CSV (and later workbooks)."""

from __future__ import annotations

from typing import Any

from ..models import HQ_CODE, Org, OrgLevel
from .compute import compute_tables
from .items import LINES


def notice_rows(
    table: dict[str, Any], reporter: str = "", phone: str = ""
) -> tuple[list[str], list[list[Any]]]:
    """A header line (province · 填报人 · 联系电话) and one row per line of the table."""
    header = [
        f"{table['org_name']}",
        f"填报人：{reporter}",
        f"联系电话：{phone}",
        f"数据统计截止日期：{table['cutoff']}",
    ]
    rows = [
        [line.item, line.sub, line.wording, table["items"][line.key], line.unit] for line in LINES
    ]
    return header, rows


TITLE = "困难职工家庭高校毕业生阳光就业行动统计表"


def to_notice_xlsx(table: dict[str, Any], reporter: str = "", phone: str = "") -> bytes:
    """A workbook in the notice's layout: title, header line, one line per item, the cutoff note."""
    import io
    from datetime import date

    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "统计表"
    sheet.append([TITLE])
    sheet.merge_cells("A1:E1")
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.append([f"{table['org_name']}", "", f"填报人：{reporter}", "", f"联系电话：{phone}"])
    sheet.append(["项目", "", "内容", "数值", "单位"])
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    for line in LINES:
        sheet.append([line.item, line.sub, line.wording, table["items"][line.key], line.unit])
        sheet.cell(row=sheet.max_row, column=3).alignment = Alignment(wrap_text=True)
    cutoff = date.fromisoformat(table["cutoff"])
    sheet.append([f"填报说明：数据统计截止日期为{cutoff.year}年{cutoff.month}月{cutoff.day}日。"])
    for column, width in zip("ABCDE", (8, 6, 70, 12, 8), strict=True):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def read_notice_xlsx(data: bytes) -> dict[str, int | float]:
    """Read the items back from a workbook written by to_notice_xlsx (used to check exports)."""
    import io

    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(data), read_only=True).worksheets[0]
    rows = [row for row in sheet.iter_rows(min_row=4, values_only=True) if row and len(row) >= 4]
    return {line.key: row[3] for line, row in zip(LINES, rows, strict=False)}


def national_rows(
    session: Any, campaign: Any, cutoff: Any = None
) -> tuple[list[str], list[list[Any]]]:
    """HQ's national table: one row per province (its subtree), then the country's total."""
    from sqlalchemy import select

    tables = compute_tables(session, campaign, cutoff)
    provinces = session.scalars(
        select(Org).where(Org.level == OrgLevel.PROVINCE).order_by(Org.code)
    ).all()
    hq = session.scalar(select(Org).where(Org.code == HQ_CODE))
    header = ["区划代码", "省（区、市）总工会", *(f"{line.key}（{line.unit}）" for line in LINES)]
    rows = [[p.code, p.name, *(tables[p.id][line.key] for line in LINES)] for p in provinces]
    rows.append([HQ_CODE, "全国合计", *(tables[hq.id][line.key] for line in LINES)])
    return header, rows


def to_national_xlsx(header: list[str], rows: list[list[Any]], title: str) -> bytes:
    import io

    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "全国"
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
