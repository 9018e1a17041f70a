"""The table in the notice's layout: CSV, and a workbook that prints as the notice's form."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select

from ..clock import china_time
from ..exports import one_a4_page
from ..models import HQ_CODE, Org, ProvinceReport, ReportState
from .aid import AID_KEYS, AID_LINES, add_up
from .compute import compute_tables
from .items import LINES, Line
from .reports import province_statuses, reporting_provinces


def notice_title(year: int) -> str:
    """The form's title as the notice gives it (附件), with the campaign's year."""
    return f"{year}年各地工会金秋助学和阳光就业行动情况统计表"


def filling_note(table: dict[str, Any]) -> str:
    cutoff = date.fromisoformat(table["cutoff"])
    return f"填报说明：数据统计截止日期为{cutoff.year}年{cutoff.month}月{cutoff.day}日。"


#: The line for the stamp and the signature, below the table, as a submitted paper form has it.
SIGNATURE = "填报单位（盖章）：　　　　　　　　负责人：　　　　　　　　日期：　　　年　　月　　日"


def table_lines(table: dict[str, Any]) -> list[Line]:
    """The lines a table has: 01–05 where the province entered them, then 06–16."""
    aid = [line for line in AID_LINES if line.key in table["items"]]
    return [*(aid if len(aid) == len(AID_LINES) else []), *LINES]


def wording(line: Line, year: int) -> str:
    """The line's text as the form prints it (items 01–05 name the campaign's year)."""
    return f"{year}年{line.wording}" if line.key in AID_KEYS and line.item else line.wording


def notice_rows(
    table: dict[str, Any], reporter: str = "", phone: str = ""
) -> tuple[list[str], list[list[Any]]]:
    """A header line (province · 填报人 · 联系电话), one row per line of the table, and the
    填报说明 line."""
    header = [
        f"{table['org_name']}",
        f"填报人：{reporter}",
        f"联系电话：{phone}",
        f"数据统计截止日期：{table['cutoff']}",
    ]
    year = int(table["campaign"])
    rows = [
        [line.item, line.sub, wording(line, year), table["items"][line.key], line.unit]
        for line in table_lines(table)
    ]
    rows.append([filling_note(table), "", "", "", ""])
    return header, rows


def to_notice_xlsx(table: dict[str, Any], reporter: str = "", phone: str = "") -> bytes:
    """A workbook that prints as the notice's form on one A4 page: title with the year, the
    province with 填报人 and 联系电话, the items in bordered rows (amounts in 万元 with two
    decimals), the 填报说明 line and the line for the stamp, the signature and the date."""
    import io

    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "统计表"
    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    sheet.append([notice_title(int(table["campaign"]))])
    sheet.merge_cells("A1:E1")
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A1"].alignment = Alignment(horizontal="center", vertical="center")
    sheet.row_dimensions[1].height = 28
    gap = "\u3000" * 4
    sheet.append([f"{table['org_name']}{gap}填报人：{reporter}{gap}联系电话：{phone}"])
    sheet.merge_cells("A2:E2")
    sheet.row_dimensions[2].height = 22
    sheet.append(["项目", "", "内容", "数值", "单位"])
    sheet.merge_cells("A3:B3")
    for cell in sheet[3]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center")
        cell.border = box
    year = int(table["campaign"])
    for line in table_lines(table):
        value = table["items"][line.key]
        sheet.append([line.item, line.sub, wording(line, year), value, line.unit])
        row = sheet.max_row
        for cell in sheet[row]:
            cell.border = box
            cell.alignment = Alignment(vertical="center", wrap_text=cell.column == 3)
        if line.unit == "万元":
            sheet.cell(row=row, column=4).number_format = "0.00"
        # long wordings take two lines at this width
        sheet.row_dimensions[row].height = 40 if len(line.wording) > 34 else 24
    last = sheet.max_row
    sheet.append([filling_note(table)])
    sheet.merge_cells(start_row=last + 1, start_column=1, end_row=last + 1, end_column=5)
    sheet.append([SIGNATURE])
    sheet.merge_cells(start_row=last + 2, start_column=1, end_row=last + 2, end_column=5)
    sheet.row_dimensions[last + 2].height = 30
    for column, width in zip("ABCDE", (7, 6, 58, 11, 7), strict=True):
        sheet.column_dimensions[column].width = width
    # one A4 page, portrait, centred, the rows above the items repeated if ever split
    one_a4_page(sheet, f"A1:E{last + 2}")
    sheet.print_title_rows = "1:3"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def read_notice_xlsx(data: bytes) -> dict[str, int | float]:
    """Read the items back from a workbook written by to_notice_xlsx (used to check exports)."""
    import io

    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(data), read_only=True).worksheets[0]
    rows = [row for row in sheet.iter_rows(min_row=4, values_only=True) if row and len(row) >= 4]
    lines = [*AID_LINES, *LINES] if rows and rows[0][0] == "（01）" else list(LINES)
    return {line.key: row[3] for line, row in zip(lines, rows, strict=False)}


#: The national table's first column of items 06–16 (after 区划代码, the union's name, 数据 and
#: items 01–05).
NATIONAL_FIRST = 3 + len(AID_LINES)
SUBMITTED, LIVE = "已上报（冻结）", "实时（未上报）"


def line_heading(line: Any) -> str:
    """An item as a column heading: （06）（A）省（区、市）共有……（人）."""
    return f"{line.item}{line.sub}{line.wording}（{line.unit}）"


def national_rows(
    session: Any, campaign: Any, cutoff: Any = None
) -> tuple[list[str], list[list[Any]]]:
    """HQ's national table: one row per provincial union — its submitted (frozen) table where it
    has reported, else its live one, and which it is — then the country's live total."""
    tables = compute_tables(session, campaign, cutoff)
    provinces = reporting_provinces(session)
    held = session.scalars(
        select(ProvinceReport).where(ProvinceReport.campaign_id == campaign.id)
    ).all()
    frozen = {
        r.org_id: r.items
        for r in held
        if r.state == ReportState.SUBMITTED and r.items is not None and cutoff is None
    }
    entered = {r.org_id: r.aid for r in held if r.aid}
    hq = session.scalar(select(Org).where(Org.code == HQ_CODE))
    header = [
        "区划代码",
        "省（区、市）总工会",
        "数据",
        *(line_heading(line) for line in [*AID_LINES, *LINES]),
    ]
    rows = []
    aid_tables = []
    for p in provinces:
        items = frozen.get(p.id) or {**(entered.get(p.id) or {}), **tables[p.id]}
        source = SUBMITTED if p.id in frozen else LIVE
        aid_tables.append(items)
        rows.append(
            [
                p.code,
                p.name,
                source,
                *(items.get(line.key) for line in AID_LINES),
                *(items[line.key] for line in LINES),
            ]
        )
    total = add_up(aid_tables)
    rows.append(
        [
            HQ_CODE,
            "全国合计",
            "实时",
            *(total[line.key] for line in AID_LINES),
            *(tables[hq.id][line.key] for line in LINES),
        ]
    )
    return header, rows


def summary_rows(session: Any, campaign: Any) -> tuple[list[str], list[list[Any]]]:
    """Each provincial union's 总结报告 with who reported it (a sheet of the national workbook)."""
    header = [
        "区划代码",
        "省（区、市）总工会",
        "状态",
        "上报时间（北京时间）",
        "填报人",
        "联系电话",
        "总结报告",
    ]
    rows = []
    for s in province_statuses(session, campaign):
        r = s.report
        state = r.state.label if r else "未上报"
        rows.append(
            [
                s.org.code,
                s.org.name,
                state + ("（逾期）" if s.late else ""),
                china_time(r.submitted_at).strftime("%Y-%m-%d %H:%M")
                if r and r.submitted_at
                else "",
                (r.reporter or "") if r else "",
                (r.reporter_phone or "") if r else "",
                (r.summary or "") if r else "",
            ]
        )
    return header, rows


def to_national_xlsx(
    header: list[str],
    rows: list[list[Any]],
    title: str,
    summaries: tuple[list[str], list[list[Any]]] | None = None,
) -> bytes:
    import io

    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "全国"
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(header)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.row_dimensions[2].height = 90
    for row in rows:
        sheet.append(row)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    sheet.column_dimensions["B"].width = 26
    sheet.column_dimensions["C"].width = 14
    sheet.freeze_panes = "D3"
    _money_columns(sheet, [*AID_LINES, *LINES], first=4, from_row=3)
    _print_wide(sheet, titles="1:2", columns="A:C", paper=sheet.PAPERSIZE_A3)
    if summaries is not None:
        notes = workbook.create_sheet("总结报告")
        notes.append(summaries[0])
        for cell in notes[1]:
            cell.font = Font(bold=True)
        for row in summaries[1]:
            notes.append(row)
            notes.cell(row=notes.max_row, column=7).alignment = Alignment(wrap_text=True)
        for column, width in zip("ABCDEFG", (9, 26, 12, 18, 10, 16, 80), strict=True):
            notes.column_dimensions[column].width = width
        _print_wide(notes, titles="1:1", columns="A:B", paper=notes.PAPERSIZE_A4)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _money_columns(sheet: Any, lines: list[Any], *, first: int, from_row: int) -> None:
    """Amounts (万元) print with two decimals, as the form has them (14B, 04, 05)."""
    for offset, line in enumerate(lines):
        if line.unit != "万元":
            continue
        for row in range(from_row, sheet.max_row + 1):
            sheet.cell(row=row, column=first + offset).number_format = "0.00"


def _print_wide(sheet: Any, *, titles: str, columns: str, paper: Any) -> None:
    """A wide table prints landscape, as wide as the paper, as many pages down as it needs,
    with its heading rows and name columns on every page."""
    from openpyxl.worksheet.page import PageMargins

    sheet.page_setup.paperSize = paper
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_margins = PageMargins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    sheet.print_title_rows = titles
    sheet.print_title_cols = columns
