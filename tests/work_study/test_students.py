"""勤工俭学: students (在校生, a future graduation year) registered like graduates; 勤工俭学 posts with
summer days, hours and pay by the same employers; the matcher offers them to students only —
children of the enterprise's own workers first — and nothing else to students; a placement is
a 勤工俭学 service (no employment status, no hire); in their graduation year the student is a
graduate without registering again; and the summer's report of its own."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from matchsvc import clock
from matchsvc.errors import DomainError
from matchsvc.graduates.service import register_graduate
from matchsvc.matching import loader
from matchsvc.matching.service import candidates_for, make_policy, recommend
from matchsvc.models import (
    EmploymentStatus,
    Graduate,
    Hire,
    PositionKind,
    ReferralState,
    ServiceKind,
    ServiceRecord,
)
from matchsvc.referrals.service import record_step, refer
from matchsvc.work_study.service import summer_report

from ..conftest import graduate_input, make_id, officer_actor
from ..helpers import TODAY, employer, post

SUMMER = TODAY.year + 1


def _student(session: Session, seq: str, name: str, year: int = SUMMER + 1) -> Graduate:
    return register_graduate(
        session, officer_actor(session, "440100"),
        graduate_input(make_id("440106", born="20050101", seq=seq), "440100", "440100", name=name,
                       major_text="软件工程", graduation_year=year, student=True,
                       registered_on=TODAY, wish_regions=["440100"]),
    )  # fmt: skip


def _summer_post(session: Session, e, title: str = "暑期助理"):  # type: ignore[no-untyped-def]
    return post(
        session, e, title, [], kind=PositionKind.WORK_STUDY, headcount=3,
        work_starts_on=date(SUMMER, 7, 6), work_ends_on=date(SUMMER, 8, 21), hours_per_week=20,
        pay_per_hour=Decimal("22.50"),
    )  # fmt: skip


def test_a_student_is_registered_with_a_future_graduation_year(session: Session) -> None:
    gz = officer_actor(session, "440100")
    s = _student(session, "701", "学生甲")
    assert s.student and s.is_student(TODAY) and not s.is_student(date(s.graduation_year, 1, 1))
    with pytest.raises(DomainError, match="按毕业生登记"):
        _student(session, "702", "学生乙", year=TODAY.year)
    with pytest.raises(DomainError, match="毕业年份应在"):  # a graduate cannot be years ahead
        register_graduate(
            session, gz,
            graduate_input(make_id("440106", born="20050101", seq="703"), "440100", "440100",
                           graduation_year=SUMMER + 2),
        )  # fmt: skip
    with pytest.raises(DomainError, match="不能重复登记"):  # one person, one archive, nationally
        register_graduate(
            session, officer_actor(session, "420100"),
            graduate_input(make_id("440106", born="20050101", seq="701"), "420100", "420100"),
        )  # fmt: skip


def test_summer_posts_go_to_students_and_only_they_get_them(session: Session) -> None:
    gz = officer_actor(session, "440100")
    e = employer(session, 71)
    summer = _summer_post(session, e)
    job = post(session, e, "软件开发工程师", ["软件工程"])
    child = _student(session, "711", "职工子女")
    child.parent_employer_id = e.id  # the parent works at the enterprise
    other = _student(session, "712", "其他学生")
    grad = register_graduate(
        session, gz,
        graduate_input(make_id("440106", seq="713"), "440100", "440100", name="毕业生",
                       major_text="软件工程", graduation_year=TODAY.year, wish_regions=["440100"]),
    )  # fmt: skip
    session.flush()
    policy = make_policy(session, {}, TODAY)

    mine = recommend(session, other, policy)
    assert [r.id for r in mine] == [summer.id]  # no job for a student
    assert recommend(session, other, policy, "job") == []
    assert summer.id not in [r.id for r in recommend(session, grad, policy)]
    assert job.id in [r.id for r in recommend(session, grad, policy)]
    assert recommend(session, grad, policy, "work_study") == []
    # students are not among the graduates looking for work (plans, the nightly lists)
    looking = set(session.scalars(select(Graduate.id).where(loader.looking_for_work())))
    assert grad.id in looking and not looking & {child.id, other.id}

    _, candidates = candidates_for(session, gz, summer.id, policy)
    names = [c.name for c in candidates]
    assert names[:2] == ["职工子女", "其他学生"] and "毕业生" not in names  # same enterprise first
    assert "same_enterprise" in candidates[0].candidate.rules
    _, for_job = candidates_for(session, gz, job.id, policy)
    assert [c.name for c in for_job] == ["毕业生"]

    with pytest.raises(DomainError, match="只面向在校生"):
        refer(session, gz, grad.id, summer.id, TODAY)
    with pytest.raises(DomainError, match="只能推荐勤工俭学岗位"):
        refer(session, gz, other.id, job.id, TODAY)


def test_a_placement_is_a_work_study_service_and_counted_apart(session: Session) -> None:
    gz = officer_actor(session, "440100")
    e = employer(session, 72)
    summer = _summer_post(session, e)
    s = _student(session, "721", "暑期工")
    r = refer(session, gz, s.id, summer.id, TODAY)
    record_step(session, gz, r, ReferralState.HIRED, TODAY)
    kinds = session.scalars(select(ServiceRecord.kind).where(ServiceRecord.graduate_id == s.id))
    assert list(kinds) == [ServiceKind.WORK_STUDY]  # not 实现就业 (item 13)
    session.refresh(s)
    assert s.status == EmploymentStatus.UNEMPLOYED
    assert session.scalar(select(Hire.id).where(Hire.graduate_id == s.id)) is None

    lines, total = summer_report(session, officer_actor(session, "440000"), TODAY.year)
    assert (total.students, total.placements, total.people) == (1, 1, 1)
    assert [x.org_name for x in lines] == ["广州市总工会"]
    _, total = summer_report(session, officer_actor(session, "440000"), SUMMER)
    assert (total.posts, total.seats, total.placements) == (1, 3, 0)
    _, other = summer_report(session, officer_actor(session, "420000"), TODAY.year)
    assert (other.students, other.placements) == (0, 0)


def test_in_the_graduation_year_the_student_is_a_graduate(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    e = employer(session, 73)
    job = post(session, e, "软件测试", ["软件工程"], published_on=TODAY - timedelta(days=3))
    s = _student(session, "731", "将毕业", year=SUMMER)
    session.flush()
    assert recommend(session, s, make_policy(session, {}, TODAY), "job") == []
    day = date(SUMMER, 1, 10)
    monkeypatch.setattr(clock, "today", lambda: day)
    then = make_policy(session, {}, day)
    assert job.id in [r.id for r in recommend(session, s, then)]
    assert s.id in set(session.scalars(select(Graduate.id).where(loader.looking_for_work())))


def test_a_summer_post_needs_its_days_hours_and_pay(session: Session) -> None:
    e = employer(session, 74)
    p = _summer_post(session, e)
    session.commit()
    for sql in (
        "UPDATE position SET hours_per_week = NULL WHERE id = :id",
        "UPDATE position SET work_ends_on = work_starts_on - 1 WHERE id = :id"
        if session.get_bind().dialect.name == "postgresql"
        else "UPDATE position SET work_ends_on = '2000-01-01' WHERE id = :id",
        "UPDATE position SET pay_per_hour = 0 WHERE id = :id",
    ):
        with pytest.raises(IntegrityError):
            session.execute(text(sql), {"id": p.id})
            session.flush()
        session.rollback()
