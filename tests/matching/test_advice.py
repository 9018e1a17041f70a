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


def _advice_post_by_post(g, free) -> str:  # type: ignore[no-untyped-def]
    """The advice as first written, post by post: the reference the grouped tables must give."""
    from collections import Counter

    from matchsvc.matching.advice import _city, _in_wishes, _rank
    from matchsvc.models import Degree
    from matchsvc.orgs.service import place_name

    if not free:
        return "辖区内已没有尚有空缺的岗位：可推荐技能培训，或请上级工会在更大范围安置"
    fits = [p for p in free if _rank(g.degree) >= _rank(p.min_degree)]
    if not fits:
        return (
            f"尚有空缺的 {len(free)} 个岗位学历要求都高于其{Degree(g.degree).label}：可推荐技能培训"
        )
    jobs = [p for p in fits if p.kind == "job"]
    elsewhere = [p for p in jobs if not _in_wishes(p.region, g.wish_regions)]
    if elsewhere and len(elsewhere) == len(jobs):
        cities = Counter(_city(p.region) for p in elsewhere).most_common(2)
        names = "、".join(f"{place_name(c)} {n} 个" for c, n in cities)
        return f"其求职地区内没有空缺岗位；扩大求职地区可有机会：{names}岗位尚有空缺"
    internships = [p for p in fits if p.kind == "internship"]
    if internships and g.wants_internship:
        return f"可考虑见习岗位：{len(internships)} 个尚有空缺（本人愿意参加见习）"
    if internships:
        return f"可征求本人意见，改为见习岗位：{len(internships)} 个尚有空缺"
    near = [p for p in jobs if _in_wishes(p.region, g.wish_regions)]
    if near:
        return (
            f"求职地区内尚有 {len(near)} 个空缺岗位，但专业与其“{g.major_text}”不对口："
            "可推荐相关技能培训后再匹配"
        )
    return ""


def test_the_grouped_advice_says_what_the_post_by_post_one_said() -> None:
    """A plan advises 2,000 graduates over every post left: the posts are grouped once by
    degree and region, and each graduate's sentence is the one a walk over every post gives."""
    import random

    rng = random.Random(20121)
    regions = ["440100", "440106", "440300", "440304", "440600", "420100", "440000"]
    degrees = [None, "zhuanke", "benke", "master", "doctor"]
    kinds = ["job", "job", "internship", "training"]
    for case in range(300):
        free = [
            position(
                n,
                f"岗位{n}",
                region=rng.choice(regions),
                kind=rng.choice(kinds),
                min_degree=rng.choice(degrees),
            )
            for n in range(rng.randint(0, 12))
        ]
        g = graduate(
            case,
            degree=rng.choice(degrees[1:]),  # type: ignore[arg-type]
            wish_regions=tuple(rng.sample(regions, rng.randint(0, 2))),
            wants_internship=rng.random() < 0.5,
        )
        assert advice(g, free) == _advice_post_by_post(g, free), (case, free, g)
