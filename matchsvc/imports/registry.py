"""The kinds of spreadsheet officers import, and their templates."""

from __future__ import annotations

import io

from .engine import Importer, Report
from .graduates import GraduateImporter
from .records import FairImporter, PositionImporter, ServiceImporter

IMPORTERS: dict[str, type[Importer]] = {
    cls.kind: cls for cls in (GraduateImporter, ServiceImporter, PositionImporter, FairImporter)
}


#: Rows of the template prepared for typing (text formats and drop-downs reach this far).
TEMPLATE_ROWS = 2000


def template_xlsx(importer: type[Importer]) -> bytes:
    """A workbook with the header row (required columns in bold) and one example row; the
    身份证号, 手机号 and 信用代码 columns formatted as text all the way down (Excel would keep
    only 15 digits of a number), and the columns with fixed values offered as drop-down lists."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = importer.label
    sheet.append([c.header for c in importer.columns])
    sheet.append([importer.example.get(c.header, "") for c in importer.columns])
    sheet.freeze_panes = "A2"
    for index, column in enumerate(importer.columns, start=1):
        header = sheet.cell(row=1, column=index)
        header.font = Font(bold=column.required)
        letter = header.column_letter
        sheet.column_dimensions[letter].width = max(12, len(column.header) * 2 + 4)
        if column.as_text:
            for row in range(2, TEMPLATE_ROWS + 2):
                sheet.cell(row=row, column=index).number_format = "@"
        if column.choices:
            listed = ",".join(column.choices)
            check = DataValidation(
                type="list",
                formula1=f'"{listed}"',
                allow_blank=True,
                # 困难类别 may hold several values: the list helps, other entries are checked
                # on import and explained there
                errorStyle="warning" if column.header == "困难类别" else "stop",
                showErrorMessage=True,
                errorTitle=column.header,
                error=f"请从下拉列表中选择：{'、'.join(column.choices)}",
            )
            check.add(f"{letter}2:{letter}{TEMPLATE_ROWS + 1}")
            sheet.add_data_validation(check)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def errors_xlsx(report: Report) -> bytes:
    """The errors of a refused import as a workbook (行, 姓名/名称, 列, 填写内容, 原因), to work
    through in Excel; personal numbers masked."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "错误清单"
    sheet.append(["行", "姓名/名称", "列", "填写内容", "原因"])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for problem in report.errors:
        sheet.append([problem.row, problem.who, problem.column, problem.value, problem.reason])
    if report.error_count > len(report.errors):
        sheet.append(
            ["", "", "", "", f"另有 {report.error_count - len(report.errors)} 处错误未列出"]
        )
    for letter, width in zip("ABCDE", (8, 24, 18, 24, 70), strict=True):
        sheet.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def summary(report: Report) -> str:
    text = f"共 {report.rows} 行：新建 {report.created}，更新 {report.updated}，未变 {report.unchanged}"
    if report.error_count:
        text += f"；发现 {report.error_count} 处错误，整个文件未导入"
    return text
