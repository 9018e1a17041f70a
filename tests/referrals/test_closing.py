"""Hired elsewhere: the graduate's other referrals and applications still waiting (推荐 / 应聘 /
面试) close with a dated step that says why, leave the 待办 list, tell the employer and are
audited; a status that is still looking (灵活就业, 其他) closes nothing. An archive 撤档 or 注销
closes all of them the same way, telling the employer nothing of the reason."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from matchsvc.actors import Actor
from matchsvc.archives import service as archives
from matchsvc.auth.service import create_user
from matchsvc.graduates.service import change_status, register_graduate
from matchsvc.matching.service import referral_words
from matchsvc.models import (
    ArchiveReason,
    ArchiveState,
    AuditEvent,
    EmploymentStatus,
    Referral,
    ReferralState,
    ReferralStep,
    Role,
    ServiceRecord,
)
from matchsvc.referrals.service import record_step, refer, waiting

from ..conftest import graduate_input, make_id, officer_actor
from ..helpers import INTERVIEW, PASSWORD, TODAY, employer, notice_texts, post


def _three_referrals(session: Session, hq: Actor):  # type: ignore[no-untyped-def]
    officer = officer_actor(session, "440100")
    g = register_graduate(
        session,
        officer,
        graduate_input(make_id("440106", seq="731"), "440100", "440100", name="郑三投"),
    )
    posts = []
    for n in (91, 92, 93):
        e = employer(session, n)
        create_user(
            session, hq, role=Role.EMPLOYER, username=f"hr{n}", password=PASSWORD,
            employer_uscc=e.uscc,
        )  # fmt: skip
        posts.append(post(session, e, f"岗位{n}", []))
    referrals = [refer(session, officer, g.id, p.id, TODAY - timedelta(days=2)) for p in posts]
    return officer, g, referrals


def test_a_hire_closes_the_other_waiting_referrals_with_the_reason(
    session: Session, hq_actor: Actor
) -> None:
    officer, g, (hired, interviewing, referred) = _three_referrals(session, hq_actor)
    record_step(session, officer, interviewing, ReferralState.INTERVIEW, TODAY, **INTERVIEW)
    in_todo = session.scalar(select(func.count()).select_from(waiting(officer).subquery()))
    assert in_todo == 3

    record_step(session, officer, hired, ReferralState.HIRED, TODAY)
    session.refresh(g)
    assert g.status == EmploymentStatus.EMPLOYED

    for r in (interviewing, referred):
        session.refresh(r)
        assert r.state == ReferralState.CLOSED
        assert referral_words(r.state, r.source) == "已关闭"
        last = session.scalars(
            select(ReferralStep)
            .where(ReferralStep.referral_id == r.id)
            .order_by(ReferralStep.id.desc())
        ).first()
        assert last is not None and last.state == ReferralState.CLOSED
        assert last.on_date == TODAY and last.reason is not None and "已就业" in last.reason
    session.refresh(hired)
    assert hired.state == ReferralState.HIRED  # the hire itself stays
    assert session.scalar(select(func.count()).select_from(waiting(officer).subquery())) == 0
    assert any("已在别处就业" in t and "岗位92" in t for t in notice_texts(session, "hr92"))
    assert any("岗位93" in t for t in notice_texts(session, "hr93"))
    assert not any("已在别处就业" in t for t in notice_texts(session, "hr91"))
    closed = session.scalars(select(AuditEvent).where(AuditEvent.action == "referral_closed")).all()
    assert sorted(a.entity_id for a in closed) == sorted([interviewing.id, referred.id])
    remark = session.scalar(select(ServiceRecord.remark).where(ServiceRecord.graduate_id == g.id))
    assert remark is not None and remark.startswith("经推荐录用")


def test_a_status_still_looking_closes_nothing(session: Session, hq_actor: Actor) -> None:
    officer, g, referrals = _three_referrals(session, hq_actor)
    change_status(session, officer, g, EmploymentStatus.FLEXIBLE, TODAY)
    states = session.scalars(
        select(Referral.state).where(Referral.id.in_([r.id for r in referrals]))
    ).all()
    assert set(states) == {ReferralState.REFERRED}
    change_status(session, officer, g, EmploymentStatus.EMPLOYED, TODAY)
    states = session.scalars(
        select(Referral.state).where(Referral.id.in_([r.id for r in referrals]))
    ).all()
    assert set(states) == {ReferralState.CLOSED}


def test_closing_or_cancelling_the_archive_closes_its_waiting_referrals(
    session: Session, hq_actor: Actor
) -> None:
    officer, g, (first, second, third) = _three_referrals(session, hq_actor)
    record_step(session, officer, first, ReferralState.REJECTED, TODAY, reason="岗位已满")
    archives.take(
        session,
        officer,
        g,
        archives.Step(ArchiveState.CANCELLED, TODAY, reason=ArchiveReason.MOVED_AWAY),
    )
    for r in (second, third):
        session.refresh(r)
        assert r.state == ReferralState.CLOSED
        last = session.scalars(
            select(ReferralStep)
            .where(ReferralStep.referral_id == r.id)
            .order_by(ReferralStep.id.desc())
        ).first()
        assert last is not None and last.reason is not None and "档案已注销" in last.reason
    session.refresh(first)
    assert first.state == ReferralState.REJECTED  # an ended one keeps its outcome
    assert session.scalar(select(func.count()).select_from(waiting(officer).subquery())) == 0
    told = notice_texts(session, "hr92")
    assert any("推荐已由工会结束" in t and "岗位92" in t for t in told)
    assert not any("迁出" in t or "注销" in t for t in told)  # the reason is not the employer's
