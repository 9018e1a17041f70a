"""The compiled search against the numpy path: identical rankings (one graduate, a batch, the
nightly recompute, placement lists within a reach, declined posts), identical plans, and the
numpy path taking over with a warning where numba does not load or the setting asks for it."""

from __future__ import annotations

import os
import sys
import warnings
from datetime import date

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matchsvc.bench.synthetic import Generator
from matchsvc.matching import engine
from matchsvc.matching.engine import kernel, placement, search
from matchsvc.matching.engine.index import PositionIndex
from matchsvc.matching.engine.policy import Policy
from matchsvc.matching.engine.recompute import top_all
from matchsvc.matching.engine.score import GraduateArrays

from .test_engine import check_plan, instances

POLICY = Policy(today=date(2026, 8, 1), campaign_year=2026)


@pytest.fixture(scope="module")
def province():  # type: ignore[no-untyped-def]
    gen = Generator(11)
    positions = gen.positions(800, "42")
    grads = gen.graduates(2000, "42", employers=100)
    # some graduates declined some posts: never offered again
    rng = np.random.default_rng(5)
    for g in grads[::7]:
        g.declined = frozenset(int(i) for i in rng.choice(len(positions), 5) + 1)
    return PositionIndex(positions), GraduateArrays.build(grads, POLICY)


def test_the_compiled_path_is_there() -> None:
    assert kernel.compiled() is not None, "numba did not load: the tests would not run it"


def test_compiled_and_numpy_rankings_are_identical(province) -> None:  # type: ignore[no-untyped-def]
    index, grads = province
    # graduates over every post (the first 1,000 of seed 11 hold a case the numpy path got wrong: a
    # post of no related major near the graduate, left behind lists bounded lower), then a
    # placement's reach for some
    for members, within in (
        (np.arange(1000), None),
        (np.arange(0, len(grads.ids), 5), np.arange(len(index)) % 3 != 0),
    ):
        compiled = search.ranked_lists(index, grads, members, 30, within=within)
        numpy_path = search.ranked_lists(index, grads, members, 30, within=within, path="numpy")
        for a, b in zip(compiled, numpy_path, strict=True):
            assert np.array_equal(a, b)
    declined = [g for g, p in enumerate(grads.profiles) if p.declined]
    idx, _, n = search.ranked_lists(index, grads, np.array(declined), 30)
    for row, g in enumerate(declined):
        shown = set(index.posts.ids[idx[row, : n[row]]].tolist())
        assert not shown & grads.profiles[g].declined


def test_one_graduate_and_the_nightly_recompute_agree(province) -> None:  # type: ignore[no-untyped-def]
    index, grads = province
    ids, fits = top_all(index, grads, 20, workers=2)
    ids_np, fits_np = top_all(index, grads, 20, workers=1, path="numpy")
    assert np.array_equal(ids, ids_np) and np.array_equal(fits, fits_np)
    for g in range(0, len(grads.ids), 97):
        one = search.top(index, grads, g, 20)
        shown = ids[g][ids[g] >= 0]
        assert list(index.posts.ids[one.index]) == list(shown)


def test_the_same_plan_on_both_paths(province) -> None:  # type: ignore[no-untyped-def]
    index, grads = province
    capacity = {p.id: p.headcount for p in index.posts.profiles}
    within = np.ones(len(index), dtype=bool)
    compiled = placement.deferred_acceptance(grads, index, within, capacity)
    numpy_path = placement.deferred_acceptance(grads, index, within, capacity, path="numpy")

    def lines(plan: placement.Plan) -> list[tuple[int, int, float, int, str]]:
        return [(x.graduate_id, x.position_id, x.fit, x.choice, x.reason) for x in plan.lines]

    assert lines(compiled) == lines(numpy_path) and compiled.lines
    assert compiled.unplaced == numpy_path.unplaced
    assert all(line.components and "匹配度" in line.reason for line in compiled.lines)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.integers(1, 40),
    st.integers(1, 12),
    st.integers(0, 6),
    st.integers(0, 2**32 - 1),
)
def test_acceptance_compiled_equals_python(grads: int, posts: int, width: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    prefs = np.full((grads, width), -1, dtype=np.int64)
    for g in range(grads):
        k = int(rng.integers(0, min(width, posts) + 1))
        prefs[g, :k] = rng.choice(posts, k, replace=False)
    keys = np.where(prefs >= 0, rng.integers(0, 10**6, size=prefs.shape), -1)
    keys = keys * 1000 + np.arange(grads)[:, None]  # distinct per graduate, as ids make them
    capacity = rng.integers(0, 4, size=posts).astype(np.int64)
    code = kernel.compiled()
    assert code is not None
    assert np.array_equal(
        code.accept(prefs, keys, capacity), placement.accept_python(prefs, keys, capacity)
    )


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_plans_on_the_numpy_path_keep_their_properties(inst) -> None:  # type: ignore[no-untyped-def]
    positions, grads = inst
    os.environ["MATCHSVC_MATCHER"] = "numpy"  # (hypothesis: no function-scoped monkeypatch)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            check_plan(positions, grads)
    finally:
        del os.environ["MATCHSVC_MATCHER"]


def test_the_setting_forces_the_numpy_path_with_a_warning(
    province, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    index, grads = province
    expected = search.top(index, grads, 3, 20)
    monkeypatch.setenv("MATCHSVC_MATCHER", "numpy")
    monkeypatch.setattr(kernel, "_warned", set())
    with pytest.warns(RuntimeWarning, match="MATCHSVC_MATCHER=numpy"):
        assert kernel.compiled() is None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        got = search.top(index, grads, 3, 20)
        assert not kernel.warm_up()
    assert list(got.index) == list(expected.index) and list(got.fit) == list(expected.fit)


def test_without_numba_the_numpy_path_runs_with_a_warning(
    province, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    index, grads = province
    expected = search.top(index, grads, 5, 20)
    monkeypatch.setitem(sys.modules, "numba", None)  # `import numba` fails as if not installed
    monkeypatch.delitem(sys.modules, "matchsvc.matching.engine.kernel_code")
    monkeypatch.delattr(engine, "kernel_code")
    monkeypatch.setattr(kernel, "_warned", set())
    kernel._load.cache_clear()
    try:
        with pytest.warns(RuntimeWarning, match="numba 不可用"):
            assert kernel.compiled() is None
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            got = search.top(index, grads, 5, 20)
        assert list(got.index) == list(expected.index)
    finally:
        kernel._load.cache_clear()
    monkeypatch.undo()
    assert kernel.compiled() is not None


def test_no_positions_and_posts_nobody_can_reach_give_empty_lists() -> None:
    """An index with no posts at all (a new province) answers empty lists on both paths."""
    grads = GraduateArrays.build(Generator(3).graduates(5, "42", employers=3), POLICY)
    index = PositionIndex([])
    for path in (None, "numpy"):
        idx, _, n = search.ranked_lists(index, grads, np.arange(5), 10, path=path)
        assert n.tolist() == [0] * 5 and (idx < 0).all()
    ids, _ = top_all(index, grads, 10, workers=1)
    assert (ids < 0).all()
    for path in (None, "numpy"):
        plan = placement.deferred_acceptance(grads, index, np.ones(0, dtype=bool), {}, path=path)
        assert plan.lines == [] and len(plan.unplaced) == int(grads.unemployed.sum()) > 0
        assert plan.preferences == {int(g): [] for g in plan.graduate_ids}
