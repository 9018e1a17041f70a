"""安置方案 (issue 26.9): each unplaced graduate is told what would place them — a wider region,
another kind, training — from the posts still open after the plan, not one sentence for all; and
the org is chosen from a list, not typed as a code."""

from __future__ import annotations

from sqlalchemy.orm import Session

from matchsvc.actors import Actor
from matchsvc.auth.service import create_user
from matchsvc.matching.advice import advice, advise_unplaced
from matchsvc.matching.service import plan_from_profiles
from matchsvc.models import Role

from ..helpers import PASSWORD, login
from .test_engine import POLICY, graduate, position


def test_the_advice_follows_what_is_left_for_each_graduate() -> None:
    doctors_only = [position(1, "研究员", ("计算机科学与技术",), min_degree="doctor")]
    words = advice(graduate(1, degree="zhuanke"), doctors_only)
    assert "学历要求都高于其专科" in words
    foshan = [position(2, "会计", ("会计学",), region="440604")]
    words = advice(graduate(2, wish_regions=("440100",)), foshan)
    assert "扩大求职地区" in words and "佛山市" in words
    trainee = [position(3, "见习生", (), kind="internship")]
    assert "见习岗位：1 个" in advice(graduate(3, wants_internship=True), trainee)
    assert "征求本人意见" in advice(graduate(4), trainee)
    near = [position(4, "护士", ("护理学",), region="440106")]
    words = advice(graduate(5, wish_regions=("440100",)), near)
    assert "不对口" in words and "计算机科学与技术" in words
    assert "没有尚有空缺的岗位" in advice(graduate(6), [])


def test_two_unplaced_graduates_are_told_different_things() -> None:
    posts = [
        position(1, "软件工程师", ("计算机科学与技术",), headcount=1),
        position(2, "会计", ("会计学",), region="440604", headcount=3),
    ]
    grads = [
        graduate(1, skills="Python、Java、SQL", wish_regions=("440100",)),
        graduate(2, wish_regions=("440100",)),
        graduate(3, major="护理学", degree="zhuanke", wish_regions=("440100",)),
    ]
    plan = plan_from_profiles(grads, posts, POLICY)
    before = {u.graduate_id: u.reason for u in plan.unplaced}
    advise_unplaced(plan, grads, posts, {})
    after = {u.graduate_id: u.reason for u in plan.unplaced}
    assert set(after) == set(before) and len(after) >= 2
    for gid, reason in after.items():
        assert reason.startswith(before[gid]) and len(reason) > len(before[gid])
    assert all("佛山市" in r for r in after.values())  # the seats left are in 佛山


def test_the_org_is_chosen_from_a_list(session: Session, hq_actor: Actor, client) -> None:  # type: ignore[no-untyped-def]
    create_user(
        session, hq_actor, role=Role.OFFICER, username="gdo", password=PASSWORD, org_code="440000"
    )
    session.commit()
    login(client, "gdo", PASSWORD)
    page = client.get("/matching/placement").get_data(as_text=True)
    assert '<select id="org" name="org">' in page and '<input id="org"' not in page
    assert 'value="440100"' in page and 'value="420100"' not in page  # the province's own orgs
