"""推荐效果 on hand-built cases with known answers: impressions recorded once per list and day
(counted), the best rank before each hire (an impression after the hire does not count, a
candidate list and a plan line do), hire@k and MRR, the funnel by rank, days to placement,
retention from the follow-ups, the splits, the concentration of referrals, and the purge."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from matchsvc import clock
from matchsvc.actors import Actor
from matchsvc.assistance.service import record_service
from matchsvc.followups import service as followups
from matchsvc.followups.service import Answer
from matchsvc.graduates.service import register_graduate
from matchsvc.matching.engine import policy
from matchsvc.matching.engine.placement import Plan, PlanLine
from matchsvc.models import (
    FollowUp,
    Impression,
    InterestKind,
    ReferralState,
    Role,
    ServiceKind,
    Surface,
)
from matchsvc.models.outcomes import COMPONENTS
from matchsvc.orgs.service import get_org
from matchsvc.outcomes import funnel, impressions, metrics
from matchsvc.referrals.interest import set_interest
from matchsvc.referrals.service import record_step, refer

from ..conftest import graduate_input, make_id, officer_actor
from ..helpers import TODAY, employer, post


@dataclass
class Item:
    id: int
    fit: float = 60.0
    components: dict[str, float] = field(default_factory=lambda: {"major": 0.75, "region": 1.0})
    rules: list[str] = field(default_factory=list)


@dataclass
class Cand:
    graduate_id: int
    fit: float = 60.0
    components: dict[str, float] = field(default_factory=dict)
    rules: list[str] = field(default_factory=list)


def _on(monkeypatch: pytest.MonkeyPatch, day: date) -> None:
    monkeypatch.setattr(clock, "today", lambda: day)


def _input(n: int):  # type: ignore[no-untyped-def]
    return graduate_input(
        make_id("440106", seq=f"8{n}1"), "440100", "440100", name=f"测{n}",
        registered_on=TODAY - timedelta(days=40 + n),
    )  # fmt: skip


def _world(session: Session):  # type: ignore[no-untyped-def]
    officer = officer_actor(session, "440100")
    e = employer(session, 61)
    posts = [post(session, e, f"岗位{n}", []) for n in range(12)]
    grads = [register_graduate(session, officer, _input(n)) for n in range(5)]
    return officer, posts, grads


def _hire(session: Session, officer: Actor, g, p, on: date):  # type: ignore[no-untyped-def]
    r = refer(session, officer, g.id, p.id, on - timedelta(days=2))
    record_step(session, officer, r, ReferralState.HIRED, on)
    return r


def test_hire_at_k_and_mrr_on_known_cases(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    officer, posts, (a, b, c, d, e) = _world(session)
    hire_day = TODAY - timedelta(days=3)
    _on(monkeypatch, TODAY - timedelta(days=10))
    # a saw its post at rank 2 on the officer's page (twice: one row, counted)
    shown_a = [Item(posts[3].id), Item(posts[1].id), Item(posts[2].id)]
    impressions.shown_to(session, officer, Surface.OFFICER, a.id, "job", shown_a)
    impressions.shown_to(session, officer, Surface.OFFICER, a.id, "job", shown_a)
    # b saw its post at rank 7 in its own page, and at rank 12 over the API
    impressions.shown_to(
        session, None, Surface.GRADUATE, b.id, "job", [Item(p.id) for p in posts[:10]]
    )
    impressions.shown_to(
        session, officer, Surface.API, b.id, None, [Item(p.id) for p in reversed(posts)]
    )
    # d was shown as a candidate of its post, and in a plan line at the graduate's 3rd choice
    impressions.candidates_shown(
        session, officer, Surface.EMPLOYER, posts[9].id, [Cand(a.id), Cand(d.id)]
    )
    plan = Plan(lines=[PlanLine(d.id, posts[9].id, 55.0, 3, [], "", {})])
    impressions.plan_shown(session, officer, get_org(session, "440100").id, plan)
    # training offers are no posts: a list of them does not rank a hire
    impressions.shown_to(session, officer, Surface.OFFICER, c.id, "training", [Item(posts[5].id)])
    _on(monkeypatch, hire_day + timedelta(days=1))
    # c's post shown at rank 1 only after c was hired: never shown before the hire
    impressions.shown_to(session, officer, Surface.OFFICER, c.id, "job", [Item(posts[5].id)])
    monkeypatch.undo()

    assert session.scalar(select(func.count()).select_from(Impression)) == 7
    row = session.scalar(select(Impression).where(Impression.graduate_id == a.id))
    assert row is not None and row.times == 2
    assert row.items == [posts[3].id, posts[1].id, posts[2].id]
    assert row.fits == [600, 600, 600] and len(row.components) == 3 * 5
    assert row.component_values()[0] == {
        "major": 0.75, "degree": 0.0, "region": 1.0, "skills": 0.0, "wishes": 0.0,
    }  # fmt: skip
    assert COMPONENTS == policy.COMPONENTS  # the order the bytes are read in
    assert row.version == impressions.matcher_version() and len(row.version) == 12

    _hire(session, officer, a, posts[1], hire_day)
    _hire(session, officer, b, posts[6], hire_day)
    _hire(session, officer, c, posts[5], hire_day)
    _hire(session, officer, d, posts[9], hire_day)
    record_service(
        session, officer, e, kind=ServiceKind.EMPLOYED, on=hire_day,
        org=get_org(session, "440100"), workplace="某私营企业",
    )  # fmt: skip

    hq = officer_actor(session, "440000")
    rows = {r.graduate_id: r for r in funnel.hires(session, hq)}
    assert rows[a.id].best_rank == 2
    assert rows[b.id].best_rank == 6  # the better of 7 (own page) and 6 (API: reversed 12)
    assert rows[c.id].best_rank is None
    assert rows[d.id].best_rank == 3 and rows[d.id].candidate_rank == 2
    assert rows[e.id].position_id is None
    m = metrics.metrics(rows.values())
    assert (m.hires, m.outside, m.shown) == (4, 1, 3)
    assert m.hire_at == {1: 0.0, 5: 0.5, 10: 0.75, 20: 0.75}
    assert m.mrr == pytest.approx((1 / 2 + 1 / 6 + 1 / 3) / 4)
    assert m.median_days == pytest.approx(sorted(r.days_to_placement for r in rows.values())[2])
    # another province sees none of it
    assert funnel.hires(session, officer_actor(session, "420000")) == []


def test_the_funnel_by_rank_retention_splits_and_concentration(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    officer, posts, (a, b, c, d, _) = _world(session)
    _on(monkeypatch, TODAY - timedelta(days=20))
    for g in (a, b, c):
        impressions.shown_to(
            session, None, Surface.GRADUATE, g.id, "job", [Item(p.id) for p in posts]
        )
    monkeypatch.undo()
    # a: rank 1, hired; b: rank 3, interviewed then turned down; c: rank 8, only interested
    _hire(session, officer, a, posts[0], TODAY - timedelta(days=10))
    r = refer(session, officer, b.id, posts[2].id, TODAY - timedelta(days=9))
    record_step(
        session, officer, r, ReferralState.INTERVIEW, TODAY - timedelta(days=8),
        interview_at=clock.now() - timedelta(days=8), place="会议室",
    )  # fmt: skip
    record_step(session, officer, r, ReferralState.REJECTED, TODAY - timedelta(days=7), "不合适")
    me = Actor(role=Role.GRADUATE, label=c.name, graduate_id=c.id)
    set_interest(session, me, posts[7].id, InterestKind.INTERESTED)
    f = funnel.funnel(session, officer_actor(session, "440000"))
    top, mid, low, far = (
        f.counts[label] for label in ("第1位", "第2–5位", "第6–10位", "第11–20位")
    )
    assert top["shown"] == 3 and top["referred"] == 1 and top["hired"] == 1
    assert mid["shown"] == 12 and mid["interview"] == 1 and mid["rejected"] == 1
    assert mid["hired"] == 0
    assert low["shown"] == 15 and low["interested"] == 1
    assert far["shown"] == 6 and f.counts[funnel.BEYOND]["shown"] == 0

    # retention: the hire's first follow-up answered "still there"
    fu = session.scalar(select(FollowUp).order_by(FollowUp.months).limit(1))
    assert fu is not None
    followups.answer(session, officer, fu.id, Answer(answered_on=TODAY, still_employed=True))
    rows = funnel.hires(session, officer_actor(session, "440000"))
    m = metrics.metrics(rows)
    assert (m.hires, m.answered, m.retained, m.hire_at[1]) == (1, 1, 1.0, 1.0)
    by_kind = dict(metrics.split(rows, metrics.kind_label))
    assert list(by_kind) == ["就业岗位"] and by_kind["就业岗位"].hires == 1
    assert [name for name, _ in metrics.split(rows, metrics.fresh_label)] == ["往届"]

    # referrals per employer: 2 at one employer, 1 at another
    other = post(session, employer(session, 62), "别家岗位", [])
    refer(session, officer, d.id, other.id, TODAY)
    con = metrics.concentration(session, officer_actor(session, "440000"))
    assert (con.referrals, con.employers) == (3, 2)
    assert con.top_share == pytest.approx(2 / 3)
    assert con.hhi == pytest.approx((2 / 3) ** 2 + (1 / 3) ** 2)


def test_impressions_are_purged_after_the_retention_period(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    officer, posts, (a, *_) = _world(session)
    for days in (800, 700):
        _on(monkeypatch, TODAY - timedelta(days=days))
        impressions.shown_to(session, officer, Surface.OFFICER, a.id, "job", [Item(posts[0].id)])
    monkeypatch.undo()
    assert impressions.purge(session, 2, TODAY) == 1
    left = session.scalars(select(Impression.shown_on)).all()
    assert left == [TODAY - timedelta(days=700)]
