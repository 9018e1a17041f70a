"""Mapping majors when they are written: a session hook and the `Normalizer` bulk paths use.

Every graduate's major and every major a position requires is mapped when it is written — by the
web, an import or the demo — by a flush hook (`install`), so no path stores one unmapped. Bulk
inserts (imports) call `Normalizer.graduate_fields` themselves.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session

from ..models import Graduate, MajorCorrection, Position, PositionMajor
from .catalogue import LEVELS, Level, catalogue
from .normalize import MajorMapping, clean, is_unrestricted, level_for_degree, normalize
from .occupations import infer


def position_levels(min_degree: Any) -> tuple[Level, Level]:
    """The position's own catalogue first: 本科 when it asks for 本科 or more, else 专科."""
    value = getattr(min_degree, "value", min_degree)
    return ("本科", "专科") if value in ("benke", "master", "doctor") else ("专科", "本科")


class Normalizer:
    """Normalisation with the officers' corrections, cached per spelling and level."""

    def __init__(self, session: Session) -> None:
        self.corrections = dict(
            session.execute(select(MajorCorrection.spelling, MajorCorrection.code)).all()
        )
        self._cache: dict[tuple[str, str | None], MajorMapping] = {}

    def map(self, text: str, level: Level | None) -> MajorMapping:
        key = (text, level)
        if key not in self._cache:
            self._cache[key] = normalize(text, level, self.corrections)
        return self._cache[key]

    def graduate_fields(self, text: str, degree: Any) -> dict[str, Any]:
        m = self.map(text, level_for_degree(getattr(degree, "value", degree)))
        return {
            "major_code": m.key,
            "major_key": clean(text)[:100],
            "major_confidence": m.confidence,
            "major_needs_review": m.needs_review,
        }

    def position_major_fields(self, text: str, min_degree: Any) -> dict[str, Any]:
        if is_unrestricted(text):  # 专业不限: no requirement, nothing to review
            return {
                "code": None,
                "code_alt": None,
                "key": None,
                "confidence": None,
                "needs_review": False,
            }
        own, other = position_levels(min_degree)
        m = self.map(text, own)
        return {
            "code": m.key,
            "code_alt": self.map(text, other).key,
            "key": clean(text)[:100],
            "confidence": m.confidence,
            "needs_review": m.needs_review,
        }


def _changed(obj: Any, *attrs: str) -> bool:
    state = inspect(obj)
    return any(state.attrs[a].history.has_changes() for a in attrs)


def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
    normalizer: Normalizer | None = None
    done: set[int] = set()
    pending = [*session.new, *session.dirty]
    for obj in pending:
        if isinstance(obj, Graduate) and (
            obj in session.new or _changed(obj, "major_text", "degree")
        ):
            normalizer = normalizer or Normalizer(session)
            for k, v in normalizer.graduate_fields(obj.major_text, obj.degree).items():
                setattr(obj, k, v)
        elif isinstance(obj, Position):
            if obj in session.new or _changed(obj, "title", "description", "majors"):
                obj.inferred = inference_for(
                    obj.title, obj.description, [m.text for m in obj.majors]
                )
            for pm in obj.majors:
                if (
                    obj in session.new
                    or pm in session.new
                    or _changed(obj, "min_degree")
                    or _changed(pm, "text")
                ):
                    normalizer = normalizer or Normalizer(session)
                    for k, v in normalizer.position_major_fields(pm.text, obj.min_degree).items():
                        setattr(pm, k, v)
                done.add(id(pm))
    for obj in pending:
        if (
            isinstance(obj, PositionMajor)
            and id(obj) not in done
            and (obj in session.new or _changed(obj, "text"))
        ):
            position = session.get(Position, obj.position_id) if obj.position_id else None
            normalizer = normalizer or Normalizer(session)
            min_degree = position.min_degree if position is not None else None
            for k, v in normalizer.position_major_fields(obj.text, min_degree).items():
                setattr(obj, k, v)


def inference_for(title: str, description: str | None, majors: list[str]) -> dict[str, Any] | None:
    """What a post naming no major points to, as stored on it (None when it names one)."""
    if any(not is_unrestricted(m) for m in majors):
        return None
    found = infer(title, description)
    if found is None:
        return None
    return {
        **{level: [e.key for e in entries] for level, entries in found.targets.items()},
        "strength": found.strength,
        "keywords": list(found.keywords),
    }


def inferred_names(inferred: dict[str, Any] | None) -> list[str]:
    """The 专业类 (or majors) a stored inference names, 本科 side first, each name once."""
    if not inferred:
        return []
    found = (catalogue().by_code(k) for level in LEVELS for k in inferred.get(level, ()))
    return list(dict.fromkeys(e.name for e in found if e is not None))


_installed = False


def install() -> None:
    """Map majors on every flush of every session (idempotent)."""
    global _installed
    if not _installed:
        event.listen(Session, "before_flush", _before_flush)
        _installed = True
