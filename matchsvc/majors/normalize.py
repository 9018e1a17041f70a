"""Map a free-text major ("计科", "软件工程（嵌入式方向）", "电气自动化") to a catalogue entry.

Order: an officer's remembered correction for that spelling, the catalogue's own names, the alias
table (`data/major_aliases.txt`), then fuzzy matching with rapidfuzz over names and aliases. The
graduate's level (专科 or 本科 and above) prefers that level's catalogue; an entry of the other
level is taken only when it fits clearly better. Each mapping has a confidence from 0 to 1: at or
above `AUTO_ACCEPT` it is used without review; below it the mapping is listed for an officer to
confirm or correct; below `MIN_CONFIDENCE` no entry is given at all.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from functools import cache
from typing import Any

from rapidfuzz import fuzz, process

from ..paths import DATA_DIR
from .catalogue import LEVELS, Entry, Level, catalogue

AUTO_ACCEPT = 0.85
MIN_CONFIDENCE = 0.6
#: A name from the other level's catalogue counts this much of an equal own-level fit.
OTHER_LEVEL_FACTOR = 0.93
ALIAS_CONFIDENCE = 0.97

_BRACKETS = re.compile(r"[（(【\[<《][^）)】\]>》]*[）)】\]>》]?")
_PREFIX = re.compile(r"^(?:本科|专科|高职|大专|统招|全日制|普通)+")
_SUFFIX = re.compile(r"(?:专业方向|专业|方向|系)$")
_SEPARATOR = re.compile(r"[-—–·/|、，,;；:：]")


@dataclass(frozen=True)
class MajorMapping:
    text: str
    code: str | None
    name: str | None
    category: str | None  # the 专业类
    level: Level | None
    confidence: float
    source: str  # correction | catalogue | alias | fuzzy | none

    @property
    def needs_review(self) -> bool:
        return self.confidence < AUTO_ACCEPT

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("source")
        return data


def clean(text: str) -> str:
    """The spelling's key: width-folded, no spaces, brackets, 专业/方向 marks or directions."""
    t = unicodedata.normalize("NFKC", text or "")
    t = re.sub(r"\s+", "", t)
    t = _BRACKETS.sub("", t)
    t = _SEPARATOR.split(t, maxsplit=1)[0] if _SEPARATOR.search(t) else t
    t = _PREFIX.sub("", t)
    previous = None
    while previous != t:
        previous, t = t, _SUFFIX.sub("", t)
    return t


def level_for_degree(degree: str | None) -> Level | None:
    """专科 graduates match the 专科 catalogue; 本科, 硕士 and 博士 the 本科 one."""
    if degree in ("zhuanke", "专科"):
        return "专科"
    if degree in ("benke", "master", "doctor", "本科", "硕士", "博士"):
        return "本科"
    return None


@cache
def _aliases() -> dict[str, dict[Level, str]]:
    table: dict[str, dict[Level, str]] = {}
    path = DATA_DIR / "major_aliases.txt"
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        spelling, _, targets = line.partition("=")
        benke, _, zhuanke = targets.partition("|")
        sides = {lvl: name for lvl, name in zip(LEVELS, (benke, zhuanke), strict=True) if name}
        for lvl, name in sides.items():
            if not catalogue().named(name, lvl) or catalogue().named(name, lvl)[0].level != lvl:
                raise ValueError(f"major_aliases.txt: {name!r} is not a {lvl} major")
        table[clean(spelling)] = sides
    return table


@cache
def _choices() -> tuple[list[str], list[tuple[str, Level | None]]]:
    """Fuzzy-match targets: every catalogue name and every alias spelling."""
    keys: list[str] = []
    targets: list[tuple[str, Level | None]] = []
    for e in catalogue().entries:
        keys.append(e.name)
        targets.append((e.name, e.level))
    for spelling in _aliases():
        keys.append(spelling)
        targets.append((spelling, None))
    return keys, targets


def _resolve(name: str, level: Level | None) -> Entry | None:
    found = catalogue().named(name, level)
    return found[0] if found else None


def _alias_entry(key: str, level: Level | None) -> Entry | None:
    sides = _aliases().get(key)
    if not sides:
        return None
    name = sides.get(level) if level else None
    if name:
        return _resolve(name, level)
    for lvl in LEVELS:
        if lvl in sides:
            return _resolve(sides[lvl], lvl)
    return None


def similarity(a: str, b: str) -> float:
    """0–100: edit similarity, or containment weighted by how much of the longer is covered."""
    score = fuzz.ratio(a, b)
    if a and b and (a in b or b in a):
        short, long_ = sorted((len(a), len(b)))
        score = max(score, 100 * (0.75 + 0.25 * short / long_))
    return score


def _mapping(text: str, entry: Entry | None, confidence: float, source: str) -> MajorMapping:
    if entry is None or confidence < MIN_CONFIDENCE:
        return MajorMapping(text, None, None, None, None, round(confidence, 3), "none")
    return MajorMapping(
        text, entry.code, entry.name, entry.class_name, entry.level, round(confidence, 3), source
    )


def normalize(
    text: str, level: Level | None = None, corrections: Mapping[str, str] | None = None
) -> MajorMapping:
    key = clean(text)
    if not key:
        return _mapping(text, None, 0.0, "none")
    if corrections and key in corrections:
        entry = catalogue().by_code(corrections[key])
        if entry is not None:
            return _mapping(text, entry, 1.0, "correction")
    exact = _resolve(key, level)
    if exact is not None and (level is None or exact.level == level):
        return _mapping(text, exact, 1.0, "catalogue")
    alias = _alias_entry(key, level)
    if alias is not None:
        return _mapping(text, alias, ALIAS_CONFIDENCE, "alias")
    best: tuple[float, Entry] | None = None
    if exact is not None:  # the exact name exists only in the other level's catalogue
        best = (100 * OTHER_LEVEL_FACTOR, exact)
    keys, targets = _choices()
    for _, _, idx in process.extract(key, keys, scorer=fuzz.WRatio, limit=20):
        name, entry_level = targets[idx]
        entry = _alias_entry(name, level) if entry_level is None else _resolve(name, entry_level)
        if entry is None:
            continue
        score = similarity(key, name)
        if entry_level is None:
            score *= ALIAS_CONFIDENCE
        if level is not None and entry.level != level:
            score *= OTHER_LEVEL_FACTOR
        if (
            best is None
            or score > best[0] + 1e-9
            or (abs(score - best[0]) < 1e-9 and _prefer(entry, best[1], level))
        ):
            best = (score, entry)
    if best is None:
        return _mapping(text, None, 0.0, "none")
    return _mapping(text, best[1], best[0] / 100, "fuzzy")


def _prefer(a: Entry, b: Entry, level: Level | None) -> bool:
    """Tie-break: own level, then majors before classes, then the lower code."""
    return (a.level != level, a.is_class, a.code) < (b.level != level, b.is_class, b.code)
