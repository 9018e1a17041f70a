"""Cells as officers write them: dates the forms accept (2012/8/15, 2012年8月15日), 大专 for 专科,
a 毕业年份 no later than next year; and every problem names whose row it is and what the cell
holds (personal numbers masked)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from matchsvc import clock
from matchsvc.actors import Actor
from matchsvc.imports.engine import run_import
from matchsvc.imports.graduates import GraduateImporter
from matchsvc.models import Degree, Graduate

from ..conftest import make_id
from .sheets import GRADUATE_HEADER, csv_bytes, graduate_row, xlsx


def _import(session: Session, actor: Actor, rows: list[list[object]]):  # type: ignore[no-untyped-def]
    return run_import(
        session, actor, GraduateImporter, xlsx(GRADUATE_HEADER, rows), "g.xlsx", dry_run=False
    )


def test_dates_and_degrees_as_officers_write_them(session: Session, hq_actor: Actor) -> None:
    rows = [graduate_row(make_id("440106", seq=f"{n:03d}"), name=f"学生{n}") for n in range(4)]
    rows[0][8], rows[0][6] = "2012/8/15", "大专"
    rows[1][8], rows[1][6] = "2012年8月15日", "高职"
    rows[2][8], rows[2][6] = "2012.8.15", "大学本科"
    rows[3][8], rows[3][6] = "2012-08-15", "硕士研究生"
    report = _import(session, hq_actor, rows)
    assert report.error_count == 0, [str(p) for p in report.errors]
    got = {g.name: (g.registered_on, g.degree) for g in session.scalars(select(Graduate))}
    assert got == {
        "学生0": (date(2012, 8, 15), Degree.ZHUANKE),
        "学生1": (date(2012, 8, 15), Degree.ZHUANKE),
        "学生2": (date(2012, 8, 15), Degree.BENKE),
        "学生3": (date(2012, 8, 15), Degree.MASTER),
    }


def test_a_problem_names_the_row_and_the_value_masked(session: Session, hq_actor: Actor) -> None:
    good = make_id("440106", seq="111")
    bad_id = good[:-1] + ("0" if good[-1] != "0" else "1")
    rows = [graduate_row(good, name="陈一"), graduate_row(bad_id, name="李二")]
    rows[0][8] = "2012-13-01"
    rows[0][7] = str(clock.today().year + 4)
    rows[1][9] = "1380013"
    report = run_import(
        session, hq_actor, GraduateImporter, csv_bytes(GRADUATE_HEADER, rows), "g.csv",
        dry_run=True,
    )  # fmt: skip
    by_cell = {(p.row, p.column): p for p in report.errors}
    assert set(by_cell) == {(2, "登记日期"), (2, "毕业年份"), (3, "身份证号"), (3, "手机号")}
    day = by_cell[(2, "登记日期")]
    assert (day.who, day.value) == ("陈一", "2012-13-01") and "没有这一天" in day.reason
    year = by_cell[(2, "毕业年份")]
    assert year.value == str(clock.today().year + 4) and str(clock.today().year + 1) in year.reason
    wrong = by_cell[(3, "身份证号")]
    assert wrong.who == "李二" and wrong.value == bad_id[:6] + "*" * 12
    phone = by_cell[(3, "手机号")]
    assert phone.value == "*******" and "1380013" not in str(phone)
    assert "陈一" in str(day) and "2012-13-01" in str(day)
    assert report.cells == {}  # the file's cells do not outlive the import
    assert session.scalar(select(Graduate.id)) is None
