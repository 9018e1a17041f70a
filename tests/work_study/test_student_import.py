"""Students are imported like graduates: a 在校生 column marks them, their 毕业年份 is after this
year (up to 7 ahead), each wrong year is reported beside its row, and a graduate's file without
the column still takes nothing beyond next year."""

from __future__ import annotations

from io import BytesIO

from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from matchsvc.actors import Actor
from matchsvc.imports.engine import run_import
from matchsvc.imports.graduates import GraduateImporter
from matchsvc.imports.registry import template_xlsx
from matchsvc.matching import loader
from matchsvc.models import Graduate
from matchsvc.pii import keyring

from ..conftest import make_id
from ..helpers import TODAY
from ..imports.sheets import GRADUATE_HEADER, graduate_row, xlsx

HEADER = [*GRADUATE_HEADER, "在校生"]


def _row(id_number: str, year: int, student: str) -> list[object]:
    row = graduate_row(id_number, name="学生")
    row[7], row[8] = str(year), TODAY.isoformat()
    return [*row, student]


def _get(session: Session, id_number: str) -> Graduate | None:
    digest = keyring().digest(id_number)
    return session.scalar(select(Graduate).where(Graduate.id_number_hash == digest))


def test_students_are_imported_and_their_years_checked(session: Session, hq_actor: Actor) -> None:
    a, b = (
        make_id("440106", born="20050301", seq="711"),
        make_id("440106", born="20060301", seq="712"),
    )
    ahead = TODAY.year + 3
    good = run_import(
        session, hq_actor, GraduateImporter,
        xlsx(HEADER, [_row(a, ahead, "是"), _row(b, TODAY.year - 1, "否")]), "s.xlsx",
        dry_run=False,
    )  # fmt: skip
    assert (good.created, good.error_count) == (2, 0)
    student, graduate = _get(session, a), _get(session, b)
    assert student is not None and graduate is not None
    assert student.student and student.graduation_year == ahead and student.is_student(TODAY)
    assert not graduate.student
    ids = set(session.scalars(select(Graduate.id).where(loader.students_looking(TODAY))))
    assert student.id in ids and graduate.id not in ids

    c, d, e = (make_id("440106", born="20050301", seq=s) for s in ("713", "714", "715"))
    bad = run_import(
        session, hq_actor, GraduateImporter,
        xlsx(HEADER, [_row(c, TODAY.year, "是"), _row(d, TODAY.year + 8, "是"),
                      _row(e, TODAY.year + 3, "否")]),
        "s.xlsx", dry_run=False,
    )  # fmt: skip
    assert not bad.applied
    errors = {(x.row, x.column) for x in bad.errors}
    # this year is no student's; eight ahead is too far; three ahead is no graduate's
    assert errors == {(2, "毕业年份"), (3, "毕业年份"), (4, "毕业年份")}
    assert all(_get(session, x) is None for x in (c, d, e))


def test_the_template_offers_the_column() -> None:
    sheet = load_workbook(BytesIO(template_xlsx(GraduateImporter))).worksheets[0]
    header = [c.value for c in sheet[1]]
    assert "在校生" in header
