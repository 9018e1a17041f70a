"""The printed sheets of a base's month, each on one A4 page: the 见习人员花名册 (every intern with
months beginning in the month: ID numbers masked to the region code, as every list prints them)
and the 见习补贴申领表 (the months, the rate and its source, the retention that chose it, the
amount, and the lines for the signatures and the stamps)."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import areacodes, pii
from ..exports import one_a4_page
from ..models import Graduate, Org
from .service import last_day, planned_end
from .subsidy import Claim, province_of

THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
ROSTER_HEAD = (
    "序号", "姓名", "性别", "身份证号", "学历", "专业", "见习岗位", "见习期", "上岗日期",
    "本月计补", "生活补助（元/月）", "保险单号",
)  # fmt: skip


def _title(sheet: Any, text: str, width: int) -> None:
    sheet.append([text])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    sheet["A1"].font = Font(bold=True, size=16)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.row_dimensions[1].height = 30


def _box(sheet: Any, first: int, last: int) -> None:
    for row in sheet.iter_rows(min_row=first, max_row=last):
        for cell in row:
            cell.border = BOX
            cell.alignment = Alignment(vertical="center", wrap_text=True)


def _save(book: Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def roster(session: Session, claim: Claim) -> bytes:
    base = claim.base
    ids = [line.internship.graduate_id for line in claim.lines]
    people = {g.id: g for g in session.scalars(select(Graduate).where(Graduate.id.in_(ids)))}
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "花名册"
    width = len(ROSTER_HEAD)
    _title(sheet, f"{claim.month:%Y年%m月} 就业见习人员花名册", width)
    sheet.append(
        [f"见习基地：{base.employer.name}", *[""] * (width - 4), f"批准文号：{base.approval_ref}"]
    )
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width - 3)
    sheet.merge_cells(start_row=2, start_column=width - 2, end_row=2, end_column=width)
    sheet.append(list(ROSTER_HEAD))
    head = sheet.max_row
    sheet.row_dimensions[head].height = 30
    for n, line in enumerate(claim.lines, 1):
        i, g = line.internship, people[line.internship.graduate_id]
        sheet.append([
            n, g.name, g.sex.label, pii.mask_id_number(g.id_number), g.degree.label, g.major_text,
            i.position.title, f"{i.starts_on} 至 {planned_end(i)}"
            + (f"（{last_day(i)} 终止）" if i.end_reason else ""),
            str(i.on_post_from), f"{line.months} 个月", i.allowance, i.policy_no,
        ])  # fmt: skip
    if not claim.lines:
        sheet.append(["", "本月没有计补的见习人员"])
    _box(sheet, head, sheet.max_row)
    for cell in sheet[head]:
        cell.font = Font(bold=True)
    sheet.append([])
    sheet.append([f"合计：{len(claim.lines)} 人，{claim.months} 个月", *[""] * (width - 1)])
    sheet.append(["见习基地（盖章）：", "", "", "", "经办人：", "", "", "", "填报日期："])
    widths = (6, 10, 6, 22, 8, 16, 16, 26, 12, 10, 12, 18)
    for n, w in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(n)].width = w
    one_a4_page(sheet, f"A1:{get_column_letter(width)}{sheet.max_row}", "landscape")
    return _save(book)


def claim_sheet(session: Session, claim: Claim) -> bytes:
    base = claim.base
    org = session.get_one(Org, base.org_id)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "见习补贴申领"
    _title(sheet, f"就业见习补贴申领表（{claim.month:%Y年%m月}）", 4)
    rate = claim.rate
    facts = [
        ("见习基地", base.employer.name),
        ("统一社会信用代码", base.employer.uscc),
        ("认定", f"{base.approver.label} {base.approval_ref}（{base.approved_from} 至 {base.approved_until}）"),
        ("受理单位", org.name),
        ("本月见习人员", f"{len(claim.lines)} 人"),
        ("计补月数", f"{claim.months} 个月"),
        ("两年内留用率", f"{claim.retention}（留用 {claim.retention.kept} 人 / 已定 {claim.retention.decided} 人）"),
    ]  # fmt: skip
    province = areacodes.full_name(province_of(session, base))
    if rate is None:
        facts.append(("补贴标准", f"{province}尚未设定见习补贴标准，请全国总工会补充后再申领"))
    else:
        higher = "（留用率达 50%，适用提高比例）" if claim.higher else ""
        facts += [
            ("补贴标准", f"{province}月最低工资 {rate.minimum_wage} 元 × {claim.pct}%"
             f" = {claim.per_month} 元/人·月{higher}"),
            ("依据", rate.source),
            ("申领金额", f"{claim.amount} 元"),
        ]  # fmt: skip
    for label, value in facts:
        sheet.append([label, value])
        row = sheet.max_row
        sheet.merge_cells(start_row=row, start_column=2, end_row=row, end_column=4)
    _box(sheet, 2, sheet.max_row)
    for row in sheet.iter_rows(min_row=2, max_row=sheet.max_row, max_col=1):
        row[0].font = Font(bold=True)
    sheet.append([])
    sheet.append(["附：本月见习人员花名册"])
    sheet.append(["见习基地意见：", "", "工会审核意见：", ""])
    sheet.append(["（盖章）", "", "（盖章）", ""])
    sheet.append(["日期：", "", "日期：", ""])
    for column, width in zip("ABCD", (18, 30, 18, 30), strict=True):
        sheet.column_dimensions[column].width = width
    for n in range(sheet.max_row - 2, sheet.max_row + 1):
        sheet.row_dimensions[n].height = 28
    one_a4_page(sheet, f"A1:D{sheet.max_row}")
    return _save(book)
