"""Region codes as people's papers carry them: the municipalities' 市辖区 rows and every county-
level-and-above code in use at any time since 1981, each read as the division it is today.

GB/T 2260 lists a 市辖区 row under each municipality (110100 北京市市辖区, 120100, 310100, 500100,
and 500200 重庆市县) that many systems use for the city itself: they are read as the municipality.

An ID number's first six digits are the region at birth, and officers copy 生源地 from old papers:
a graduate born in 1991 in 莱芜 carries 371202, abolished when 莱芜 joined 济南 (now 370116). The
history is `data/region_history.csv`, built by scripts/build_region_history.py from
yescallop/areacodes (CC0 1.0; compiled from the 民政部 yearly lists and approvals, 1981–2024): one
row per code no longer in use, with its name then, its parent's name, the year its area passed
to its successors and those successors. A code is counted under its successor today — followed
through later changes — or, where its area was split, under the division all the parts share;
where the data names no successor (a prefecture abolished whole, such as 莱芜市 371200), under the
one its counties went to.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache

from .paths import DATA_DIR

#: 市辖区 (and 重庆市县) rows read as their municipality.
MUNICIPAL = {
    "110100": "110000",
    "120100": "120000",
    "310100": "310000",
    "500100": "500000",
    "500200": "500000",
}


@dataclass(frozen=True)
class Region:
    """A division in use today (GB/T 2260, 民政部 2024)."""

    code: str
    name: str
    parent: str
    level: str
    #: Shipped as a union org (provinces, prefecture-level cities, 省直辖县).
    shipped: bool


@dataclass(frozen=True)
class Past:
    code: str
    name: str
    #: The prefecture it belonged to then ("直辖" under a province or municipality).
    city: str
    province: str
    start: int
    end: int
    #: From this year its area belongs to its successors.
    since: int
    #: The codes its area went to when it ended (those of partial transfers before are left out).
    successors: tuple[str, ...]


@cache
def current() -> dict[str, Region]:
    """Today's divisions down to county level, from the package data (the one reader of it)."""
    with (DATA_DIR / "regions.csv").open(encoding="utf-8") as fh:
        return {
            r["code"]: Region(
                r["code"], r["name"], r["parent"], r["level"], r["shipped_org"] == "1"
            )
            for r in csv.DictReader(fh)
        }


def _successors(raw: str) -> tuple[str, ...]:
    # "371203[2006];370116": a bracketed year marks a transfer before the end, not a successor
    return tuple(part for part in raw.split(";") if part and "[" not in part)


@cache
def history() -> dict[str, Past]:
    """Codes no longer in use; where a code served twice, its later period."""
    out: dict[str, Past] = {}
    with (DATA_DIR / "region_history.csv").open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            code = r["code"]
            if code in current():
                continue  # reused: today's meaning wins
            past = Past(
                code,
                r["name"],
                r["city"],
                r["province"],
                int(r["start"]),
                int(r["end"]),
                int(r["since"]),
                _successors(r["successors"]),
            )
            if code not in out or past.end > out[code].end:
                out[code] = past
    return out


def _shared(codes: set[str]) -> str | None:
    """The one division today that holds all of `codes`: itself, their city, or their province."""
    if len(codes) == 1:
        return next(iter(codes))
    if not codes:
        return None
    table = current()
    for width, pad in ((4, "00"), (2, "0000")):
        prefixes = {c[:width] for c in codes}
        if len(prefixes) == 1 and (shared := prefixes.pop() + pad) in table:
            return shared
    return None


@cache
def successors_today(code: str) -> frozenset[str]:
    """The codes in use today that a past code's area went to, followed through later changes."""
    return frozenset(_follow(code, set()))


def _follow(code: str, seen: set[str]) -> set[str]:
    if code in current():
        return {code}
    past = history().get(code)
    if past is None or code in seen:
        return set()
    seen.add(code)
    found: set[str] = set()
    for nxt in past.successors:
        found |= _follow(nxt, seen)
    if not found and code.endswith("00"):
        # a prefecture abolished whole: where its counties went (莱芜市 → 济南市)
        for child in history().values():
            if child.code[:4] == code[:4] and child.code != code and child.end == past.end:
                found |= {_parent(c) for c in _follow(child.code, seen)}
    return found


def _parent(code: str) -> str:
    """The prefecture (or province) a current code sits under, itself for a prefecture."""
    return code if code.endswith("00") else current()[code].parent


@cache
def counted_as(code: str | None) -> str | None:
    """The code in use today a code is read as and counted under: itself when current, the
    municipality for a 市辖区 row, a past code's successor; None for a code that never was (or
    none given)."""
    if code is None or code in current():
        return code
    if code in MUNICIPAL:
        return MUNICIPAL[code]
    if code not in history():
        return None
    return _shared(set(successors_today(code)))


def full_name(code: str) -> str:
    """A current division with what it lies in: 济南市莱芜区, 北京市东城区, 湖北省仙桃市."""
    table = current()
    region = table[code]
    parent = table.get(region.parent)
    return f"{parent.name}{region.name}" if parent else region.name


def describe(code: str) -> str | None:
    """A past code's name then and where it is today: 莱城区（2019年起为济南市莱芜区）; None for a
    code in use (or never used)."""
    past = history().get(code)
    if past is None:
        return None
    today = sorted(successors_today(code))
    if len(today) == 1:
        return f"{past.name}（{past.since}年起为{full_name(today[0])}）"
    if today:
        parts = "、".join(full_name(c) for c in today)
        return f"{past.name}（{past.since}年起分属{parts}）"
    return f"{past.name}（{past.since}年撤销）"


def missing_successors() -> list[Past]:
    """Past codes the data gives no division today for (listed in matchsvc/data/README.md)."""
    return [p for p in history().values() if not successors_today(p.code)]
