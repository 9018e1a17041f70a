"""Writing tables for Excel safely: .csv (UTF-8 with BOM) and .xlsx, never a formula."""

from __future__ import annotations

import csv
import io
import itertools
import unicodedata
from collections.abc import Iterable
from typing import Any

#: A cell starting with one of these would be read by Excel as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: Any) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def to_csv(header: list[str], rows: Iterable[list[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow([csv_safe(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _display_width(value: Any) -> int:
    """How wide a value prints: a Chinese character takes two columns."""
    text = "" if value is None else str(value)
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def column_widths(rows: list[list[Any]], least: int = 6, most: int = 50) -> list[float]:
    """Column widths that fit the header and the values (within bounds)."""
    count = max((len(r) for r in rows), default=0)
    return [
        float(min(most, max(least, *(_display_width(r[i]) + 2 for r in rows if i < len(r)))))
        for i in range(count)
    ]


def to_xlsx(header: list[str], rows: Iterable[list[Any]], title: str = "Sheet1") -> bytes:
    """Every cell is written as a string (type 's'), so '=…' stays text in Excel."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])

    def cells(values: list[Any]) -> list[WriteOnlyCell]:
        out = []
        for value in values:
            cell = WriteOnlyCell(sheet, value=None if value is None else str(value))
            cell.data_type = "s"
            out.append(cell)
        return out

    rows = iter(rows)
    first = list(itertools.islice(rows, 200))  # enough to size the columns by, still streaming
    for n, width in enumerate(column_widths([header, *first]), start=1):
        sheet.column_dimensions[get_column_letter(n)].width = width
    sheet.append(cells(header))
    for row in itertools.chain(first, rows):
        sheet.append(cells(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def one_a4_page(sheet: Any, area: str, orientation: str = "portrait") -> None:
    """Print `area` of an openpyxl sheet on one A4 page, centred, as a form is filed (a wide
    list, such as a 花名册, in landscape)."""
    from openpyxl.worksheet.page import PageMargins

    sheet.print_area = area
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = orientation
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 1
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    sheet.page_margins = PageMargins(left=0.6, right=0.6, top=0.7, bottom=0.7)
