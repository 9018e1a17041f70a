"""The demo's frame: its provinces, counties and cities, the 2012 campaign's dates, the logins it
creates, and well-formed ID numbers and credit codes."""

from __future__ import annotations

import random
from datetime import date, timedelta

from ..models import (
    HQ_CODE,
)
from ..orgs.service import regions
from ..validators import id_check_char, uscc_check_char

DEMO_PROVINCES = ["440000", "420000", "510000", "410000"]
DEMO_COUNTIES = [("440106", "440100"), ("420106", "420100")]
#: Cities with courses and fairs of their own (the city officer's pages are not empty).
DEMO_CITIES = ["440100", "420100"]
YEAR = 2012
CAMPAIGN_START, CUTOFF = date(2012, 7, 1), date(2012, 8, 31)

#: (role, username, password, org or link, what to try)
LOGINS = [
    ("hq", "hq", "Demo-hq-2012", HQ_CODE, "全总保障工作部 周处长"),
    ("officer", "gd_officer", "Demo-gd-2012", "440000", "广东省总工会 陈干事"),
    ("officer", "gz_officer", "Demo-gz-2012", "440100", "广州市总工会 李干事"),
    ("officer", "th_officer", "Demo-th-2012", "440106", "天河区总工会（县级） 黄干事"),
    ("officer", "hb_officer", "Demo-hb-2012", "420000", "湖北省总工会 刘干事"),
]


def make_id_number(rng: random.Random, region: str, born: date, male: bool) -> str:
    seq = rng.randrange(0, 100) * 10 + rng.choice([1, 3, 5, 7, 9] if male else [0, 2, 4, 6, 8])
    first17 = f"{region}{born:%Y%m%d}{seq:03d}"
    return first17 + id_check_char(first17)


def make_uscc(rng: random.Random, region: str, kind: str) -> str:
    """A well-formed 统一社会信用代码: authority, type, region, organisation code, check."""
    head = "11" if kind == "public_welfare" else "91"
    digits = "".join(rng.choice("0123456789") for _ in range(8))
    weights = [3, 7, 9, 10, 5, 8, 4, 2]
    c9 = 11 - sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11
    org_code = digits + {10: "X", 11: "0"}.get(c9, str(c9))
    first17 = f"{head}{region}{org_code}"
    return first17 + uscc_check_char(first17)


def counties_under(city: str) -> list[str]:
    return [r.code for r in regions().values() if r.parent == city and r.level == "county"]


def random_day(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randrange((end - start).days + 1))
