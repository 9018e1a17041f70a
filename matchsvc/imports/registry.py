"""The kinds of spreadsheet officers import, and their templates."""

from __future__ import annotations

import io

from .engine import Importer, Report
from .graduates import GraduateImporter
from .records import FairImporter, PositionImporter, ServiceImporter

IMPORTERS: dict[str, type[Importer]] = {
    cls.kind: cls for cls in (GraduateImporter, ServiceImporter, PositionImporter, FairImporter)
}


def template_xlsx(importer: type[Importer]) -> bytes:
    """A workbook with the header row (required columns marked) and one example row, as text."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = importer.label
    sheet.append([c.header for c in importer.columns])
    sheet.append([importer.example.get(c.header, "") for c in importer.columns])
    for index, column in enumerate(importer.columns, start=1):
        header = sheet.cell(row=1, column=index)
        header.font = Font(bold=column.required)
        example = sheet.cell(row=2, column=index)
        example.number_format = "@"  # text, so ID numbers keep every digit
        sheet.column_dimensions[header.column_letter].width = max(12, len(column.header) * 2 + 4)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def summary(report: Report) -> str:
    text = f"共 {report.rows} 行：新建 {report.created}，更新 {report.updated}，未变 {report.unchanged}"
    if report.error_count:
        text += f"；发现 {report.error_count} 处错误，整个文件未导入"
    return text
