"""The national major catalogues, by edition, shipped as package data and loaded once.

| edition | file | side | codes |
| --- | --- | --- | --- |
| 本科2026 | `majors_benke.tsv` | 本科 | official, T/K kept (2012 majors and every one added since) |
| 职业本科2021 | `majors_zhiye_benke_2021.tsv` | 本科 | none (unverified transcription) |
| 专科2021 | `majors_zhuanke_2021.tsv` | 专科 | none (unverified transcription) |
| 专科2015 | `majors_zhuanke_2015.tsv` | 专科 | none (unverified transcription) |

The matcher has two sides: 本科 (graduates with a 本科 degree or above, 职业本科 included) and 专科.
An entry is a major or a 专业类 (a position may require "计算机类"). Its `key` is its official code
where a source gives one, else `<edition>:<name>`; `code` is the official code or None. The same
notion across editions is one notion: a 2015 专科 major renamed in 2021 points to its successor
(`majors_zhuanke_2015_2021.tsv`), a class of one edition to the class of the same name in the
newest edition of its side, and the 专科 专业大类 51–69 (2015) to 41–59 (2021).
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Literal

from ..paths import DATA_DIR

Level = Literal["本科", "专科"]
LEVELS: tuple[Level, Level] = ("本科", "专科")


@dataclass(frozen=True)
class Edition:
    name: str
    file: str
    level: Level
    #: Whether the file is checked against a source (the 2026 本科 catalogue is).
    verified: bool


#: Newest first within each side: a name in two editions is read as the newest one's.
EDITIONS: tuple[Edition, ...] = (
    Edition("本科2026", "majors_benke.tsv", "本科", True),
    Edition("职业本科2021", "majors_zhiye_benke_2021.tsv", "本科", False),
    Edition("专科2021", "majors_zhuanke_2021.tsv", "专科", False),
    Edition("专科2015", "majors_zhuanke_2015.tsv", "专科", False),
)
CORRESPONDENCE_FILE = "majors_zhuanke_2015_2021.tsv"


@dataclass(frozen=True)
class Entry:
    """A catalogue major or 专业类."""

    key: str
    code: str | None
    name: str
    level: Level
    edition: str
    class_key: str
    class_name: str
    group_key: str  # 门类 (本科) or 专业大类 (专科), the same key across editions of a side
    group_name: str
    added: str = ""
    verified: bool = False
    is_class: bool = False
    #: The key of the entry that carries this notion in the newest edition (itself if current).
    canonical: str = field(default="", compare=False)

    @property
    def group_code(self) -> str:
        return self.group_key


def _rows(edition: Edition) -> Iterator[dict[str, str]]:
    with (DATA_DIR / edition.file).open(encoding="utf-8") as fh:
        yield from csv.DictReader((line for line in fh if not line.startswith("#")), delimiter="\t")


def _group_key(edition: Edition, code: str) -> str:
    """专科 2015 大类 51–69 are the 2021 大类 41–59 (the same 19, in the same order)."""
    if edition.name == "专科2015":
        return str(int(code) - 10)
    return code


@dataclass(frozen=True)
class Catalogue:
    entries: tuple[Entry, ...]

    @property
    def majors(self) -> tuple[Entry, ...]:
        return tuple(e for e in self.entries if not e.is_class)

    @property
    def classes(self) -> tuple[Entry, ...]:
        return tuple(e for e in self.entries if e.is_class)

    def by_code(self, key: str) -> Entry | None:
        """The entry of an official code or an entry key (codes are also keys)."""
        return _key_index().get(key) or _code_index().get(key)

    def named(self, name: str, level: Level | None = None) -> list[Entry]:
        """Entries with exactly this name, the given level's first, newest edition first."""
        found = _name_index().get(name, [])
        if level is None:
            return list(found)
        return sorted(found, key=lambda e: e.level != level)

    def in_edition(self, edition: str) -> tuple[Entry, ...]:
        return tuple(e for e in self.entries if e.edition == edition)


def _load() -> list[Entry]:
    entries: list[Entry] = []
    for edition in EDITIONS:
        classes: dict[str, Entry] = {}
        for row in _rows(edition):
            group = _group_key(edition, row["group_code"])
            # 专科 2015 and 2021 reuse class numbers (5101 is 农业类 in one, 电子信息类 in the
            # other): only verified codes are keys of their own.
            number = row["class_code"]
            class_key = number if edition.verified else f"{edition.name}:{number}"
            code = row["code"] or None
            major = Entry(
                key=code or f"{edition.name}:{row['name']}",
                code=code,
                name=row["name"],
                level=edition.level,
                edition=edition.name,
                class_key=class_key,
                class_name=row["class"],
                group_key=group,
                group_name=row["group"],
                added=row["added"],
                verified=edition.verified,
            )
            if class_key not in classes:
                classes[class_key] = replace(
                    major,
                    key=class_key,
                    code=class_key if edition.verified else None,
                    name=row["class"],
                    added="",
                    is_class=True,
                )
                entries.append(classes[class_key])
            entries.append(major)
    return entries


def _canonical(entries: list[Entry]) -> list[Entry]:
    """Point every entry at the newest entry of its notion (see the module's docstring)."""
    newest: dict[tuple[Level, str, bool], Entry] = {}
    for e in entries:  # editions come newest first within a side
        newest.setdefault((e.level, e.name, e.is_class), e)
    with (DATA_DIR / CORRESPONDENCE_FILE).open(encoding="utf-8") as fh:
        renamed = {
            r["name_2015"]: r["name_2021"]
            for r in csv.DictReader((x for x in fh if not x.startswith("#")), delimiter="\t")
        }
    out = []
    for e in entries:
        name = renamed.get(e.name, e.name) if e.edition == "专科2015" and not e.is_class else e.name
        target = newest.get((e.level, name, e.is_class), e)
        out.append(Entry(**{**e.__dict__, "canonical": target.key}))
    return out


@cache
def catalogue() -> Catalogue:
    entries = _canonical(_load())
    keys = [e.key for e in entries]
    if len(keys) != len(set(keys)):
        duplicates = sorted({k for k in keys if keys.count(k) > 1})
        raise ValueError(f"major catalogues: duplicate keys {duplicates[:5]}")
    return Catalogue(tuple(entries))


@cache
def _key_index() -> dict[str, Entry]:
    return {e.key: e for e in catalogue().entries}


@cache
def _code_index() -> dict[str, Entry]:
    """Official codes, and the same codes without their T/K marks (as stored before 2026)."""
    index: dict[str, Entry] = {}
    for e in catalogue().entries:
        if e.code:
            index[e.code] = e
            index.setdefault(e.code.rstrip("TK"), e)
    return index


@cache
def _name_index() -> dict[str, list[Entry]]:
    index: dict[str, list[Entry]] = {}
    for e in catalogue().entries:
        index.setdefault(e.name, []).append(e)
    return index
