"""All-or-nothing imports: every row validated, every error reported, nothing written on any error.

An import runs inside a savepoint. Rows are read as a stream and handled in chunks; each chunk
is validated and written. Once any row fails, writing stops but validation goes on to the end,
so the officer gets every error at once; then the savepoint is rolled back. A dry run (the
preview) does the same and always rolls back, so it reports exactly what the real run would do.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import Any, ClassVar

from sqlalchemy import text
from sqlalchemy.orm import Session

from .. import pii
from ..actors import Actor
from ..audit import record
from .cells import CellError
from .reader import Sheet, open_sheet

CHUNK = 1000
ANALYZE_AFTER = 1000
MAX_REPORTED = 500


@dataclass
class Problem:
    row: int
    column: str
    reason: str
    #: Whose row it is (姓名, 单位 · 岗位, 活动名称, or a masked ID number), as the file has it.
    who: str = ""
    #: What the offending cell holds (personal numbers masked).
    value: str = ""

    def __str__(self) -> str:
        who = f"（{self.who}）" if self.who else ""
        held = f"（填的是“{self.value}”）" if self.value else ""
        return f"第{self.row}行 [{self.column}]{who}：{self.reason}{held}"


#: Columns whose values are personal numbers: shown masked wherever a problem is reported.
MASKED = {"身份证号": pii.mask_id_number, "手机号": pii.mask_phone}


def cell_words(header: str, value: Any) -> str:
    """A cell's value as a problem report shows it: short, and masked if personal."""
    if value is None or value == "":
        return ""
    if header in MASKED:
        raw = str(value).strip()
        return MASKED[header](raw) if len(raw) >= 11 else "*" * len(raw)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    words = str(value).strip()
    return words if len(words) <= 40 else words[:40] + "…"


@dataclass
class Change:
    row: int
    action: str  # "新建" or "更新"
    key: str  # what identifies the record, masked
    fields: list[str] = field(default_factory=list)


@dataclass
class Report:
    kind: str
    filename: str
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    error_count: int = 0
    applied: bool = False
    #: The headers that say whose a row is (the importer's `who`).
    who_headers: tuple[str, ...] = ()
    #: The cells of the chunk being read, by row number, so a problem names whose row it is.
    cells: dict[int, dict[str, Any]] = field(default_factory=dict)

    def _problem(self, row: int, column: str, reason: str) -> Problem:
        values = self.cells.get(row, {})
        who = " · ".join(w for h in self.who_headers if (w := cell_words(h, values.get(h))))
        return Problem(row, column, reason, who, cell_words(column, values.get(column)))

    def error(self, row: int, column: str, reason: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_REPORTED:
            self.errors.append(self._problem(row, column, reason))

    def warn(self, row: int, column: str, reason: str) -> None:
        if len(self.warnings) < MAX_REPORTED:
            self.warnings.append(self._problem(row, column, reason))

    def change(self, row: int, action: str, key: str, fields: list[str] | None = None) -> None:
        if action == "新建":
            self.created += 1
        else:
            self.updated += 1
        if len(self.changes) < MAX_REPORTED:
            self.changes.append(Change(row, action, key, fields or []))


@dataclass(frozen=True)
class Column:
    header: str
    name: str
    parse: Callable[[Any], Any]
    required: bool = False
    #: The template offers these as a drop-down list (data validation).
    choices: tuple[str, ...] = ()
    #: The template formats the whole column as text (long numbers keep every digit).
    as_text: bool = False


class Importer:
    """One kind of spreadsheet: its columns, and how a chunk of parsed rows is written."""

    kind: str = ""
    label: str = ""
    columns: ClassVar[tuple[Column, ...]] = ()
    #: One example row for the downloadable template.
    example: ClassVar[dict[str, str]] = {}
    #: The columns that say whose a row is, in a problem report.
    who: ClassVar[tuple[str, ...]] = ()

    def __init__(self, session: Session, actor: Actor, report: Report) -> None:
        self.session, self.actor, self.report = session, actor, report
        #: Names of the columns the file has; absent optional columns are left untouched.
        self.present: set[str] = set()

    @property
    def writing(self) -> bool:
        return self.report.error_count == 0

    def parse_row(self, number: int, values: dict[str, Any]) -> dict[str, Any] | None:
        return self.parse_cells(number, values, self.columns)

    def parse_cells(
        self, number: int, values: dict[str, Any], columns: Sequence[Column]
    ) -> dict[str, Any] | None:
        """The row's cells parsed by `columns`, each error reported."""
        parsed: dict[str, Any] = {}
        ok = True
        for column in columns:
            raw = values.get(column.header)
            if raw in (None, "") and column.required:
                self.report.error(number, column.header, "必填项为空")
                ok = False
                continue
            try:
                parsed[column.name] = column.parse(raw) if raw not in (None, "") else None
            except CellError as err:
                self.report.error(number, column.header, str(err))
                ok = False
        return parsed if ok else None

    def handle(self, rows: list[tuple[int, dict[str, Any]]]) -> None:
        """Validate a chunk of parsed rows against the database and write them (if writing)."""
        raise NotImplementedError


def _rows_by_header(sheet: Sheet, importer: Importer) -> Iterator[tuple[int, dict[str, Any]]]:
    report = importer.report
    headers = sheet.header
    given = Counter(headers)  # one pass: the checks below are linear in the header's length
    known = {c.header for c in importer.columns}
    missing = [c.header for c in importer.columns if c.required and c.header not in given]
    if missing:
        report.error(1, "、".join(missing), "缺少必需的列")
        return
    importer.present = {c.name for c in importer.columns if c.header in given}
    for h in given:
        if h and h not in known:
            report.warn(1, h, "不认识的列，已忽略")
    dupes = {h for h, n in given.items() if h and n > 1}
    if dupes:
        report.error(1, "、".join(sorted(dupes)), "列名重复")
        return
    for number, values in sheet.rows:
        yield (
            number,
            {
                h: values[i] if i < len(values) else None
                for i, h in enumerate(headers)
                if h in known
            },
        )


def run_import(
    session: Session,
    actor: Actor,
    importer_cls: type[Importer],
    data: bytes,
    filename: str,
    *,
    dry_run: bool,
) -> Report:
    """Import a file; on any error (or a dry run) nothing stays written. Raises FileRefused."""
    report = Report(importer_cls.kind, filename, who_headers=importer_cls.who)
    savepoint = session.begin_nested()
    try:
        sheet = open_sheet(data, filename)
        importer = importer_cls(session, actor, report)
        rows = _rows_by_header(sheet, importer)
        while chunk := list(islice(rows, CHUNK)):
            report.rows += len(chunk)
            report.cells = dict(chunk)
            parsed = [
                (n, p) for n, values in chunk if (p := importer.parse_row(n, values)) is not None
            ]
            importer.handle(parsed)
            if importer.writing:
                session.flush()
    except BaseException:
        savepoint.rollback()
        raise
    finally:
        report.cells = {}  # the report outlives the request; the file's cells do not
    if report.error_count or dry_run:
        savepoint.rollback()
        return report
    savepoint.commit()
    report.applied = True
    if report.created >= ANALYZE_AFTER and importer_cls.kind == "graduates":
        # Fresh statistics let the planner pick the pinyin or sort indexes over the jurisdiction
        # ones (SQLite never gathers them by itself; PostgreSQL's autovacuum comes later).
        session.execute(text("ANALYZE graduate"))
    record(
        session,
        actor,
        "import",
        importer_cls.kind,
        details={
            "source": filename[:100],
            "rows": report.rows,
            "created": report.created,
            "updated": report.updated,
        },
    )
    return report
