"""The matcher's engine without a database: ranking, the priority rules, explanations, exactness
of the pruned search and the placement plan's properties (hypothesis)."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matchsvc.majors.mapping import inference_for
from matchsvc.majors.normalize import normalize
from matchsvc.matching.engine import ranking, search
from matchsvc.matching.engine.index import PositionIndex
from matchsvc.matching.engine.numpy_search import batch_top_numpy, top_for_graduate
from matchsvc.matching.engine.policy import LIST_MIN_FIT, PRIORITY_MIN_FIT, Policy
from matchsvc.matching.engine.profiles import GraduateProfile, PositionProfile
from matchsvc.matching.engine.results import rank_candidates, recommendations
from matchsvc.matching.engine.score import GraduateArrays, PositionArrays, score_pairs
from matchsvc.matching.engine.search import batch_top

POLICY = Policy(today=date(2026, 8, 1), campaign_year=2026)


def codes(*texts: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A position's required majors mapped against both catalogues, as the loader gives them."""
    benke = tuple(c for t in texts if (c := normalize(t, "本科").key))
    zhuanke = tuple(c for t in texts if (c := normalize(t, "专科").key))
    return benke, zhuanke


def inferred(title: str, description: str | None, majors: tuple[str, ...]) -> dict[str, object]:
    """What the flush hook stores for a post naming no major, as the loader passes it on."""
    found = inference_for(title, description, list(majors))
    if found is None:
        return {}
    return {
        "inferred": (tuple(found["本科"]), tuple(found["专科"])),
        "inferred_strength": found["strength"],
    }


def position(
    pid: int, title: str, majors: tuple[str, ...] = (), region: str = "440100", **kw: object
) -> PositionProfile:
    values: dict[str, object] = {
        "id": pid,
        "kind": "job",
        "title": title,
        "description": None,
        "employer_id": 100 + pid,
        "employer_name": f"单位{pid}",
        "region": region,
        "major_codes": codes(*majors),
        "major_texts": majors,
    }
    values.update(kw)
    values.update(inferred(title, values["description"], majors))  # type: ignore[arg-type]
    return PositionProfile(**values)  # type: ignore[arg-type]


def graduate(
    gid: int = 1, major: str = "计算机科学与技术", degree: str = "benke", **kw: object
) -> GraduateProfile:
    level = "专科" if degree == "zhuanke" else "本科"
    values: dict[str, object] = {
        "id": gid,
        "degree": degree,
        "major_code": normalize(major, level).key,  # type: ignore[arg-type]
        "major_text": major,
        "graduation_year": 2026,
        "origin_region": "440106",
        "school_region": "440100",
        "wish_regions": ("440000",),
    }
    values.update(kw)
    return GraduateProfile(**values)  # type: ignore[arg-type]


def top(
    positions: list[PositionProfile],
    grads: list[GraduateProfile],
    g: int = 0,
    limit: int = 10,
    **kw: object,
):  # type: ignore[no-untyped-def]
    index = PositionIndex(positions)
    G = GraduateArrays.build(grads, POLICY)
    return recommendations(index, G, g, top_for_graduate(index, G, g, limit, **kw))  # type: ignore[arg-type]


def test_a_computer_science_graduate_sees_software_jobs_before_nursing() -> None:
    positions = [
        position(1, "护士", ("护理学",), description="护士执业资格"),
        position(2, "软件开发工程师", ("软件工程",), description="Java Python"),
        position(3, "网络管理员", ("计算机科学与技术",), region="440300"),
        position(4, "护理员", ("护理",), region="440100"),
    ]
    recs = top(positions, [graduate(skills="Python、Java")])
    titles = [r.title for r in recs]
    software = recs[titles.index("软件开发工程师")]
    assert software.components["major"] == 0.75
    assert (
        "专业同属一个专业类" in software.reason and "技能证书匹配：Python、Java" in software.reason
    )
    assert recs[titles.index("网络管理员")].components["major"] == 1.0
    # the nursing posts fit below the listing floor: not padded in at all
    assert "护士" not in titles and "护理员" not in titles
    assert all(r.fit >= LIST_MIN_FIT for r in recs)


def test_a_parent_at_an_soe_puts_its_posts_first_and_says_it_outranks() -> None:
    soe = 900
    positions = [
        position(1, "软件工程师", ("计算机科学与技术",), description="Python"),
        position(
            2, "储备干部", (), employer_id=soe, employer_name="广州地铁集团", employer_kind="soe"
        ),
        position(3, "数据分析", ("计算机科学与技术",)),
    ]
    recs = top(positions, [graduate(parent_employer_id=soe, skills="Python")])
    assert recs[0].title == "储备干部"
    assert recs[0].rules[0] == "same_enterprise"
    assert recs[0].fit < recs[1].fit  # lifted above better fits …
    assert "因此排在匹配度更高的推荐之前" in recs[0].reason  # … and says so
    assert "same_enterprise" not in recs[1].rules


def test_a_priority_rule_does_not_lift_a_poor_fit() -> None:
    soe = 900
    positions = [
        position(1, "软件工程师", ("计算机科学与技术",)),
        position(2, "护士", ("护理学",), employer_id=soe, region="110100", min_degree="benke"),
    ]
    g = graduate(parent_employer_id=soe, wish_regions=())
    recs = top(positions, [g])
    assert recs[0].title == "软件工程师"
    # the parent's employer's post fits below the priority floor, which is the listing floor:
    # the rule does not lift it, and it is not listed
    assert "护士" not in [r.title for r in recs]
    P = PositionArrays.build(positions)
    G = GraduateArrays.build([g], POLICY)
    sc = score_pairs(G, np.array([0]), P, np.array([1]))
    assert float(sc.fit[0]) < PRIORITY_MIN_FIT and int(sc.reason[0]) == 4


def test_public_welfare_posts_only_for_those_who_meet_the_conditions() -> None:
    posts = [position(1, "社区公益岗", (), kind="public_welfare"), position(2, "文员", ())]
    plain = graduate(1)
    dibao = graduate(2, hardships=frozenset({"dibao"}))
    long_unemployed = graduate(3, graduation_year=2025)  # left school 2025-07: 13 months by 2026-08
    recently = graduate(4, graduation_year=2026)
    grads = [plain, dibao, long_unemployed, recently]
    seen = {g.id: [r.title for r in top(posts, grads, i)] for i, g in enumerate(grads)}
    assert "社区公益岗" not in seen[1] and "社区公益岗" not in seen[4]
    assert "社区公益岗" in seen[2] and "社区公益岗" in seen[3]
    dibao_recs = top(posts, grads, 1)
    public = next(r for r in dibao_recs if r.kind == "public")
    assert public.rules == ["public_welfare_conditions"]
    # … and the post's candidates are only those who qualify
    P = PositionArrays.build(posts)
    G = GraduateArrays.build(grads, POLICY)
    assert {c.graduate_id for c in rank_candidates(G, P, 0)} == {2, 3}
    strict = Policy(today=POLICY.today, campaign_year=2026, public_unemployed_months=None)
    G2 = GraduateArrays.build(grads, strict)
    assert {c.graduate_id for c in rank_candidates(G2, P, 0)} == {2}


def test_only_a_candidate_put_before_a_better_fit_says_so() -> None:
    """ "（因此排在匹配度更高的推荐之前）" is said only where a rule put the candidate above someone
    with a higher fit — not by every lifted row of a list already in descending order."""
    p = [position(1, "见习生", ("计算机科学与技术",), kind="internship", description="Python")]
    grads = [
        graduate(1, graduation_year=2026, skills="Python"),  # 应届, best fit
        graduate(2, graduation_year=2026),  # 应届
        graduate(3, graduation_year=2025, major_text="会计学"),  # not 应届, lowest fit
    ]
    ranked = rank_candidates(GraduateArrays.build(grads, POLICY), PositionArrays.build(p), 0)
    assert [c.fit for c in ranked] == sorted((c.fit for c in ranked), reverse=True)
    assert not any("因此排在" in c.reason for c in ranked)
    for n, c in enumerate(ranked):  # the general rule, on the same list
        better_below = any(not d.lifted and d.fit > c.fit for d in ranked[n + 1 :])
        assert ("因此排在" in c.reason) == (c.lifted and better_below)


def test_declined_positions_and_other_regions_never_appear() -> None:
    positions = [position(1, "A", ()), position(2, "B", ()), position(3, "C", (), region="110100")]
    recs = top(positions, [graduate()], exclude=[1])
    assert [r.id for r in recs] == [2]  # 1 declined; 3 outside the wished 广东 and origin/school


def test_fresh_graduates_come_first_among_candidates_at_the_floor() -> None:
    p = [position(1, "见习生", ("计算机科学与技术",), kind="internship", description="Python")]
    grads = [graduate(1, graduation_year=2025, skills="Python"), graduate(2, graduation_year=2026)]
    G = GraduateArrays.build(grads, POLICY)
    ranked = rank_candidates(G, PositionArrays.build(p), 0)
    assert [c.graduate_id for c in ranked] == [2, 1]
    assert ranked[0].fit < ranked[1].fit and "fresh_graduate" in ranked[0].rules
    assert "因此排在匹配度更高的推荐之前" in ranked[0].reason


# ---------------------------------------------------------------------------------------------
# Random instances

MAJORS = [
    "计算机科学与技术",
    "软件工程",
    "电子信息工程",
    "会计学",
    "护理学",
    "汉语言文学",
    "机械工程",
    "计算机应用技术",
    "护理",
    "会计",
]


def _cross_edition_keys() -> list[str]:
    """Entries of older or other editions that are one notion with another entry (会计 2015 and
    大数据与会计 2021, 职业本科 人力资源管理 and 本科 120206): the cases where "same major" and
    "same 专业类" must agree across editions."""
    from matchsvc.majors.catalogue import catalogue

    entries = catalogue().entries
    crossing = [e.key for e in entries if not e.is_class and e.canonical != e.key]
    return crossing[:: max(1, len(crossing) // 30)] + [
        e.key for e in entries if e.name == "人力资源管理" and not e.is_class
    ]


CROSS_EDITION = _cross_edition_keys()
REGIONS = ["440100", "440300", "420100", "110100", "510100"]
SKILLS = ["Python", "Java", "CAD", "驾驶证", "会计证", "英语四级"]


@st.composite
def instances(draw, max_positions: int = 30, max_graduates: int = 25):  # type: ignore[no-untyped-def]
    n_pos = draw(st.integers(1, max_positions))
    n_grad = draw(st.integers(1, max_graduates))
    employers = draw(st.integers(1, 6))
    positions = []
    for i in range(n_pos):
        majors = tuple(draw(st.lists(st.sampled_from(MAJORS), max_size=2, unique=True)))
        cross = draw(st.lists(st.sampled_from(CROSS_EDITION), max_size=2))
        extra = {"major_codes": (tuple(cross), tuple(cross))} if cross else {}
        positions.append(
            position(
                i + 1,
                draw(
                    st.sampled_from(
                        [
                            "工程师",
                            "会计",
                            "护士",
                            "文员",
                            "技术员",
                            "Java开发工程师",
                            "电工",
                            "普工",
                        ]
                    )
                ),
                majors,
                region=draw(st.sampled_from(REGIONS)),
                kind=draw(st.sampled_from(["job", "job", "internship", "public_welfare"])),
                employer_id=draw(st.integers(1, employers)),
                min_degree=draw(st.sampled_from([None, "zhuanke", "benke"])),
                description=" ".join(draw(st.lists(st.sampled_from(SKILLS), max_size=2))),
                headcount=draw(st.integers(1, 3)),
                **extra,
            )
        )
    grads = []
    for i in range(n_grad):
        degree = draw(st.sampled_from(["zhuanke", "benke", "master"]))
        cross = draw(st.one_of(st.none(), st.sampled_from(CROSS_EDITION)))
        extra = {"major_code": cross} if cross else {}
        grads.append(
            graduate(
                i + 1,
                draw(st.sampled_from(MAJORS)),
                degree,
                **extra,
                graduation_year=draw(st.sampled_from([2025, 2026])),
                origin_region=draw(st.sampled_from(REGIONS)),
                school_region=draw(st.sampled_from(REGIONS)),
                wish_regions=tuple(
                    draw(st.lists(st.sampled_from([*REGIONS, "440000", "420000"]), max_size=2))
                ),
                skills="、".join(draw(st.lists(st.sampled_from(SKILLS), max_size=3))),
                wants_internship=draw(st.booleans()),
                hardships=frozenset(
                    draw(st.lists(st.sampled_from(["dibao", "single_parent"]), max_size=1))
                ),
                parent_employer_id=draw(st.one_of(st.none(), st.integers(1, employers))),
            )
        )
    return positions, grads


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(max_positions=60), st.integers(1, 8))
def test_the_pruned_search_returns_exactly_the_full_ranking(inst, limit) -> None:  # type: ignore[no-untyped-def]
    positions, grads = inst
    index = PositionIndex(positions)
    G = GraduateArrays.build(grads, POLICY)
    everything = np.arange(len(positions))
    compiled = batch_top(index, G, np.arange(len(grads)), limit)
    numpy_path = batch_top_numpy(index, G, np.arange(len(grads)), limit)
    for g in range(len(grads)):
        full = ranking.rank(index.posts, G, g, everything, limit)
        single = search.top(index, G, g, limit)
        pruned = top_for_graduate(index, G, g, limit)
        for idx, fit in (
            (pruned.index, pruned.fit),
            (single.index, single.fit),
            compiled[g],
            numpy_path[g],
        ):
            assert list(idx) == list(full.index)
            assert list(fit) == list(full.fit)


def check_plan(positions, grads):  # type: ignore[no-untyped-def]
    """Capacity, stability (no blocking pair), priority and determinism of a plan."""
    from matchsvc.matching.service import plan_from_profiles

    plan = plan_from_profiles(grads, positions, POLICY)
    again = plan_from_profiles(grads, positions, POLICY)
    assert [(x.graduate_id, x.position_id) for x in plan.lines] == [
        (x.graduate_id, x.position_id) for x in again.lines
    ]
    headcount = {p.id: p.headcount for p in positions}
    holders: dict[int, list[int]] = {}
    assigned: dict[int, int] = {}
    for line in plan.lines:
        holders.setdefault(line.position_id, []).append(line.graduate_id)
        assert line.graduate_id not in assigned
        assigned[line.graduate_id] = line.position_id
    for pid, gs in holders.items():
        assert len(gs) <= headcount[pid]  # capacity
    for gid, prefs in plan.preferences.items():
        if gid in assigned:
            assert assigned[gid] in prefs  # only positions the graduate may take
            better = prefs[: prefs.index(assigned[gid])]
        else:
            better = prefs
        for pid in better:  # every position the graduate prefers …
            held = holders.get(pid, [])
            assert len(held) == headcount[pid]  # … is full (no waste) …
            mine = plan.priority[(gid, pid)]
            assert all(plan.priority[(h, pid)] > mine for h in held)  # … of higher priority
    placed = set(assigned)
    assert {u.graduate_id for u in plan.unplaced} == {g.id for g in grads} - placed
    assert all(u.reason for u in plan.unplaced)
    return plan


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_placement_respects_headcount_is_stable_and_follows_priority(inst) -> None:  # type: ignore[no-untyped-def]
    positions, grads = inst
    check_plan(positions, grads)


def test_placement_puts_the_employees_child_first() -> None:
    soe = 7
    positions = [position(1, "储备干部", ("计算机科学与技术",), employer_id=soe, headcount=1)]
    grads = [graduate(1, skills="Python、Java、SQL"), graduate(2, parent_employer_id=soe)]
    plan = check_plan(positions, grads)
    assert [(x.graduate_id, x.position_id) for x in plan.lines] == [(2, 1)]
    assert "same_enterprise" in plan.lines[0].rules
    assert plan.unplaced[0].graduate_id == 1 and "占满" in plan.unplaced[0].reason


def test_placement_tells_why_nobody_fits() -> None:
    positions = [position(1, "研究员", ("计算机科学与技术",), min_degree="doctor")]
    plan = check_plan(positions, [graduate(1)])
    assert plan.lines == [] and "没有符合" in plan.unplaced[0].reason


@pytest.mark.parametrize(("seed", "path"), [(3, "numpy"), (3, None), (1, None)])
def test_the_search_is_exact_on_benchmark_style_data(seed: int, path: str | None) -> None:
    """The benchmark's generator (majors of every edition, a quarter of posts read by title, real
    skew): the pruned search — numpy's and the compiled one — equals scoring every position for
    every graduate."""
    from matchsvc.bench.synthetic import Generator

    gen = Generator(seed)
    positions = gen.positions(600, "44")
    grads = gen.graduates(1000, "44", employers=60)
    index = PositionIndex(positions)
    G = GraduateArrays.build(grads, POLICY)
    everything = np.arange(len(positions))
    found = batch_top(index, G, np.arange(len(grads)), 20, path=path)
    for g in range(len(grads)):
        full = ranking.rank(index.posts, G, g, everything, 20)
        assert list(found[g][0]) == list(full.index), g
        assert list(found[g][1]) == list(full.fit), g
