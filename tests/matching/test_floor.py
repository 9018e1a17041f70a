"""The listing floor: a post whose majors share only the graduate's 门类 (工学 holds 31 专业类) does
not pad a candidate list or top a graduate's list, and nothing below LIST_MIN_FIT is listed — as
a recommendation, a candidate or a placement line, on the numpy path and the compiled one."""

from __future__ import annotations

import numpy as np
import pytest

from matchsvc.matching.engine.index import PositionIndex
from matchsvc.matching.engine.numpy_search import top_for_graduate
from matchsvc.matching.engine.placement import deferred_acceptance
from matchsvc.matching.engine.policy import LIST_MIN_FIT, MAJOR_ANY, MAJOR_GROUP
from matchsvc.matching.engine.results import rank_candidates, recommendations
from matchsvc.matching.engine.score import GraduateArrays, PositionArrays, score_pairs
from matchsvc.matching.engine.search import batch_top

from .test_engine import POLICY, graduate, position

CITY = ("440100",)


def test_a_station_post_lists_transport_graduates_not_the_rest_of_engineering() -> None:
    posts = [position(1, "站务员", ("城市轨道交通运营管理", "交通运输"), description="地铁站务")]
    grads = [
        graduate(1, "食品科学与工程", wish_regions=CITY),
        graduate(2, "计算机科学与技术", wish_regions=CITY),
        graduate(3, "机械设计制造及其自动化", wish_regions=CITY),
        graduate(4, "交通运输", wish_regions=CITY),
        graduate(5, "城市轨道交通运营管理", degree="zhuanke", wish_regions=CITY),
    ]
    P, G = PositionArrays.build(posts), GraduateArrays.build(grads, POLICY)
    listed = rank_candidates(G, P, 0)
    assert {c.graduate_id for c in listed} == {4, 5}
    assert all(c.fit >= LIST_MIN_FIT for c in listed)
    sc = score_pairs(G, np.arange(3), P, np.zeros(3, dtype=np.intp))
    assert np.allclose(sc.components["major"], MAJOR_GROUP)  # they share 工学, nothing more
    assert (sc.fit < LIST_MIN_FIT).all() and (sc.reason == 4).all()


def test_a_computer_graduate_is_not_topped_by_a_site_engineer_post() -> None:
    posts = [
        position(1, "土建施工员", ("土木工程",)),
        position(2, "储备干部", ()),
        position(3, "软件测试工程师", ("计算机科学与技术",), region="440300"),
        position(4, "机械设计师", ("机械设计制造及其自动化",)),
    ]
    recs = _recommend(posts, graduate(1, "计算机科学与技术", wish_regions=("440000",)))
    titles = [r.title for r in recs]
    assert titles[0] == "软件测试工程师"
    assert "土建施工员" not in titles and "机械设计师" not in titles  # 工学 alone: not listed
    assert "储备干部" in titles  # 专业不限 stays
    assert recs[titles.index("储备干部")].components["major"] == pytest.approx(MAJOR_ANY)


def test_a_shorter_list_rather_than_padding() -> None:
    """A graduate with only unrelated posts near them gets an empty list, not the nearest ones."""
    posts = [position(i, f"护士{i}", ("护理学",)) for i in range(1, 8)]
    assert _recommend(posts, graduate(1, "计算机科学与技术", wish_regions=CITY)) == []


@pytest.mark.parametrize("path", ["numpy", None])
def test_nothing_below_the_floor_is_listed_anywhere(path: str | None) -> None:
    from matchsvc.bench.synthetic import Generator

    gen = Generator(5)
    positions = gen.positions(500, "44")
    grads = gen.graduates(600, "44", employers=50)
    index = PositionIndex(positions)
    G = GraduateArrays.build(grads, POLICY)
    lists = batch_top(index, G, np.arange(len(grads)), 20, path=path)
    fits = np.concatenate([f for _, f in lists])
    assert len(fits) and (fits >= LIST_MIN_FIT).all()
    short = sum(len(i) < 20 for i, _ in lists)
    assert short > 0  # the floor shortens some lists on this data: the check above means something
    for p in range(0, len(positions), 50):
        assert all(c.fit >= LIST_MIN_FIT for c in rank_candidates(G, index.posts, p))
    capacity = {pos.id: 2 for pos in positions}
    within = np.ones(len(positions), dtype=bool)
    plan = deferred_acceptance(G, index, within, capacity, path=path)
    assert plan.lines and all(line.fit >= LIST_MIN_FIT for line in plan.lines)


def _recommend(posts, g):  # type: ignore[no-untyped-def]
    index = PositionIndex(posts)
    G = GraduateArrays.build([g], POLICY)
    return recommendations(index, G, 0, top_for_graduate(index, G, 0, 10))


def test_a_rule_that_does_not_lift_says_so_in_plain_words() -> None:
    from matchsvc.matching.engine.rules import reason

    text = reason(45.0, {"major": 0.1, "region": 1.0}, ("fresh_graduate",))
    assert "这条优先暂不起作用" in text and "未提前" not in text
