"""`matchsvc bench match`: the matcher at national scale, beside the way one first writes it.

Generates (in memory, deterministic) a national data set — graduates and positions in every
province, majors drawn from both catalogues with realistic skew, a quarter of positions 专业不限 —
and prints, each with the goal:
- one graduate's top 20 over the whole country, p50 and p99, and the ratio to a baseline measured
  in the same run: rapidfuzz `process.extract` with default `WRatio` over the text of every open
  position (title, majors, description), as one first writes it;
- a province's full recompute (every graduate's top 20) and the whole country's, with peak memory;
- a province's placement plan with headcounts;
- normalisation accuracy on the labelled spellings of the tests.
"""

from __future__ import annotations

import os
import platform
import resource
import statistics
import time
from datetime import date
from typing import Any

import numpy as np
from rapidfuzz import process

from ..majors.catalogue import catalogue
from ..majors.evaluate import GroupResult, evaluate, read_labels
from ..majors.occupations import labelled_titles, title_accuracy
from ..matching.engine import kernel
from ..matching.engine.index import PositionIndex
from ..matching.engine.placement import deferred_acceptance
from ..matching.engine.policy import DEFAULT_LIMIT, Policy
from ..matching.engine.profiles import GraduateProfile, PositionProfile
from ..matching.engine.recompute import top_all
from ..matching.engine.score import GraduateArrays
from ..matching.engine.search import top
from ..paths import DATA_DIR
from .synthetic import Generator


def _text(p: PositionProfile) -> str:
    names = [e.name for code in p.major_codes[0] if (e := catalogue().by_code(code))]
    return f"{p.title} {' '.join(names)} {p.description or ''}"


def _grad_text(g: GraduateProfile) -> str:
    e = catalogue().by_code(g.major_code or "")
    return f"{e.name if e else ''} {g.skills or ''} {g.wish_work or ''}"


def _peak_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, kids) / 1024


def _accuracy() -> tuple[GroupResult, GroupResult, float, int]:
    """Normalisation on the project's labelled spellings — as labelled, and the rows labelled
    with no level (as a position's 专业要求 is written) — and the share of labelled post titles
    whose 专业类 is inferred."""
    rows = read_labels((DATA_DIR / "major_spellings.csv").read_bytes())
    labelled = evaluate(rows)[-1]
    no_level = evaluate(row for row in rows if row.level is None)[-1]
    titles = labelled_titles()
    share, _ = title_accuracy(titles)
    return labelled, no_level, share, len(titles)


def _line(label: str, compiled: float, numpy_path: float, goal: str, unit: str = "秒") -> str:
    return (
        f"{label}：编译路径 {compiled:.2f} {unit}（目标 {goal}）；numpy 路径 {numpy_path:.2f} {unit}"
        f" → {numpy_path / compiled:.1f} 倍"
    )


def _single(
    index: PositionIndex, grads: GraduateArrays, sample: list[int], path: str | None
) -> list[float]:
    times = []
    for g in sample:
        t = time.perf_counter()
        top(index, grads, g, DEFAULT_LIMIT, path=path)
        times.append(time.perf_counter() - t)
    return times


def run(
    graduates: int,
    positions: int,
    province_graduates: int,
    province_positions: int,
    samples: int,
    seed: int = 2012,
    numpy_sample: int = 10_000,
) -> dict[str, Any]:
    """Every figure for the compiled search beside the numpy path, measured in this run. The
    numpy path's whole-country and province figures are measured on `numpy_sample` graduates
    (0: all of them) and scaled by the count — said so on the line."""
    print(
        f"机器：{platform.machine()}，{os.cpu_count()} 核，Python {platform.python_version()}，"
        f"numpy {np.__version__}，numba {_numba_version()}"
    )
    gen = Generator(seed)
    policy = Policy(today=date(2026, 8, 1), campaign_year=2026)
    results: dict[str, Any] = {}
    t = time.perf_counter()
    code = kernel.compiled()
    if code is None or not kernel.warm_up():
        raise SystemExit("编译路径不可用（numba 未能加载或 MATCHSVC_MATCHER=numpy），无法比较")
    print(f"编译内核（或从缓存载入）：{time.perf_counter() - t:.1f} 秒")

    t = time.perf_counter()
    national_positions = gen.positions(positions)
    national = gen.graduates(graduates)
    print(
        f"生成全国数据：{graduates:,} 名毕业生，{positions:,} 个岗位，{time.perf_counter() - t:.1f} 秒"
    )
    t = time.perf_counter()
    index = PositionIndex(national_positions)
    grads = GraduateArrays.build(national, policy)
    kernel.kernel_index(index)
    print(f"建立索引：{time.perf_counter() - t:.1f} 秒")

    # one graduate's top 20 over the whole country
    sample = gen.rng.sample(range(len(national)), min(samples, len(national)))
    fast = _single(index, grads, sample, None)
    slow = _single(index, grads, sample[: max(20, samples // 10)], "numpy")
    p50, p99 = statistics.median(fast) * 1000, float(np.percentile(fast, 99)) * 1000
    n50, n99 = statistics.median(slow) * 1000, float(np.percentile(slow, 99)) * 1000
    texts = [_text(p) for p in national_positions]
    base = []
    for g in sample[: max(5, samples // 100)]:
        t = time.perf_counter()
        process.extract(_grad_text(national[g]), texts, limit=DEFAULT_LIMIT)
        base.append(time.perf_counter() - t)
    base_p50 = statistics.median(base) * 1000
    results["top20"] = {
        "p50_ms": p50,
        "p99_ms": p99,
        "numpy_p50_ms": n50,
        "numpy_p99_ms": n99,
        "baseline_p50_ms": base_p50,
        "ratio": base_p50 / p50,
    }
    print(
        f"一名毕业生的全国前20：编译路径 p50 {p50:.2f} 毫秒，p99 {p99:.2f} 毫秒（目标 p50 ≤ 5，力争 ≤ 1.5；"
        f"p99 ≤ 25）；numpy 路径 p50 {n50:.2f}，p99 {n99:.2f} 毫秒（{len(slow)} 人）→ p50 {n50 / p50:.1f} 倍；"
        f"基线 process.extract(WRatio) p50 {base_p50:.0f} 毫秒（{len(base)} 次）→ {base_p50 / p50:.0f} 倍"
    )

    # a province: full recompute and placement
    prov_positions = gen.positions(province_positions, "44")
    prov_grads = gen.graduates(province_graduates, "44", employers=province_positions // 8)
    prov_index = PositionIndex(prov_positions)
    PG = GraduateArrays.build(prov_grads, policy)
    cores = os.cpu_count() or 1
    part = _part(prov_grads, numpy_sample, policy)
    scale = len(prov_grads) / len(part.ids)
    for workers in sorted({1, cores}):
        t = time.perf_counter()
        top_all(prov_index, PG, DEFAULT_LIMIT, workers=workers)
        compiled = time.perf_counter() - t
        t = time.perf_counter()
        top_all(prov_index, part, DEFAULT_LIMIT, workers=workers, path="numpy")
        numpy_path = (time.perf_counter() - t) * scale
        results[f"province_recompute_{workers}"] = compiled
        results[f"province_recompute_{workers}_numpy"] = numpy_path
        print(
            _line(
                f"一个省全量重算（{province_graduates:,} × {province_positions:,}，{workers} 个线程/进程）",
                compiled,
                numpy_path,
                "≤ 5 秒",
            )
            + _scaled(part, prov_grads)
        )
    within = np.ones(len(prov_positions), dtype=bool)
    capacity = {p.id: p.headcount for p in prov_positions}
    t = time.perf_counter()
    plan = deferred_acceptance(PG, prov_index, within, capacity)
    compiled = time.perf_counter() - t
    t = time.perf_counter()
    deferred_acceptance(part, prov_index, within, capacity, path="numpy")
    numpy_path = (time.perf_counter() - t) * scale
    results["province_placement"] = compiled
    results["province_placement_numpy"] = numpy_path
    print(
        _line(
            f"一个省安置方案（{province_graduates:,} × {province_positions:,}，含招聘人数）",
            compiled,
            numpy_path,
            "≤ 5 秒",
        )
        + f"；安置 {len(plan.lines):,} 人，未安置 {len(plan.unplaced):,} 人"
        + _scaled(part, prov_grads)
    )

    # the whole country
    t = time.perf_counter()
    ids, _ = top_all(index, grads, DEFAULT_LIMIT, workers=cores)
    compiled = time.perf_counter() - t
    part = _part(national, numpy_sample, policy)
    t = time.perf_counter()
    top_all(index, part, DEFAULT_LIMIT, workers=cores, path="numpy")
    numpy_path = (time.perf_counter() - t) * len(national) / len(part.ids)
    results["national_recompute"] = compiled
    results["national_recompute_numpy"] = numpy_path
    results["peak_mb"] = _peak_mb()
    print(
        _line(
            f"全国全量重算（{graduates:,} × {positions:,}，{cores} 个线程/进程）",
            compiled,
            numpy_path,
            "≤ 60 秒",
        )
        + _scaled(part, national)
    )
    print(
        f"峰值内存 {results['peak_mb']:.0f} MB（目标 ≤ 2048 MB；结果为 {ids.nbytes / 2**20:.0f} MB 的紧凑数组，"
        "无毕业生×岗位矩阵）"
    )

    labelled, no_level, titles, n_titles = _accuracy()
    results["accuracy"] = labelled.right / labelled.total
    results["accuracy_no_level"] = no_level.right / no_level.total
    results["wrong_accepted"] = labelled.wrong_accepted + no_level.wrong_accepted
    results["title_accuracy"] = titles
    print(
        f"专业规范化准确率：{results['accuracy']:.1%}（{labelled.total} 个标注写法）；"
        f"其中不给层次的 {no_level.total} 个：{results['accuracy_no_level']:.1%}（目标 ≥ 95%）；"
        f"错误且自动采纳 {results['wrong_accepted']} 个（目标 0）"
    )
    print(f"岗位名称推断专业类准确率：{titles:.1%}（{n_titles} 个标注岗位，目标 ≥ 85%）")
    return results


def _part(profiles: list[GraduateProfile], size: int, policy: Policy) -> GraduateArrays:
    """The first `size` graduates (all if 0 or more than there are), for the numpy path."""
    chosen = profiles if size <= 0 or size >= len(profiles) else profiles[:size]
    return GraduateArrays.build(chosen, policy)


def _scaled(part: GraduateArrays, everyone: list[GraduateProfile]) -> str:
    if len(part.ids) >= len(everyone):
        return ""
    return f"（numpy 路径按其中 {len(part.ids):,} 人实测，按人数推算）"


def _numba_version() -> str:
    try:
        from importlib.metadata import version

        return version("numba")
    except Exception:
        return "未安装"
