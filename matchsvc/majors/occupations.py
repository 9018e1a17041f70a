"""The 专业类 a post fits when it names no major, read from its title and description through an
occupation lexicon (`data/occupations.tsv`): "Java开发工程师" → 计算机类, "护理员" → 护理学类 / 护理类.

The longest keyword found decides (机械设计师 is 机械, not 设计); several lines found with keywords
of that length all count. A keyword in the title gives a strong inference, one only in the
description a weak one; the matcher scores a strong inference up to a 专业类 match and a weak one
less (see matching/engine/policy.py).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache

from ..paths import DATA_DIR
from .catalogue import LEVELS, Entry, Level, catalogue

#: How sure an inference is: one line in the title, several tied in the title, the description.
TITLE = 1.0
TITLE_TIED = 0.8
DESCRIPTION = 0.5


@dataclass(frozen=True)
class Occupation:
    keywords: tuple[str, ...]
    targets: dict[Level, tuple[Entry, ...]]
    pattern: re.Pattern[str]


@dataclass(frozen=True)
class Inference:
    """What a post seems to ask for, per side of the catalogues, and how sure that is."""

    targets: dict[Level, tuple[Entry, ...]]
    strength: float
    keywords: tuple[str, ...]

    @property
    def class_names(self) -> list[str]:
        """The inferred 专业类 or majors, as the reason shows them (本科 side first)."""
        names: list[str] = []
        for level in LEVELS:
            for e in self.targets.get(level, ()):
                if e.name not in names:
                    names.append(e.name)
        return names


def _entry(name: str, level: Level) -> Entry:
    found = [e for e in catalogue().named(name) if e.level == level]
    if not found:
        raise ValueError(f"occupations.tsv: {name!r} is no {level} catalogue name")
    return found[0]


@cache
def occupations() -> tuple[Occupation, ...]:
    out = []
    with (DATA_DIR / "occupations.tsv").open(encoding="utf-8") as fh:
        for row in csv.DictReader((x for x in fh if not x.startswith("#")), delimiter="\t"):
            keywords = tuple(k.strip().lower() for k in row["keywords"].split("|") if k.strip())
            parts = [
                rf"(?<![a-z0-9]){re.escape(k)}(?![a-z0-9])" if k.isascii() else re.escape(k)
                for k in sorted(keywords, key=len, reverse=True)
            ]
            columns: tuple[tuple[Level, str], ...] = (("本科", "benke"), ("专科", "zhuanke"))
            targets = {
                level: tuple(_entry(n.strip(), level) for n in row[col].split("|") if n.strip())
                for level, col in columns
            }
            out.append(Occupation(keywords, targets, re.compile("|".join(parts))))
    return tuple(out)


def _hits(text: str) -> list[tuple[int, Occupation, str]]:
    found = []
    for occupation in occupations():
        matches = occupation.pattern.findall(text)
        if matches:
            longest = max(matches, key=len)
            found.append((len(longest), occupation, longest))
    return found


def infer(title: str, description: str | None = None) -> Inference | None:
    """The 专业类 the post fits, or None when its words name no occupation."""
    for text, alone, tied in (
        ((title or "").lower(), TITLE, TITLE_TIED),
        ((description or "").lower(), DESCRIPTION, DESCRIPTION),
    ):
        hits = _hits(text)
        if not hits:
            continue
        best = max(length for length, _, _ in hits)
        chosen = [(o, k) for length, o, k in hits if length == best]
        targets: dict[Level, list[Entry]] = {level: [] for level in LEVELS}
        for occupation, _ in chosen:
            for level in LEVELS:
                for e in occupation.targets[level]:
                    if e not in targets[level]:
                        targets[level].append(e)
        return Inference(
            targets={k: tuple(v) for k, v in targets.items()},
            strength=alone if len(chosen) == 1 else tied,
            keywords=tuple(k for _, k in chosen),
        )
    return None


@dataclass(frozen=True)
class TitleLabel:
    title: str
    description: str
    expected: tuple[str, ...]  # 专业类 names, either side
    source: str


def read_titles(text: str) -> list[TitleLabel]:
    """A labelled CSV of post titles: title, description, expected (| separated), source."""
    reader = csv.DictReader(text.splitlines())
    return [
        TitleLabel(
            row["title"],
            row.get("description") or "",
            tuple(x.strip() for x in row["expected"].split("|") if x.strip()),
            row.get("source") or "",
        )
        for row in reader
    ]


def inferred_classes(inference: Inference | None) -> set[str]:
    """The 专业类 names an inference covers: its classes, and the classes of its majors."""
    if inference is None:
        return set()
    return {
        e.name if e.is_class else e.class_name
        for entries in inference.targets.values()
        for e in entries
    }


def title_accuracy(labels: list[TitleLabel]) -> tuple[float, list[TitleLabel]]:
    """The share of titles whose labelled 专业类 is inferred, and the ones that are not."""
    misses = [
        label
        for label in labels
        if not inferred_classes(infer(label.title, label.description)) & set(label.expected)
    ]
    return (1 - len(misses) / len(labels)) if labels else 0.0, misses


def labelled_titles() -> list[TitleLabel]:
    """The project's labelled titles (data/post_titles.csv)."""
    return read_titles((DATA_DIR / "post_titles.csv").read_text(encoding="utf-8"))
