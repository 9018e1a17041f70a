"""The two national major catalogues, shipped as package data and loaded once.

`matchsvc/data/majors_benke.txt` holds 《普通高等学校本科专业目录（2012年）》 plus majors added in
later years; `majors_zhuanke.txt` the 2015 vocational (专科) catalogue. Each entry is a major or a
专业类 (a position may require "计算机类"); codes are the catalogue's six digits (a class has four),
without the T/K marks the catalogue prints after special and controlled majors.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Literal

from ..paths import DATA_DIR

Level = Literal["本科", "专科"]
LEVELS: tuple[Level, Level] = ("本科", "专科")
FILES: dict[Level, str] = {"本科": "majors_benke.txt", "专科": "majors_zhuanke.txt"}


@dataclass(frozen=True)
class Entry:
    """A catalogue major (6-digit code) or 专业类 (4-digit code)."""

    code: str
    name: str
    level: Level
    class_code: str
    class_name: str
    group_code: str  # 门类 (本科) or 专业大类 (专科)
    group_name: str
    added_year: int | None = None

    @property
    def is_class(self) -> bool:
        return len(self.code) == 4


@dataclass(frozen=True)
class Catalogue:
    entries: tuple[Entry, ...]

    @property
    def majors(self) -> tuple[Entry, ...]:
        return tuple(e for e in self.entries if not e.is_class)

    @property
    def classes(self) -> tuple[Entry, ...]:
        return tuple(e for e in self.entries if e.is_class)

    def by_code(self, code: str) -> Entry | None:
        return _code_index().get(code)

    def named(self, name: str, level: Level | None = None) -> list[Entry]:
        """Entries with exactly this name, the given level's first."""
        found = _name_index().get(name, [])
        if level is None:
            return list(found)
        return sorted(found, key=lambda e: e.level != level)


def _parse(level: Level, text: str) -> list[Entry]:
    entries: list[Entry] = []
    group_code = group_name = ""
    classes: dict[str, Entry] = {}
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("+"):
            code, name, year = line[1:].split()
            cls = classes[code[:4]]
            entries.append(
                Entry(
                    code, name, level, cls.code, cls.name, cls.group_code, cls.group_name, int(year)
                )
            )
            continue
        head, _, rest = line.partition(":")
        code, name = head.split(maxsplit=1)
        if len(code) == 2:
            group_code, group_name = code, name
            continue
        if len(code) != 4 or not code.startswith(group_code):
            raise ValueError(f"{FILES[level]}: bad line {raw!r}")
        cls = Entry(code, name, level, code, name, group_code, group_name)
        classes[code] = cls
        entries.append(cls)
        for n, major in enumerate(rest.split(), start=1):
            entries.append(
                Entry(f"{code}{n:02d}", major, level, code, name, group_code, group_name)
            )
    return entries


@cache
def catalogue() -> Catalogue:
    entries: list[Entry] = []
    for level in LEVELS:
        entries += _parse(level, (DATA_DIR / FILES[level]).read_text(encoding="utf-8"))
    codes = [e.code for e in entries]
    if len(codes) != len(set(codes)):
        raise ValueError("major catalogues: duplicate code")
    return Catalogue(tuple(entries))


@cache
def _code_index() -> dict[str, Entry]:
    return {e.code: e for e in catalogue().entries}


@cache
def _name_index() -> dict[str, list[Entry]]:
    index: dict[str, list[Entry]] = {}
    for e in catalogue().entries:
        index.setdefault(e.name, []).append(e)
    return index
