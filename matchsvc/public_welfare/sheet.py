"""空岗报告 as it is printed and filed: one A4 page with the post, the period that ended and why,
the deadline, the matcher's shortlist for the seat (name, major, degree, fit — for the approving
org's officers, who keep these archives) and the lines for who filed it and the stamp."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import areacodes
from ..exports import one_a4_page
from ..models import Employer, Graduate, Org, Position, Tenure, VacancyReport

THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


def vacancy_sheet(session: Session, report: VacancyReport) -> bytes:
    tenure = session.get_one(Tenure, report.tenure_id)
    position = session.get_one(Position, report.position_id)
    employer = session.get_one(Employer, position.employer_id)
    org = session.get_one(Org, report.org_id)
    held = session.get_one(Graduate, tenure.graduate_id)
    ids = [int(s["graduate_id"]) for s in report.shortlist]
    people = {g.id: g for g in session.scalars(select(Graduate).where(Graduate.id.in_(ids)))}

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "空岗报告"
    sheet.append(["公益性岗位空岗报告"])
    sheet.merge_cells("A1:D1")
    sheet["A1"].font = Font(bold=True, size=16)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.row_dimensions[1].height = 30
    sheet.append([f"报送：{org.name}", "", f"报送期限：{report.due_on}"])
    sheet.merge_cells("A2:B2")
    sheet.merge_cells("C2:D2")
    sheet["C2"].alignment = Alignment(horizontal="right")
    facts = [
        ("用人单位", employer.name),
        ("岗位", f"{position.title}（{areacodes.full_name(position.work_region_code)}）"),
        ("原在岗人员", held.name),
        ("在岗期间", f"{tenure.starts_on} 至 {tenure.last_day}（计划 {tenure.planned_end} 期满）"),
        ("退出原因", tenure.exit_reason.label if tenure.exit_reason else "期满"),
        ("说明", tenure.exit_note or ""),
        ("空岗日期", str(report.vacant_from)),
    ]
    for label, value in facts:
        sheet.append([label, value])
        row = sheet.max_row
        sheet.merge_cells(start_row=row, start_column=2, end_row=row, end_column=4)
    sheet.append([])
    sheet.append(["推荐人选（匹配器按岗位要求排序，供审批单位参考）"])
    sheet.merge_cells(start_row=sheet.max_row, start_column=1, end_row=sheet.max_row, end_column=4)
    sheet.cell(sheet.max_row, 1).font = Font(bold=True)
    sheet.append(["序号", "姓名", "专业 · 学历", "匹配度"])
    head = sheet.max_row
    for n, item in enumerate(report.shortlist, 1):
        g = people.get(int(item["graduate_id"]))
        if g is None:
            continue
        sheet.append([n, g.name, f"{g.major_text} · {g.degree.label}", item["fit"]])
    if not report.shortlist:
        sheet.append(["", "辖区内暂无符合条件的求职毕业生", "", ""])
    for row in sheet.iter_rows(min_row=3, max_row=sheet.max_row):
        for cell in row:
            if cell.row != head - 1 and cell.row != head - 2:
                cell.border = BOX
            if cell.row != 2:
                cell.alignment = Alignment(vertical="center", wrap_text=True)
    for cell in sheet[head]:
        cell.font = Font(bold=True)
    sheet.append([])
    sheet.append(["填报人：", "", "联系电话：", ""])
    sheet.append(["填报日期：", "", "（单位盖章）", ""])
    for column, width in zip("ABCD", (14, 26, 34, 14), strict=True):
        sheet.column_dimensions[column].width = width
    one_a4_page(sheet, f"A1:D{sheet.max_row}")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
