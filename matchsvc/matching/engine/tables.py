"""Catalogue lookup tables as numpy arrays: an entry's 专业类, 门类/大类, and related classes.

Entries are numbered in catalogue order; a graduate's major and a position's required majors are
stored as these numbers so the fit of thousands of pairs is computed with array operations.
Two entries are *related by text* when the cores of their names — without generic words such as
科学与技术, 工程, 技术, 管理 — contain one another or are close (rapidfuzz ratio ≥ `RELATED_RATIO`):
计算机科学与技术 (本科) and 计算机网络技术 (专科), 电子信息工程 and 电子科学与技术.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import numpy as np
from rapidfuzz import fuzz, process

from ...majors.catalogue import LEVELS, Entry, catalogue

RELATED_RATIO = 67
_GENERIC = re.compile(
    r"科学与技术|科学与工程|及其自动化|与技术|与工程|与管理|技术|工程|管理|科学|应用|类|学$"
)


@dataclass(frozen=True)
class Tables:
    entries: tuple[Entry, ...]
    index: dict[str, int]
    entry_canon: np.ndarray  # entry → the entry carrying its notion in the newest edition
    entry_class: np.ndarray  # entry → the canonical class of its canonical entry
    entry_group: np.ndarray  # entry → group number (门类 or 专业大类, one per side and family)
    entry_is_class: np.ndarray
    entry_level: np.ndarray  # 0 本科, 1 专科
    related: np.ndarray  # entry × entry → bool, names close

    def number(self, key: str | None) -> int:
        """The entry number of an entry key (or official code), -1 if none."""
        if not key:
            return -1
        found = self.index.get(key)
        if found is None:
            entry = catalogue().by_code(key)
            found = self.index.get(entry.key, -1) if entry is not None else -1
        return found


def _group(e: Entry) -> tuple[str, str]:
    """职业本科's 专业大类 and 本科's 门类 are different divisions, though on one side."""
    family = "职业" if e.edition.startswith("职业") else ""
    return e.level, family + e.group_key


@cache
def tables() -> Tables:
    entries = catalogue().entries
    index = {e.key: i for i, e in enumerate(entries)}
    canon = np.array([index[e.canonical] for e in entries], dtype=np.int32)
    own_class = np.array([index[e.class_key] for e in entries], dtype=np.int32)
    # the class of the entry carrying the notion (职业本科 人力资源管理 is 本科 120206's, in 1202):
    # entries that are one notion are always of one class, as the search's lists assume
    entry_class = canon[own_class[canon]]
    groups: dict[tuple[str, str], int] = {}
    entry_group = np.array(
        [groups.setdefault(_group(e), len(groups)) for e in entries], dtype=np.int32
    )
    entry_is_class = np.array([e.is_class for e in entries], dtype=bool)
    entry_level = np.array([LEVELS.index(e.level) for e in entries], dtype=np.int8)
    cores = [_GENERIC.sub("", e.name) or e.name for e in entries]
    close = process.cdist(cores, cores, scorer=fuzz.ratio, score_cutoff=RELATED_RATIO)
    related = close > 0
    by_core: dict[str, list[int]] = {}
    for i, core in enumerate(cores):
        by_core.setdefault(core, []).append(i)
    for core, members in by_core.items():
        if len(core) < 2:
            continue
        for other, others in by_core.items():
            if other != core and core in other:
                related[np.ix_(members, others)] = True
                related[np.ix_(others, members)] = True
    np.fill_diagonal(related, False)
    return Tables(
        entries,
        index,
        canon,
        entry_class,
        entry_group,
        entry_is_class,
        entry_level,
        related,
    )
