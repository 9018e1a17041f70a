"""A national data set for the matcher's benchmark and its property tests, in memory and
deterministic: graduates and positions in every province, majors drawn from both catalogues with
realistic skew, a quarter of positions 专业不限, post titles and skills as employers write them."""

from __future__ import annotations

import random
from functools import cache
from itertools import accumulate

from .. import areacodes
from ..majors.catalogue import catalogue
from ..majors.mapping import inference_for
from ..majors.occupations import labelled_titles
from ..matching.engine.profiles import GraduateProfile, PositionProfile

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
        # the running sums once, not per draw (random.choices would sum the weights each call)
        self.cb, self.cz = list(accumulate(self.wb)), list(accumulate(self.wz))
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
                    tuple(r.choices(self.benke, cum_weights=self.cb, k=k)),
                    tuple(r.choices(self.zhuanke, cum_weights=self.cz, k=k)),
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
                r.choices(self.zhuanke, cum_weights=self.cz)[0]
                if degree == "zhuanke"
                else r.choices(self.benke, cum_weights=self.cb)[0]
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
