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
import random
import resource
import statistics
import time
from datetime import date
from functools import cache
from typing import Any

import numpy as np
from rapidfuzz import process

from .. import areacodes
from ..majors.catalogue import catalogue
from ..majors.evaluate import GroupResult, evaluate, read_labels
from ..majors.mapping import inference_for
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

SKILLS = [
    "Python",
    "Java",
    "SQL",
    "CAD",
    "PLC",
    "驾驶证",
    "会计证",
    "英语四级",
    "英语六级",
    "计算机二级",
    "教师资格证",
    "护士资格证",
    "电工证",
    "焊工证",
    "Photoshop",
    "Office",
    "普通话二级甲等",
    "叉车证",
]
WORK = [
    "软件开发",
    "会计",
    "销售",
    "行政",
    "教师",
    "护士",
    "技术员",
    "客服",
    "设计",
    "物流",
    "电商运营",
]
TITLES = [
    "软件开发工程师",
    "会计",
    "出纳",
    "销售代表",
    "行政专员",
    "教师",
    "护士",
    "技术员",
    "客服专员",
    "平面设计",
    "物流专员",
    "电商运营",
    "数控操作工",
    "电工",
    "质检员",
    "文员",
    "储备干部",
    "管理培训生",
]


def _cities() -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for region in areacodes.current().values():
        if region.level == "city":
            out.setdefault(region.code[:2], []).append(region.code)
        elif region.level == "province":
            out.setdefault(region.code[:2], [])
    for prov, cities in out.items():
        if not cities:
            cities.append(f"{prov}0100")
    return out


class Generator:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        c = catalogue()
        self.benke = [e.key for e in c.majors if e.level == "本科"]
        self.zhuanke = [e.key for e in c.majors if e.level == "专科"]
        # a few majors are far more common than the rest (Zipf-like weights)
        self.wb = [1 / (i + 1) ** 0.8 for i in range(len(self.benke))]
        self.wz = [1 / (i + 1) ** 0.8 for i in range(len(self.zhuanke))]
        self.rng.shuffle(self.wb)
        self.rng.shuffle(self.wz)
        self.cities = _cities()
        self.titles = labelled_titles()
        self.provinces = sorted(p for p in self.cities if p not in ("71", "81", "82"))

    def city(self, province: str | None = None) -> str:
        prov = province or self.rng.choice(self.provinces)
        return self.rng.choice(self.cities[prov])

    def positions(
        self, n: int, province: str | None = None, start: int = 1
    ) -> list[PositionProfile]:
        r = self.rng
        out = []
        for i in range(n):
            min_degree = r.choice([None, "zhuanke", "zhuanke", "benke", "benke", "master"])
            title, description = r.choice(TITLES), "、".join(r.sample(SKILLS, r.randint(0, 3)))
            inferred: tuple[tuple[str, ...], tuple[str, ...]] = ((), ())
            strength = 0.0
            if r.random() < 0.25:  # 专业不限: a real-world title, read as the service reads it
                codes: tuple[tuple[str, ...], tuple[str, ...]] = ((), ())
                label = r.choice(self.titles)
                title, description = label.title, label.description
                inferred, strength = _inferred(title, description)
            else:
                k = r.choice([1, 1, 2])
                codes = (
                    tuple(r.choices(self.benke, self.wb, k=k)),
                    tuple(r.choices(self.zhuanke, self.wz, k=k)),
                )
            out.append(
                PositionProfile(
                    id=start + i,
                    kind=r.choices(["job", "internship", "public_welfare"], [0.75, 0.18, 0.07])[0],
                    title=title,
                    description=description,
                    employer_id=r.randint(1, max(1, n // 8)),
                    employer_name="单位",
                    region=self.city(province),
                    min_degree=min_degree,
                    major_codes=codes,
                    major_texts=("x",) if codes[0] else (),
                    headcount=r.choice([1, 1, 2, 3, 5]),
                    inferred=inferred,
                    inferred_strength=strength,
                )
            )
        return out

    def graduates(
        self, n: int, province: str | None = None, employers: int = 25_000
    ) -> list[GraduateProfile]:
        r = self.rng
        out = []
        for i in range(n):
            degree = r.choices(["zhuanke", "benke", "master"], [0.5, 0.45, 0.05])[0]
            major = (
                r.choices(self.zhuanke, self.wz)[0]
                if degree == "zhuanke"
                else r.choices(self.benke, self.wb)[0]
            )
            home = province or r.choice(self.provinces)
            origin = self.city(home)
            wishes: tuple[str, ...] = ()
            roll = r.random()
            if roll < 0.5:
                wishes = (origin,)
            elif roll < 0.7:
                wishes = (f"{home}0000",)
            elif roll < 0.8:
                wishes = (origin, self.city())
            out.append(
                GraduateProfile(
                    id=i + 1,
                    degree=degree,
                    major_code=major,
                    major_text="",
                    graduation_year=r.choice([2025, 2026, 2026]),
                    origin_region=origin,
                    school_region=self.city(home if r.random() < 0.7 else None),
                    wish_regions=wishes,
                    wish_work=r.choice(WORK) if r.random() < 0.6 else None,
                    skills="、".join(r.sample(SKILLS, r.randint(0, 3))) or None,
                    wants_internship=r.random() < 0.3,
                    wants_training=r.random() < 0.3,
                    hardships=frozenset(["dibao"]) if r.random() < 0.15 else frozenset(),
                    parent_employer_id=r.randint(1, employers) if r.random() < 0.2 else None,
                )
            )
        return out


@cache
def _inferred(
    title: str, description: str
) -> tuple[tuple[tuple[str, ...], tuple[str, ...]], float]:
    """A 专业不限 post's inference as the loader hands it to the engine (see majors.mapping)."""
    stored = inference_for(title, description, [])
    if not stored:
        return ((), ()), 0.0
    return (tuple(stored.get("本科", ())), tuple(stored.get("专科", ()))), float(stored["strength"])


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
