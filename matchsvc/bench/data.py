"""Synthetic but valid data for benchmarks: graduates' spreadsheets of any size."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

from ..demo.data import GIVEN_FEMALE, GIVEN_MALE, MAJORS_BENKE, SURNAMES, UNIVERSITIES
from ..demo.frame import make_id_number
from ..orgs.service import regions

HEADER = [
    "姓名",
    "身份证号",
    "建档单位代码",
    "毕业院校",
    "院校所在地代码",
    "专业",
    "学历",
    "毕业年份",
    "登记日期",
    "手机号",
    "生源地代码",
    "困难类别",
    "就业状态",
    "状态日期",
    "意向地区",
    "培训意向",
]


def graduate_rows(count: int, seed: int = 1) -> Iterator[list[str]]:
    """`count` distinct graduates from every province's cities, as spreadsheet text cells."""
    rng = random.Random(seed)
    cities = [r for r in regions().values() if r.level == "city" and r.shipped]
    counties: dict[str, list[str]] = {}
    for r in regions().values():
        if r.level == "county":
            counties.setdefault(r.parent, []).append(r.code)
    seen: set[str] = set()
    while len(seen) < count:
        city = rng.choice(cities)
        origin = rng.choice(counties.get(city.code) or [city.code])
        male = rng.random() < 0.5
        born = date(1988, 1, 1) + timedelta(days=rng.randrange(2500))
        idn = make_id_number(rng, origin, born, male)
        if idn in seen:
            continue
        seen.add(idn)
        school, school_region, _ = rng.choice(UNIVERSITIES)
        status = rng.choice(["未就业", "未就业", "已签约", "已就业"])
        yield [
            rng.choice(SURNAMES)
            + "".join(rng.choice(GIVEN_MALE if male else GIVEN_FEMALE) for _ in range(2)),
            idn,
            city.code,
            school,
            school_region,
            rng.choice(MAJORS_BENKE),
            "本科",
            str(rng.choice([2011, 2012])),
            f"2012-0{rng.randint(3, 8)}-1{rng.randint(0, 9)}",
            f"1{rng.choice('3589')}{rng.randrange(10**9):09d}",
            origin,
            rng.choice(["困难职工家庭", "困难职工家庭、低保", "农民工家庭", "困难职工家庭、单亲"]),
            status,
            "2012-08-20" if status != "未就业" else "",
            city.code,
            rng.choice(["是", "否"]),
        ]


def write_xlsx(path: Path, rows: Iterator[list[str]]) -> None:
    """Stream rows into a workbook (write-only), every cell text as officers are told to."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("毕业生")
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    workbook.save(path)
