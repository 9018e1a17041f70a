"""Reading officers' spreadsheets (.xlsx, the older .xls, UTF-8 or GB18030 .csv) safely.

Hostile files are refused before any row is read: not really xlsx, macro-enabled, a zip bomb,
too large, too many rows or columns, or any XML part with a DTD (<!DOCTYPE or <!ENTITY: the
only way to an entity bomb or an external entity; Excel never writes one), looked for in the
part's own encoding (UTF-8, UTF-16 or UTF-32); a formula in any cell rejects the file. Rows are
then streamed with openpyxl's read-only mode, which parses with defusedxml (installed with
matchsvc), and any parse error on the way is a refusal, never a 500.
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import DomainError

MAX_FILE_BYTES = 20 * 1024 * 1024
#: Data rows per file; a larger file is refused with a message, not read to the end.
MAX_ROWS = 100_000
#: Columns of the header row; the templates have at most 20.
MAX_COLUMNS = 200
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200
ZIP_MAGIC = b"PK\x03\x04"
#: The OLE2 compound file that Excel 97–2003 (.xls) workbooks are.
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class FileRefused(DomainError):
    """The file cannot be imported at all (as opposed to errors in its rows)."""


@dataclass
class Sheet:
    header: list[str]
    rows: Iterator[tuple[int, list[Any]]]  # (sheet row number, cell values); header is row 1


def _check_zip(data: bytes) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise FileRefused("文件不是有效的 .xlsx 工作簿（可能已损坏，或只是改了扩展名）") from None
    names = archive.namelist()
    if "xl/workbook.xml" not in names:
        raise FileRefused("文件不是有效的 .xlsx 工作簿（缺少 workbook）")
    if any(n.lower().endswith("vbaproject.bin") for n in names):
        raise FileRefused("不接受含宏的工作簿（.xlsm），请另存为普通 .xlsx 后再导入")
    total = 0
    for info in archive.infolist():
        total += info.file_size
        if (
            info.compress_size
            and info.file_size / info.compress_size > MAX_COMPRESSION_RATIO
            and info.file_size > 10 * 1024 * 1024
        ):
            raise FileRefused("文件解压后异常巨大（疑似压缩炸弹），已拒绝")
    if total > MAX_UNCOMPRESSED_BYTES:
        raise FileRefused("文件解压后超过 200MB，已拒绝")
    for info in archive.infolist():
        if info.filename.endswith((".xml", ".rels")) and _has_dtd(archive, info):
            raise FileRefused("工作簿含有 XML 实体声明（DOCTYPE/ENTITY），可能是恶意文件，已拒绝")


#: How an XML part's first bytes say its encoding (XML 1.0, appendix F); UTF-8 otherwise.
_SNIFF = (
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\x00<", "utf-32-be"),
    (b"<\x00\x00\x00", "utf-32-le"),
    (b"\xfe\xff", "utf-16-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\x00<", "utf-16-be"),
    (b"<\x00", "utf-16-le"),
)


def _encoding_of(start: bytes) -> str:
    return next((name for magic, name in _SNIFF if start.startswith(magic)), "utf-8")


def _has_dtd(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    """Stream one XML part, decoded as it says, looking for a DTD, without holding it."""
    tail = ""
    with archive.open(info) as part:
        chunk = part.read(1 << 16)
        decoder = codecs.getincrementaldecoder(_encoding_of(chunk))(errors="replace")
        while chunk:
            window = tail + decoder.decode(chunk)
            if "<!DOCTYPE" in window or "<!ENTITY" in window:
                return True
            tail = window[-16:]
            chunk = part.read(1 << 16)
    return False


def _check_header(header: list[str]) -> list[str]:
    """The header without trailing empty cells; refused when it has too many columns."""
    while header and not header[-1]:
        header.pop()
    if len(header) > MAX_COLUMNS:
        raise FileRefused(f"表头超过 {MAX_COLUMNS} 列，请只保留模板中的列（可下载导入模板对照）")
    return header


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _xlsx(data: bytes) -> Sheet:
    _check_zip(data)
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        sheet = workbook.worksheets[0]
        if sheet.max_row is not None and sheet.max_row > MAX_ROWS + 1:
            raise FileRefused(
                f"文件有 {sheet.max_row - 1} 行数据，超过每次导入上限 {MAX_ROWS} 行，请拆分后导入"
            )
        # one column past the cap is read, so a longer header is seen (and refused)
        cells = sheet.iter_rows(max_col=MAX_COLUMNS + 1)
        first = next(cells, None)
    except FileRefused:
        raise
    except Exception as exc:  # corrupt XML, a DTD defusedxml forbids, missing parts
        raise FileRefused(f"无法读取工作簿：{type(exc).__name__}") from None
    try:
        if first is None:
            raise FileRefused("工作簿第一个工作表是空的")
        header = _check_header([_text(c.value) for c in first])
    except FileRefused:
        workbook.close()
        raise

    def parsed() -> Iterator[Any]:
        """The sheet's rows; a parse error part-way is a refusal like one at the start."""
        while True:
            try:
                row = next(cells)
            except StopIteration:
                return
            except Exception as exc:
                raise FileRefused(f"无法读取工作簿：{type(exc).__name__}") from None
            yield row

    def rows() -> Iterator[tuple[int, list[Any]]]:
        for number, row in enumerate(parsed(), start=2):
            if number > MAX_ROWS + 1:
                raise FileRefused(f"文件超过每次导入上限 {MAX_ROWS} 行，请拆分后导入")
            values = []
            for cell in row:
                if getattr(cell, "data_type", None) == "f":
                    raise FileRefused(
                        f"第{number}行含公式（{cell.coordinate}），请将公式转为数值后再导入"
                    )
                values.append(cell.value)
            if any(v not in (None, "") for v in values):
                yield number, values
        workbook.close()

    return Sheet(header, rows())


def _xls(data: bytes) -> Sheet:
    """An Excel 97–2003 workbook, read with calamine (Rust; no macros run, no formulas are
    evaluated — a formula cell gives the value Excel saved). Its first sheet, capped like the
    others: file size (checked before), rows, header columns."""
    from python_calamine import CalamineWorkbook

    try:
        sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0)
        if sheet.height > MAX_ROWS + 1:
            raise FileRefused(
                f"文件有 {sheet.height - 1} 行数据，超过每次导入上限 {MAX_ROWS} 行，请拆分后导入"
            )
        if sheet.width > MAX_COLUMNS:
            raise FileRefused(
                f"表头超过 {MAX_COLUMNS} 列，请只保留模板中的列（可下载导入模板对照）"
            )
        table = sheet.to_python(skip_empty_area=False)
    except FileRefused:
        raise
    except Exception as exc:  # not really an .xls, encrypted, corrupt
        raise FileRefused(
            f"无法读取 .xls 工作簿：{type(exc).__name__}（可在 Excel 中另存为 .xlsx）"
        ) from None
    if not table:
        raise FileRefused("工作簿第一个工作表是空的")
    header = _check_header([_text(v) for v in table[0]])

    def rows() -> Iterator[tuple[int, list[Any]]]:
        for number, values in enumerate(table[1:], start=2):
            cells = [None if v == "" else v for v in values]
            if any(v is not None for v in cells):
                yield number, cells

    return Sheet(header, rows())


def _csv(data: bytes) -> Sheet:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise FileRefused("CSV 文件编码无法识别，请保存为 UTF-8 或 GB18030（Excel 默认）")
    text = text.removeprefix("\ufeff")  # GB18030's BOM (84 31 95 33) decodes to U+FEFF
    if "\x00" in text:
        raise FileRefused("CSV 文件含有二进制内容，不是文本文件")
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = _check_header([h.strip() for h in next(reader)])
    except StopIteration:
        raise FileRefused("CSV 文件是空的") from None
    except csv.Error as exc:
        raise FileRefused(f"CSV 格式错误：{exc}") from None

    def rows() -> Iterator[tuple[int, list[Any]]]:
        try:
            for number, row in enumerate(reader, start=2):
                if number > MAX_ROWS + 1:
                    raise FileRefused(f"文件超过每次导入上限 {MAX_ROWS} 行，请拆分后导入")
                if any(cell.strip() for cell in row):
                    yield number, [cell.strip() for cell in row]
        except csv.Error as exc:
            raise FileRefused(f"CSV 格式错误（第{reader.line_num}行）：{exc}") from None

    return Sheet(header, rows())


def open_sheet(data: bytes, filename: str) -> Sheet:
    """Open an uploaded file by its content (and name), refusing hostile or broken files."""
    if len(data) > MAX_FILE_BYTES:
        raise FileRefused(f"文件超过 {MAX_FILE_BYTES // 1024 // 1024}MB，请拆分后导入")
    suffix = Path(filename).suffix.lower()
    if data.startswith(ZIP_MAGIC):
        if suffix not in (".xlsx", ""):
            raise FileRefused("文件内容是工作簿，但扩展名不是 .xlsx")
        return _xlsx(data)
    if data.startswith(OLE2_MAGIC):
        if suffix not in (".xls", ""):
            raise FileRefused("文件内容是旧版 .xls 工作簿，但扩展名不是 .xls")
        return _xls(data)
    if suffix in (".xlsx", ".xlsm", ".xls"):
        raise FileRefused("文件不是有效的 .xlsx 或 .xls 工作簿（可能已损坏，或只是改了扩展名）")
    if suffix not in (".csv", ".txt", ""):
        raise FileRefused("只接受 .xlsx、.xls 或 .csv 文件")
    return _csv(data)
