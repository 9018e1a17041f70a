"""公益性岗位 tenure: the planned end (3 years, or to retirement age near it), at most two
placements, no overlap (in the service on both databases; on PostgreSQL also the exclusion
constraint, raced by two sessions), 年度考核 不合格 ending the period at that year's end, exits with
coded reasons opening a 空岗报告 with a shortlist and a due day, and subsidy months that stop with
the period."""

from __future__ import annotations

import threading
from datetime import date, timedelta

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from matchsvc.actors import Actor
from matchsvc.cli import main
from matchsvc.db import make_session_factory
from matchsvc.errors import Conflict, DomainError
from matchsvc.graduates.service import register_graduate
from matchsvc.models import (
    Graduate,
    Position,
    PositionKind,
    Sex,
    Tenure,
    TenureExit,
    VacancyReport,
)
from matchsvc.public_welfare import service
from matchsvc.public_welfare.service import Rules
from matchsvc.worklist import service as worklist

from ..conftest import FreshDatabases, graduate_input, make_id, officer_actor, seeded_engine
from ..helpers import TODAY, employer, post

RULES = Rules()


def _world(session: Session, seq: str = "951"):  # type: ignore[no-untyped-def]
    gz = officer_actor(session, "440100")
    e = employer(session, 95)
    posts = [
        post(session, e, f"公益岗{n}", [], kind=PositionKind.PUBLIC_WELFARE, headcount=3)
        for n in range(3)
    ]
    g = register_graduate(
        session, gz, graduate_input(make_id("440106", seq=seq), "440100", "440100", name="岗位人")
    )
    return gz, posts, g


def test_planned_end_limits_and_no_overlap(session: Session) -> None:
    gz, (a, b, c), g = _world(session)
    start = date(2026, 3, 1)
    first = service.place(session, gz, g, a, start, RULES)
    assert first.planned_end == date(2029, 2, 28)  # three years, the day before the anniversary
    with pytest.raises(Conflict, match="重叠"):
        service.place(session, gz, g, b, date(2027, 1, 1), RULES)
    service.end_tenure(session, gz, first, date(2026, 12, 31), TenureExit.OTHER_JOB)
    second = service.place(session, gz, g, b, date(2027, 1, 1), RULES)
    assert second.planned_end == date(2029, 12, 31)
    service.end_tenure(session, gz, second, date(2027, 6, 30), TenureExit.ASKED)
    with pytest.raises(DomainError, match="最多安置公益性岗位 2 次"):
        service.place(session, gz, g, c, date(2028, 1, 1), RULES)
    job = post(session, employer(session, 96), "普通岗位", [])
    other = register_graduate(
        session, gz, graduate_input(make_id("440106", seq="952"), "440100", "440100", name="别人")
    )
    with pytest.raises(DomainError, match="只有公益性岗位"):
        service.place(session, gz, other, job, start, RULES)


def test_shortlist_for_a_seat_whose_posting_is_newer_or_closed(session: Session) -> None:
    """A period entered late (the post's record published after the exit day) and a post since
    closed and full still give the seat its shortlist: the seat is the post's, not its posting's."""
    gz, (a, b, _), g = _world(session)
    register_graduate(
        session, gz,
        graduate_input(make_id("440106", seq="954"), "440100", "440100", name="候选人"),
    )  # fmt: skip
    start = TODAY - timedelta(days=400)
    t = service.place(session, gz, g, a, start, RULES)
    report = service.end_tenure(session, gz, t, TODAY - timedelta(days=30), TenureExit.ASKED)
    assert a.published_on > report.vacant_from  # the posting is newer than the vacancy
    assert report.shortlist and g.id not in {s["graduate_id"] for s in report.shortlist}
    b.closes_on, b.headcount = TODAY - timedelta(days=1), 1
    other = register_graduate(
        session, gz,
        graduate_input(make_id("440106", seq="955"), "440100", "440100", name="另一人"),
    )  # fmt: skip
    t2 = service.place(session, gz, other, b, TODAY - timedelta(days=2), RULES)
    assert service.end_tenure(session, gz, t2, TODAY, TenureExit.ASKED).shortlist


def test_near_retirement_the_period_runs_to_retirement_age(session: Session) -> None:
    gz, (a, *_), g = _world(session)
    g.sex, g.birth_year = Sex.FEMALE, 1978  # retires at 50: 1 January 2028
    t = service.place(session, gz, g, a, date(2026, 3, 1), RULES)
    assert t.planned_end == date(2027, 12, 31)  # not 2029: within 5 years of retirement
    g.sex = Sex.MALE  # retires at 60 in 2038: three years again
    session.delete(t)
    session.flush()
    assert service.place(session, gz, g, a, date(2026, 3, 1), RULES).planned_end == date(
        2029, 2, 28
    )


def test_failed_review_exit_report_and_subsidy_months(session: Session) -> None:
    gz, (a, *_), g = _world(session)
    worker = register_graduate(
        session, gz,
        graduate_input(make_id("440106", seq="953"), "440100", "440100", name="候选人",
                       registered_on=TODAY - timedelta(days=20)),
    )  # fmt: skip
    t = service.place(session, gz, g, a, date(2025, 3, 10), RULES)
    service.assess(session, gz, t, 1, True, date(2026, 3, 1))
    with pytest.raises(Conflict, match="已考核"):
        service.assess(session, gz, t, 1, False, date(2026, 3, 2))
    with pytest.raises(DomainError, match="第 1 至第 3 年"):
        service.assess(session, gz, t, 4, True, date(2026, 3, 2))
    service.assess(session, gz, t, 2, False, date(2027, 3, 1), "旷工")
    assert t.ended_on == date(2027, 3, 9) and t.exit_reason == TenureExit.FAILED_REVIEW
    report = session.scalar(select(VacancyReport).where(VacancyReport.tenure_id == t.id))
    assert report is not None and report.vacant_from == date(2027, 3, 10)
    assert report.due_on == date(2027, 3, 16)  # Tue 9 March + 5 working days
    assert report.org_id == t.approving_org_id
    assert [s["graduate_id"] for s in report.shortlist][:1] == [worker.id]
    assert g.id not in {s["graduate_id"] for s in report.shortlist}
    # 24 months begun from 10 March 2025 to 9 March 2027, none after the exit however late
    assert service.subsidy_months(t, date(2030, 1, 1)) == 24
    assert service.subsidy_months(t, date(2025, 12, 31)) == 10
    assert [r.id for r in service.late_reports(session, [report.org_id], date(2027, 3, 17))] == [
        report.id
    ]
    assert service.late_reports(session, [report.org_id], date(2027, 3, 16)) == []
    by_key = {x.key: x for x in worklist.groups(session, gz, on=date(2027, 3, 17))}
    assert by_key["vacancies"].count == 1 and by_key["vacancies"].lines[0][0].id == report.id
    elsewhere = officer_actor(session, "420100")
    assert {x.key: x for x in worklist.groups(session, elsewhere, on=date(2027, 3, 17))}[
        "vacancies"
    ].count == 0
    with pytest.raises(DomainError, match="已结束"):
        service.end_tenure(session, gz, t, date(2027, 3, 1), TenureExit.OTHER_JOB)


def test_an_exit_outside_the_period_or_other_without_a_note_is_refused(session: Session) -> None:
    gz, (a, *_), g = _world(session)
    t = service.place(session, gz, g, a, date(2026, 1, 5), RULES)
    with pytest.raises(DomainError, match="退出日期须在"):
        service.end_tenure(session, gz, t, date(2030, 1, 1), TenureExit.ASKED)
    with pytest.raises(DomainError, match="请说明"):
        service.end_tenure(session, gz, t, date(2026, 6, 1), TenureExit.OTHER)
    assert t.ended_on is None
    assert service.subsidy_months(t, date(2040, 1, 1)) == 36  # to the planned end only


@pytest.mark.system
def test_two_parallel_placements_cannot_overlap_on_postgresql(databases: FreshDatabases) -> None:
    engine = seeded_engine(databases.postgres())  # PostgreSQL's constraint, whatever the run
    factory = make_session_factory(engine)
    with factory() as s:
        _, (a, b, _c), g = _world(s, "961")
        s.commit()
        ids = (g.id, a.id, b.id)
    # the constraint itself refuses an overlapping row written past the service
    with factory() as s, pytest.raises(Exception, match="tenure_no_overlap"):
        org = s.scalar(text("SELECT id FROM org WHERE code = '440100'"))
        for pid in ids[1:]:
            s.execute(
                text(
                    "INSERT INTO tenure (graduate_id, position_id, approving_org_id, starts_on,"
                    " planned_end, created_at) VALUES (:g, :p, :o, '2026-01-01', '2028-12-31', now())"
                ),
                {"g": ids[0], "p": pid, "o": org},
            )
        s.flush()
    results: list[str] = []
    barrier = threading.Barrier(2)

    def one(pid: int) -> None:
        with factory() as s:
            actor: Actor = officer_actor(s, "440100")
            graduate = s.get_one(Graduate, ids[0])
            position = s.get_one(Position, pid)
            barrier.wait()
            try:
                service.place(s, actor, graduate, position, date(2026, 1, 1), RULES)
                s.commit()
                results.append("placed")
            except Conflict:
                s.rollback()
                results.append("refused")

    threads = [threading.Thread(target=one, args=(pid,)) for pid in ids[1:]]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["placed", "refused"]
    with factory() as s:
        assert len(s.scalars(select(Tenure).where(Tenure.graduate_id == ids[0])).all()) == 1
    engine.dispose()


def test_the_commands_an_officer_scripts(app, session: Session) -> None:  # type: ignore[no-untyped-def]

    _, (a, b, _c), g = _world(session, "971")
    session.commit()
    run = app.test_cli_runner()
    placed = run.invoke(main, ["welfare", "place", str(g.id), str(a.id), "--start", "2025-01-06"])
    assert placed.exit_code == 0 and "2025-01-06 至 2028-01-05" in placed.output, placed.output
    again = run.invoke(main, ["welfare", "place", str(g.id), str(b.id), "--start", "2026-01-06"])
    assert again.exit_code == 1 and "重叠" in again.output
    tenure = session.scalar(select(Tenure).where(Tenure.graduate_id == g.id))
    assert tenure is not None
    left = run.invoke(main, ["welfare", "exit", str(tenure.id), "other_job", "--on", "2025-06-30"])
    assert left.exit_code == 0 and "空岗报告应于 2025-07-07 前报送" in left.output, left.output
    months = run.invoke(main, ["welfare", "months", "--org", "440000", "--until", "2026-01-01"])
    assert "1 人，6 个月" in months.output and "广东省总工会 合计：6 个月" in months.output
