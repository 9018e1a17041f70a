"""安置方案 counts seats in progress: referrals and applications waiting for a result hold their
post's seats, and a graduate waiting for a result is not planned elsewhere — both said."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from matchsvc.graduates.service import register_graduate
from matchsvc.matching import plans, service
from matchsvc.matching.engine.policy import Policy
from matchsvc.models import Org, Referral, ReferralSource, ReferralState

from ..conftest import graduate_input, make_id, officer_actor
from ..helpers import TODAY, employer, post


def _graduates(session: Session, n: int, seq: str, major: str = "计算机科学与技术") -> list:  # type: ignore[type-arg]
    gz = officer_actor(session, "440100")
    return [
        register_graduate(
            session,
            gz,
            graduate_input(
                make_id("440106", seq=f"{seq}{i}"),
                "440100",
                "440100",
                name=f"候选{seq}{i}",
                major_text=major,
                graduation_year=TODAY.year,
                wish_regions=["440100"],
                registered_on=TODAY - timedelta(days=20),
            ),
        )
        for i in range(n)
    ]


def test_a_plan_offers_only_the_seats_not_held_and_leaves_the_waiting_alone(
    session: Session,
) -> None:
    gz = officer_actor(session, "440100")
    metro = employer(session, 81)
    station = post(session, metro, "软件运维", ["计算机科学与技术"], headcount=5)
    other = post(session, employer(session, 82), "数据分析", ["计算机科学与技术"], headcount=10)
    waiting = _graduates(session, 3, "80")
    free = _graduates(session, 8, "81")
    states = [ReferralState.REFERRED, ReferralState.REFERRED, ReferralState.INTERVIEW]
    sources = [ReferralSource.APPLICATION, ReferralSource.OFFICER, ReferralSource.APPLICATION]
    for g, state, source in zip(waiting, states, sources, strict=True):
        session.add(
            Referral(
                graduate_id=g.id,
                position_id=station.id,
                org_id=gz.org_id,
                state=state,
                source=source,
            )
        )
    session.flush()
    org = session.scalar(select(Org).where(Org.code == "440100"))
    assert org is not None
    plan = service.placement_plan(session, gz, org, Policy(today=TODAY, campaign_year=TODAY.year))
    on_station = [x for x in plan.lines if x.position_id == station.id]
    assert len(on_station) == 2  # 5 seats, 3 held by referrals and applications in progress
    assert plan.held == {station.id: 3}
    assert all("另有 3 人在推荐、应聘或面试中" in x.reason for x in on_station)
    planned = {x.graduate_id for x in plan.lines} | {u.graduate_id for u in plan.unplaced}
    assert planned.isdisjoint({g.id for g in waiting})  # not planned elsewhere meanwhile
    said = {u.graduate_id: u.reason for u in plan.waiting}
    assert set(said) == {g.id for g in waiting}
    assert said[waiting[2].id].startswith("正在面试：单位81 软件运维")
    assert "已应聘" in said[waiting[0].id] and "已推荐" in said[waiting[1].id]
    assert {x.graduate_id for x in plan.lines} == {g.id for g in free}  # 2 + 6 of 10 seats
    assert sum(1 for x in plan.lines if x.position_id == other.id) == 6
    # one post's lines by fit, best first
    fits = [x.fit for x in on_station]
    assert fits == sorted(fits, reverse=True)
    # the queued plan keeps the same (stored as JSON)
    again = plans.plan_from_result(plans.plan_to_result(plan))
    assert again.held == plan.held and [u.reason for u in again.waiting] == [
        u.reason for u in plan.waiting
    ]


def test_a_graduate_whose_choices_are_held_is_told_so(session: Session) -> None:
    gz = officer_actor(session, "440100")
    only = post(session, employer(session, 83), "软件开发", ["计算机科学与技术"], headcount=1)
    holder = _graduates(session, 1, "82")[0]
    left = _graduates(session, 1, "83")[0]
    session.add(
        Referral(
            graduate_id=holder.id,
            position_id=only.id,
            org_id=gz.org_id,
            state=ReferralState.INTERVIEW,
            source=ReferralSource.APPLICATION,
        )
    )
    session.flush()
    org = session.scalar(select(Org).where(Org.code == "440100"))
    assert org is not None
    plan = service.placement_plan(session, gz, org, Policy(today=TODAY, campaign_year=TODAY.year))
    assert plan.lines == []
    reason = {u.graduate_id: u.reason for u in plan.unplaced}[left.id]
    assert "名额已留给正在推荐、应聘或面试的人" in reason
