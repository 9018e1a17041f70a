"""待反馈: a referral the employer has not answered after 15 days shows on the referring org's work
list with 催办 (audited, the employer told), on the employer's 我的单位, and in one nightly notice
per employer; the share answered within 15 days counts per employer and per org."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from matchsvc.actors import Actor
from matchsvc.auth.service import create_user
from matchsvc.errors import Conflict, NotFound
from matchsvc.graduates.service import register_graduate
from matchsvc.models import AuditEvent, Position, ReferralState, Role
from matchsvc.referrals import deadlines
from matchsvc.referrals.service import record_step, refer

from ..conftest import graduate_input, make_id, officer_actor
from ..helpers import INTERVIEW, PASSWORD, TODAY, employer, notice_texts, post


def _post(session: Session, hq: Actor, n: int) -> Position:
    e = employer(session, n)
    create_user(
        session, hq, role=Role.EMPLOYER, username=f"hr{n}", password=PASSWORD,
        employer_uscc=e.uscc,
    )  # fmt: skip
    return post(session, e, f"岗位{n}", [], published_on=TODAY - timedelta(days=60))


def _referred(session: Session, p: Position, seq: str, days_ago: int):  # type: ignore[no-untyped-def]
    officer = officer_actor(session, "440100")
    g = register_graduate(
        session,
        officer,
        graduate_input(make_id("440106", seq=seq), "440100", "440100", name=f"待反馈{seq}"),
    )
    return refer(session, officer, g.id, p.id, TODAY - timedelta(days=days_ago))


def test_past_the_deadline_a_referral_waits_for_feedback(session: Session, hq_actor: Actor) -> None:
    p = _post(session, hq_actor, 61)
    late = _referred(session, p, "601", 16)
    fresh = _referred(session, p, "602", 10)
    answered = _referred(session, p, "603", 20)
    record_step(
        session, officer_actor(session, "440100"), answered, ReferralState.INTERVIEW,
        TODAY - timedelta(days=2), **INTERVIEW,
    )  # fmt: skip
    gz = officer_actor(session, "440100")
    ids = [r.id for r, *_ in session.execute(deadlines.awaiting_feedback(gz)).all()]
    assert ids == [late.id] and fresh.id not in ids
    assert deadlines.awaiting_count(session, officer_actor(session, "440000")) == 1  # above
    assert deadlines.awaiting_count(session, officer_actor(session, "420100")) == 0  # elsewhere
    hr = Actor(role=Role.EMPLOYER, label="hr", employer_id=p.employer_id)
    assert deadlines.awaiting_count(session, hr) == 1
    other = Actor(role=Role.EMPLOYER, label="x", employer_id=employer(session, 62).id)
    assert deadlines.awaiting_count(session, other) == 0


def test_chase_tells_the_employer_and_is_audited(session: Session, hq_actor: Actor) -> None:
    p = _post(session, hq_actor, 63)
    late = _referred(session, p, "604", 18)
    fresh = _referred(session, p, "605", 3)
    gz = officer_actor(session, "440100")
    with pytest.raises(NotFound):
        deadlines.chase(session, officer_actor(session, "420100"), late.id)
    with pytest.raises(NotFound):
        deadlines.chase(session, Actor(role=Role.EMPLOYER, label="e", employer_id=p.employer_id), late.id)  # fmt: skip
    with pytest.raises(Conflict, match="未超过 15 天"):
        deadlines.chase(session, gz, fresh.id)
    deadlines.chase(session, gz, late.id)
    deadlines.chase(session, gz, late.id)
    assert late.chase_count == 2 and late.chased_at is not None
    texts = notice_texts(session, "hr63")
    assert (
        len(texts) == 2 and "催办" in texts[0] and "待反馈604" in texts[0] and "18 天" in texts[0]
    )
    audited = session.scalars(
        select(AuditEvent.entity_id).where(AuditEvent.action == "referral_chased")
    ).all()
    assert audited == [late.id, late.id]
    record_step(session, gz, late, ReferralState.REJECTED, TODAY, reason="岗位已满")
    with pytest.raises(Conflict, match="已答复"):
        deadlines.chase(session, gz, late.id)


def test_the_nightly_notice_goes_once_per_employer(session: Session, hq_actor: Actor) -> None:
    a, b = _post(session, hq_actor, 64), _post(session, hq_actor, 65)
    _referred(session, a, "606", 16)
    _referred(session, a, "607", 30)
    _referred(session, b, "608", 15)
    _referred(session, b, "609", 1)
    assert deadlines.notify_overdue(session, TODAY) == 3
    assert len(notice_texts(session, "hr64")) == 1 and "2 条" in notice_texts(session, "hr64")[0]
    assert len(notice_texts(session, "hr65")) == 1 and "1 条" in notice_texts(session, "hr65")[0]
    assert deadlines.notify_overdue(session, TODAY) == 0  # told once
    assert deadlines.notify_overdue(session, TODAY + timedelta(days=14)) == 1  # the fresh one


def test_the_share_answered_in_time(session: Session, hq_actor: Actor) -> None:
    gz = officer_actor(session, "440100")
    p = _post(session, hq_actor, 66)
    quick = _referred(session, p, "610", 30)
    record_step(
        session, gz, quick, ReferralState.REJECTED, TODAY - timedelta(days=27), reason="不合适"
    )
    slow = _referred(session, p, "611", 30)  # answered after 25 days: late
    record_step(
        session, gz, slow, ReferralState.REJECTED, TODAY - timedelta(days=5), reason="不合适"
    )
    _referred(session, p, "612", 20)  # no answer, past the deadline
    _referred(session, p, "613", 5)  # no answer yet, within it: not counted
    on_day = _referred(session, p, "614", 15)  # answered on the 15th day: in time
    record_step(session, gz, on_day, ReferralState.REJECTED, TODAY, reason="不合适")
    [rate] = deadlines.answer_rates(session, gz, by="employer")
    assert (rate.key, rate.counted, rate.in_time) == (p.employer_id, 4, 2)
    assert rate.share == 0.5
    [by_org] = deadlines.answer_rates(session, gz, by="org")
    assert by_org.name == "广州市总工会" and (by_org.counted, by_org.in_time) == (4, 2)
    assert deadlines.answer_rates(session, officer_actor(session, "420100"), by="org") == []
