"""就业见习 agreements: 报名 → 已签协议 → 在岗 → 期满 or 提前终止 → 留用 or 未留用; nobody on the post
without the agreement's terms and insurance covering the period (the service says why; the
database refuses it too); one open agreement per graduate; going on the post gives item 07 its
实习见习 record; 留用 records 实现就业; while held the graduate is not offered other posts, and
未留用 gives them back."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from matchsvc import clock
from matchsvc.errors import Conflict, DomainError
from matchsvc.graduates.service import register_graduate
from matchsvc.internships import service
from matchsvc.matching import loader
from matchsvc.models import (
    Approver,
    EmploymentStatus,
    Graduate,
    Hire,
    Internship,
    InternshipState,
    PositionKind,
    ServiceKind,
    ServiceRecord,
)

from ..conftest import graduate_input, make_id, officer_actor
from ..helpers import TODAY, employer, post

S = InternshipState


def world(session: Session, seq: str = "961", n: int = 96):  # type: ignore[no-untyped-def]
    gz = officer_actor(session, "440100")
    e = employer(session, n)
    intern_post = post(session, e, "行政见习", [], kind=PositionKind.INTERNSHIP, headcount=3)
    base = service.approve_base(
        session, gz, e, Approver.HRSS, "穗人社函〔2026〕12号",
        TODAY - timedelta(days=800), TODAY + timedelta(days=300),
    )  # fmt: skip
    g = register_graduate(
        session, gz, graduate_input(make_id("440106", seq=seq), "440100", "440100", name="见习生")
    )
    return gz, base, intern_post, g


def _looking(session: Session, g: Graduate) -> bool:
    [profile] = loader.graduate_profiles(session, Graduate.id == g.id)
    found = session.scalar(
        select(Graduate.id).where(Graduate.id == g.id, loader.looking_for_work())
    )
    assert profile.looking == (found is not None)  # the page and the lists agree
    return profile.looking


def test_an_intern_goes_on_the_post_only_with_terms_and_insurance(session: Session) -> None:
    gz, base, p, g = world(session)
    start = clock.add_months(TODAY, -7)
    i = service.apply(session, gz, g, p, start - timedelta(days=10))
    assert i.state == S.APPLIED and _looking(session, g)
    with pytest.raises(Conflict, match="报名"):
        service.start(session, gz, i, start)  # no agreement yet
    for months in (2, 13):
        with pytest.raises(DomainError, match="3 至 12"):
            service.sign(session, gz, i, signed_on=start, starts_on=start, months=months,
                         allowance=1800)  # fmt: skip
    service.sign(session, gz, i, signed_on=start - timedelta(days=3), starts_on=start, months=6,
                 allowance=1800)  # fmt: skip
    assert i.state == S.SIGNED and not _looking(session, g)  # held: no other posts offered
    with pytest.raises(DomainError, match="保险"):
        service.start(session, gz, i, start)
    end = service.planned_end(i)
    assert end == clock.add_months(start, 6) - timedelta(days=1)
    service.insure(session, gz, i, policy_no="PICC-2026-001", insurer="人保财险",
                   insured_from=start, insured_until=end - timedelta(days=30))  # fmt: skip
    with pytest.raises(DomainError, match="未覆盖"):
        service.start(session, gz, i, start)
    service.insure(session, gz, i, policy_no="PICC-2026-001", insurer="人保财险",
                   insured_from=start, insured_until=end)  # fmt: skip
    service.start(session, gz, i, start)
    assert i.state == S.ON_POST
    record = session.get_one(ServiceRecord, i.service_record_id)
    assert (record.kind, record.service_date, record.org_id) == (
        ServiceKind.INTERNSHIP,
        start,
        base.org_id,
    )  # fmt: skip  (item 07: the base's union org gave it)

    service.complete(session, gz, i, TODAY)
    assert (i.state, i.ended_on) == (S.COMPLETED, end)
    assert not _looking(session, g)  # waiting for the base's decision
    service.decide(session, gz, i, True, end + timedelta(days=1))
    assert i.state == S.RETAINED
    hire = session.scalars(select(Hire).where(Hire.graduate_id == g.id)).one()
    assert hire.position_id == p.id and hire.hired_on == end + timedelta(days=1)
    session.refresh(g)
    assert g.status == EmploymentStatus.EMPLOYED


def test_early_end_not_kept_and_the_graduate_looks_again(session: Session) -> None:
    gz, _, p, g = world(session)
    start = TODAY - timedelta(days=40)
    i = service.apply(session, gz, g, p, start)
    with pytest.raises(Conflict, match="已有一份报名"):
        service.apply(session, gz, g, p, start)
    service.sign(session, gz, i, signed_on=start, starts_on=start, months=3, allowance=2000)
    service.insure(session, gz, i, policy_no="P-2", insurer="", insured_from=start,
                   insured_until=service.planned_end(i))  # fmt: skip
    service.start(session, gz, i, start)
    with pytest.raises(DomainError, match="才满"):
        service.complete(session, gz, i, TODAY)  # the period is not over
    with pytest.raises(DomainError, match="原因"):
        service.terminate(session, gz, i, TODAY, " ")
    service.terminate(session, gz, i, TODAY - timedelta(days=5), "本人另有打算")
    with pytest.raises(DomainError, match="不能早于"):
        service.decide(session, gz, i, False, TODAY - timedelta(days=6))
    service.decide(session, gz, i, False, TODAY)
    assert i.state == S.NOT_RETAINED and _looking(session, g)  # recommendations resume
    assert session.scalar(select(Hire.id).where(Hire.graduate_id == g.id)) is None
    # the agreement is closed: a new one may begin
    again = service.apply(session, gz, g, p, TODAY)
    assert again.state == S.APPLIED


def test_only_a_base_within_its_approval_takes_interns(session: Session) -> None:
    gz, base, p, g = world(session)
    job = post(session, base.employer, "文员", [], kind=PositionKind.JOB)
    with pytest.raises(DomainError, match="见习岗位"):
        service.apply(session, gz, g, job, TODAY)
    with pytest.raises(DomainError, match="有效期"):
        service.apply(session, gz, g, p, base.approved_until + timedelta(days=1))
    other = officer_actor(session, "420100")
    with pytest.raises(Exception, match="管辖"):
        service.apply(session, other, g, p, TODAY)
    assert session.scalar(select(Internship.id)) is None


def test_the_database_refuses_what_the_service_refuses(session: Session) -> None:
    gz, _, p, g = world(session)
    i = service.apply(session, gz, g, p, TODAY)
    session.commit()
    for sql in (
        "UPDATE internship SET state = 'signed' WHERE id = :id",  # no terms
        "UPDATE internship SET state = 'on_post', signed_on = applied_on, starts_on = applied_on,"
        " planned_months = 6, allowance = 1500 WHERE id = :id",  # no insurance
        "UPDATE internship SET planned_months = 13 WHERE id = :id",
    ):
        with pytest.raises(IntegrityError):
            session.execute(text(sql), {"id": i.id})
            session.flush()
        session.rollback()
    # a second open agreement for the same graduate: the partial unique index
    with pytest.raises(IntegrityError):
        session.execute(
            text(
                "INSERT INTO internship (graduate_id, base_id, position_id, state, applied_on,"
                " created_at, updated_at, version) SELECT graduate_id, base_id, position_id,"
                " 'applied', applied_on, created_at, updated_at, 1 FROM internship WHERE id = :id"
            ),
            {"id": i.id},
        )
    session.rollback()
    # a closed one does not count
    session.execute(
        text(
            "INSERT INTO internship (graduate_id, base_id, position_id, state, applied_on,"
            " signed_on, starts_on, planned_months, allowance, on_post_from, policy_no,"
            " insured_from, insured_until, ended_on, decided_on, created_at, updated_at, version)"
            " SELECT graduate_id, base_id, position_id, 'not_retained', :d, :d, :d, 3, 1500, :d,"
            " 'P', :d, :d, :d, :d, created_at, updated_at, 1 FROM internship WHERE id = :id"
        ),
        {"id": i.id, "d": date(2025, 1, 1)},
    )
    session.flush()
