"""How well majors as written are understood: a labelled CSV (text, expected names separated by
"|", group, level — may be empty — and where the spelling was seen) run through `normalize`."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field

from .catalogue import Level
from .normalize import MajorMapping, normalize

COLUMNS = ("text", "expected", "group", "level", "source")


@dataclass
class GroupResult:
    group: str
    total: int = 0
    right: int = 0
    #: Wrong top answers accepted without review: the errors that reach a graduate unseen.
    wrong_accepted: int = 0
    misses: list[tuple[str, str, str | None, bool]] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return self.right / self.total if self.total else 0.0


@dataclass
class Labelled:
    text: str
    expected: tuple[str, ...]
    group: str
    level: Level | None
    source: str


class LabelsInvalid(ValueError):
    """The labelled file is not in the expected shape."""


def read_labels(data: bytes) -> list[Labelled]:
    """The rows of a labelled CSV (UTF-8, with or without a BOM)."""
    text = data.decode("utf-8-sig")
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in ("text", "expected") if c not in (reader.fieldnames or [])]
    if missing:
        raise LabelsInvalid(f"缺少列：{'、'.join(missing)}（需要 {', '.join(COLUMNS)}）")
    rows = []
    for n, row in enumerate(reader, start=2):
        level = (row.get("level") or "").strip() or None
        if level not in (None, "本科", "专科"):
            raise LabelsInvalid(f"第 {n} 行：level 须为 本科、专科 或留空")
        expected = tuple(x.strip() for x in (row.get("expected") or "").split("|") if x.strip())
        rows.append(
            Labelled(
                text=row.get("text") or "",
                expected=expected,
                group=(row.get("group") or "").strip() or "其他",
                level=level,  # type: ignore[arg-type]
                source=(row.get("source") or "").strip(),
            )
        )
    return rows


def evaluate(rows: Iterable[Labelled]) -> list[GroupResult]:
    """Per group, then the whole set last (group "all")."""
    groups: dict[str, GroupResult] = {}
    total = GroupResult("all")
    for row in rows:
        m: MajorMapping = normalize(row.text, row.level)
        right = (m.name in row.expected) if row.expected else m.name is None
        for result in (groups.setdefault(row.group, GroupResult(row.group)), total):
            result.total += 1
            if right:
                result.right += 1
            else:
                result.misses.append((row.text, "|".join(row.expected), m.name, m.needs_review))
                if m.name is not None and not m.needs_review:
                    result.wrong_accepted += 1
    return [*sorted(groups.values(), key=lambda g: g.group), total]
