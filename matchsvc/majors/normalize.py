"""Map a major as written ("计科", "會計學", "Computer Science", "会记学", "软件工程（嵌入式方向）") to
the catalogues.

Order: an officer's remembered correction of that spelling; the catalogues' own names (every
edition, both sides); the alias table (`data/major_aliases.txt`: abbreviations, former names,
English names); then near spellings — edit similarity, and readings for homophone typos
(pypinyin). Before any of it the text is cleaned: simplified characters (OpenCC), no spaces,
brackets, 专业/方向 marks or prefixes such as 本科/统招, English in lower case.

A level (专科, or 本科 and above) prefers that side's catalogues; an answer from the other side is
taken only when it fits clearly better. Without a level both sides count (a position maps its
专业要求 on both sides, see mapping.py), and an answer whose two sides name different majors that
both fit is not accepted automatically.

Every answer has a confidence from 0 to 1 and `needs_review`: it is accepted automatically only
when it is sure (an exact name, a correction, an alias, or a near spelling at `AUTO_ACCEPT` or
above) and no other answer comes within `MARGIN`; otherwise it goes to the officers' 专业核对 list
with its `candidates`. Below `MIN_CONFIDENCE` no answer is given at all.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Any

from rapidfuzz import fuzz, process

from ..paths import DATA_DIR
from .catalogue import LEVELS, Entry, Level, catalogue
from .chinese import simplified, sounds_alike

AUTO_ACCEPT = 0.88
MIN_CONFIDENCE = 0.6
#: A name of the other side counts this much of an equal fit on the graduate's own side.
OTHER_LEVEL_FACTOR = 0.93
ALIAS_CONFIDENCE = 0.97
#: An answer is sure only when the next different name scores at least this much lower (0–100).
MARGIN = 6.0

_BRACKETS = re.compile(r"[（(【\[<《][^）)】\]>》]*[）)】\]>》]?")
_PREFIX = re.compile(r"^(?:本科|专科|高职|大专|统招|全日制|普通|专升本|专接本)+")
_SUFFIX = re.compile(
    r"(?:及相关专业|等相关专业|相关专业|及相关|等专业|专业方向|专业|方向|相关|系)$"
)
_SEPARATOR = re.compile(r"[-—–·/|、，,;；:：]")
_ENGLISH_NOISE = re.compile(
    r"\b(?:bachelor|master|of|in|major|majoring|degree|program|programme|studies|b\.?sc?|b\.?a|b\.?eng|m\.?sc?)\b\.?"
)


@dataclass(frozen=True)
class Candidate:
    key: str
    code: str | None
    name: str
    level: Level

    def as_json(self) -> dict[str, Any]:
        return {"code": self.code, "name": self.name, "level": self.level}


@dataclass(frozen=True)
class MajorMapping:
    text: str
    #: The catalogue entry's key (its official code, or `<edition>:<name>` where none is known).
    key: str | None
    code: str | None
    name: str | None
    category: str | None  # the 专业类
    level: Level | None
    confidence: float
    source: str  # correction | catalogue | alias | near | none
    needs_review: bool = True
    candidates: tuple[Candidate, ...] = field(default=())

    def as_json(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "code": self.code,
            "name": self.name,
            "category": self.category,
            "level": self.level,
            "confidence": self.confidence,
            "needs_review": self.needs_review,
            "candidates": [c.as_json() for c in self.candidates],
        }


def clean(text: str) -> str:
    """The spelling's key: simplified, width-folded, no spaces, brackets, 专业/方向 marks or
    directions; English in lower case with single spaces."""
    t = unicodedata.normalize("NFKC", text or "").strip()
    t = simplified(t)
    t = _BRACKETS.sub("", t)
    if t.isascii():
        t = t.lower().replace("&", " and ")
        t = _ENGLISH_NOISE.sub(" ", t)
        t = re.sub(r"[^a-z0-9+ -]", " ", t)
        return re.sub(r"\s+", " ", t).strip(" -")
    t = re.sub(r"\s+", "", t)
    t = _SEPARATOR.split(t, maxsplit=1)[0] if _SEPARATOR.search(t) else t
    t = _PREFIX.sub("", t)
    previous = None
    while previous != t:
        previous, t = t, _SUFFIX.sub("", t)
    return t


_UNRESTRICTED = re.compile(
    r"^(?:专业)?(?:不限|无要求|无限制|不限制|均可|皆可|无)(?:专业)?$|^(?:任意|所有|全部|各|各类)专业(?:均可)?$"
)


@lru_cache(maxsize=1 << 14)  # the same few wordings on every post
def is_unrestricted(text: str) -> bool:
    """Whether a 专业要求 says any major will do (专业不限, 不限专业, 无, 所有专业均可 …)."""
    t = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))
    return not t or bool(_UNRESTRICTED.match(simplified(t)))


def level_for_degree(degree: str | None) -> Level | None:
    """专科 graduates match the 专科 catalogues; 本科, 硕士 and 博士 the 本科 ones."""
    if degree in ("zhuanke", "专科"):
        return "专科"
    if degree in ("benke", "master", "doctor", "本科", "硕士", "博士"):
        return "本科"
    return None


@cache
def _aliases() -> dict[str, tuple[Entry, ...]]:
    """Spelling → the entries it means, the first name first (see the file's header)."""
    table: dict[str, tuple[Entry, ...]] = {}
    unknown: list[str] = []
    for raw in (DATA_DIR / "major_aliases.txt").read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        spelling, _, targets = line.partition("=")
        entries: list[Entry] = []
        for name in (n.strip() for n in targets.split("|") if n.strip()):
            found = _primary_per_level(name)
            if not found:
                unknown.append(name)
            entries += [e for e in found if e not in entries]
        key = clean(spelling)
        if key and entries:
            table[key] = tuple(entries)
    if unknown:
        raise ValueError(f"major_aliases.txt: not catalogue names: {sorted(set(unknown))[:10]}")
    return table


def _primary_per_level(name: str) -> list[Entry]:
    """The newest entry of this name on each side where it exists."""
    out: list[Entry] = []
    for level in LEVELS:
        found = [e for e in catalogue().named(name) if e.level == level]
        if found:
            out.append(found[0])
    return out


@cache
def _choices() -> tuple[list[str], list[tuple[Entry, ...]], list[bool]]:
    """Near-spelling targets: every catalogue name and every alias spelling."""
    names: dict[str, list[Entry]] = {}
    for e in catalogue().entries:
        names.setdefault(e.name, [])
        if all(x.level != e.level for x in names[e.name]):
            names[e.name].append(e)
    keys: list[str] = []
    targets: list[tuple[Entry, ...]] = []
    is_alias: list[bool] = []
    for name, entries in names.items():
        keys.append(name)
        targets.append(tuple(entries))
        is_alias.append(False)
    for spelling, meant in _aliases().items():
        keys.append(spelling)
        targets.append(meant)
        is_alias.append(True)
    return keys, targets, is_alias


def similarity(a: str, b: str) -> float:
    """0–100: edit similarity, or containment weighted by how much of the longer is covered."""
    score = fuzz.ratio(a, b)
    if a and b and (a in b or b in a):
        short, long_ = sorted((len(a), len(b)))
        score = max(score, 100 * (0.75 + 0.25 * short / long_))
    return score


def _near(a: str, b: str) -> float:
    """Similarity of two spellings, a homophone typo counting almost as the same character."""
    return max(similarity(a, b), sounds_alike(a, b))


def _scored(
    entries: tuple[Entry, ...], score: float, level: Level | None
) -> list[tuple[float, Entry]]:
    out = []
    for rank, e in enumerate(entries):
        s = score - 0.01 * rank  # the file's order breaks ties
        if level is not None and e.level != level:
            s *= OTHER_LEVEL_FACTOR
        out.append((s, e))
    return out


def _candidates(key: str, level: Level | None) -> tuple[list[tuple[float, Entry]], str]:
    exact = tuple(_primary_per_level(key))
    alias = _aliases().get(key)
    if level is None and alias and exact:
        # no level known: the alias table's first name answers (中文 is a 专科 name, but written
        # alone it means 汉语言文学); the exact name stays a candidate just below
        return _scored(alias, 100.0, None) + _scored(exact, 99.0, None), "alias"
    if exact:
        found = _scored(exact, 100.0, level)
        mine = [x for x in found if level is None or x[1].level == level]
        if mine:
            return found, "catalogue"
    if alias:
        return _scored(alias, 100 * ALIAS_CONFIDENCE, level) + (
            _scored(exact, 100.0, level) if exact else []
        ), "alias"
    keys, targets, is_alias = _choices()
    scored: list[tuple[float, Entry]] = _scored(exact, 100.0, level) if exact else []
    shortlist = {idx for _, _, idx in process.extract(key, keys, scorer=fuzz.WRatio, limit=30)}
    if not key.isascii():
        # same length, read alike: a homophone typo (会记学) the edit ratio may rank low
        shortlist |= {
            i for i, k in enumerate(keys) if len(k) == len(key) and sounds_alike(key, k) >= 85
        }
    for idx in shortlist:
        score = _near(key, keys[idx]) * (ALIAS_CONFIDENCE if is_alias[idx] else 1.0)
        scored += _scored(targets[idx], score, level)
    return scored, "near"


def _mapping(
    text: str, ranked: list[tuple[float, Entry]], source: str, level: Level | None
) -> MajorMapping:
    # one line per name: the best-scoring entry of each name, in order
    by_name: dict[str, tuple[float, Entry]] = {}
    for score, e in sorted(ranked, key=lambda x: (-x[0], x[1].is_class, x[1].key)):
        by_name.setdefault(e.name, (score, e))
    names = list(by_name.values())
    if not names or names[0][0] < 100 * MIN_CONFIDENCE:
        confidence = names[0][0] / 100 if names else 0.0
        return MajorMapping(text, None, None, None, None, None, round(confidence, 3), "none")
    best_score, best = names[0]
    runner_up = names[1][0] if len(names) > 1 else 0.0
    sure = source in ("catalogue", "alias", "correction") or best_score >= 100 * AUTO_ACCEPT
    if source == "near":
        sure = sure and best_score - runner_up >= MARGIN
    if level is None:
        # no level known and another name fits as well (计算机 is 计算机科学与技术 for a 本科
        # graduate, 计算机应用技术 for a 专科 one; 护理 is 护理学 or 职业本科 护理): an officer decides
        sure = sure and best_score - runner_up >= MARGIN
    candidates = tuple(Candidate(e.key, e.code, e.name, e.level) for _, e in names[:5])
    return MajorMapping(
        text,
        best.key,
        best.code,
        best.name,
        best.class_name,
        best.level,
        round(best_score / 100, 3),
        source,
        needs_review=not sure,
        candidates=candidates,
    )


def normalize(
    text: str, level: Level | None = None, corrections: Mapping[str, str] | None = None
) -> MajorMapping:
    key = clean(text)
    if not key:
        return MajorMapping(text, None, None, None, None, None, 0.0, "none")
    if corrections and key in corrections:
        entry = catalogue().by_code(corrections[key])
        if entry is not None:
            return _mapping(text, [(100.0, entry)], "correction", level)
    ranked, source = _candidates(key, level)
    return _mapping(text, ranked, source, level)
