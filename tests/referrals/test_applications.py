"""我要应聘: a graduate applies; the employer and the home org's officers hear of it; the employer
moves it to 面试 (with a time and place the graduate is told), and 录用 counts in item 13 for the
graduate's home org — there is no referring officer. Interest the employer takes up moves alike."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from matchsvc.actors import Actor
from matchsvc.auth.service import create_user
from matchsvc.errors import DomainError, NotFound
from matchsvc.graduates.service import register_graduate
from matchsvc.models import (
    Campaign,
    EmploymentStatus,
    Interest,
    InterestKind,
    PositionStatus,
    Referral,
    ReferralSource,
    ReferralState,
    Role,
    ServiceKind,
    ServiceRecord,
)
from matchsvc.orgs.service import get_org
from matchsvc.referrals.interest import set_interest, take_interest
from matchsvc.referrals.service import apply, record_step
from matchsvc.stats.compute import compute_table

from ..conftest import graduate_input, make_id, officer_actor, portal_account
from ..helpers import INTERVIEW, PASSWORD, TODAY, employer, notice_texts, post


def _world(session: Session, hq: Actor):  # type: ignore[no-untyped-def]
    session.add(Campaign(year=TODAY.year, **Campaign.default_dates(TODAY.year)))
    for name, code in (("sz_officer", "440300"), ("gz_officer", "440100")):
        create_user(session, hq, role=Role.OFFICER, username=name, password=PASSWORD, org_code=code)
    g = register_graduate(
        session,
        officer_actor(session, "440100"),
        graduate_input(make_id("440106", seq="701"), "440100", "440100", name="林应聘"),
    )
    e = employer(session, 81)
    hr = create_user(
        session, hq, role=Role.EMPLOYER, username="hr81", password=PASSWORD, employer_uscc=e.uscc
    )
    me = portal_account(
        session, hq, "lin", PASSWORD, graduate_id_number=make_id("440106", seq="701")
    )
    p = post(session, e, "站务员", [], headcount=1)
    session.flush()
    grad = Actor(role=Role.GRADUATE, label="林应聘", user_id=me.id, graduate_id=g.id)
    emp = Actor(role=Role.EMPLOYER, label="hr81", user_id=hr.id, employer_id=e.id)
    return g, p, grad, emp, hr, me


def test_an_application_moves_like_a_referral_and_counts_for_the_home_org(
    session: Session, hq_actor: Actor
) -> None:
    g, p, grad, emp, _, _ = _world(session, hq_actor)
    campaign = session.scalar(select(Campaign))
    home = get_org(session, "440100")
    before = compute_table(session, campaign, home, TODAY)["items"]["13A"]

    application = apply(session, grad, p.id, TODAY, "我有地铁实习经历")
    assert application.source == ReferralSource.APPLICATION
    assert application.org_id == g.home_org_id and application.referred_by_id is None
    assert any("应聘" in t for t in notice_texts(session, "hr81"))  # the employer hears of it
    assert any(
        "林应聘 应聘了" in t for t in notice_texts(session, "gz_officer")
    )  # the home org too
    assert notice_texts(session, "sz_officer") == []  # not another org's officers
    with pytest.raises(DomainError, match="已应聘过"):
        apply(session, grad, p.id, TODAY)

    with pytest.raises(DomainError, match="面试地点"):
        record_step(
            session,
            emp,
            application,
            ReferralState.INTERVIEW,
            TODAY,
            interview_at=INTERVIEW["interview_at"],
        )
    record_step(session, emp, application, ReferralState.INTERVIEW, TODAY, **INTERVIEW)
    told = notice_texts(session, "lin")
    assert any("面试通知" in t and "09:30" in t and INTERVIEW["place"] in t for t in told)
    assert any("面试通知" in t for t in notice_texts(session, "gz_officer"))

    record_step(session, emp, application, ReferralState.HIRED, TODAY)
    session.refresh(g)
    assert g.status == EmploymentStatus.EMPLOYED
    service = session.scalar(select(ServiceRecord).where(ServiceRecord.graduate_id == g.id))
    assert service is not None and service.kind == ServiceKind.EMPLOYED
    assert service.org_id == home.id  # the home org's 实现就业
    assert compute_table(session, campaign, home, TODAY)["items"]["13A"] == before + 1
    assert p.status == PositionStatus.FILLED


def test_a_closed_or_unknown_post_takes_no_application(session: Session, hq_actor: Actor) -> None:
    _, p, grad, _, _, _ = _world(session, hq_actor)
    p.closes_on, p.published_on = TODAY - timedelta(days=1), TODAY - timedelta(days=5)
    with pytest.raises(DomainError, match="已截止"):
        apply(session, grad, p.id, TODAY)
    with pytest.raises(NotFound):
        apply(session, grad, 999_999, TODAY)
    officer = officer_actor(session, "440100")
    with pytest.raises(Exception, match="只有毕业生本人"):
        apply(session, officer, p.id, TODAY)


def test_the_employer_takes_up_interest_and_moves_it(session: Session, hq_actor: Actor) -> None:
    g, p, grad, emp, _, _ = _world(session, hq_actor)
    interest = set_interest(session, grad, p.id, InterestKind.INTERESTED)
    taken = take_interest(session, emp, interest.id, TODAY)
    assert taken.source == ReferralSource.INTEREST and taken.org_id == g.home_org_id
    assert take_interest(session, emp, interest.id, TODAY).id == taken.id  # once
    other = Actor(role=Role.EMPLOYER, label="x", employer_id=employer(session, 82).id)
    with pytest.raises(NotFound):
        take_interest(session, other, interest.id, TODAY)
    record_step(session, emp, taken, ReferralState.REJECTED, TODAY, reason="专业不符")
    assert any("未录用" in t and "专业不符" in t for t in notice_texts(session, "lin"))
    assert session.scalar(select(Interest.id).where(Interest.id == interest.id)) is not None
    assert session.scalar(select(Referral.state).where(Referral.id == taken.id)) == (
        ReferralState.REJECTED
    )
