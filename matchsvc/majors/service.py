"""Officers' side of major mapping: the review list of unsure mappings, and corrections.

An officer's correction of a spelling is remembered (`MajorCorrection`) and applied at once to
every graduate and position major writing it; later writes of that spelling use it too.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from .. import audit
from ..actors import Actor
from ..errors import DomainError, Forbidden
from ..jurisdiction import graduate_scope, org_column_in_region
from ..models import Employer, Graduate, MajorCorrection, Position, PositionMajor, Role
from .catalogue import Entry, catalogue
from .normalize import Candidate, MajorMapping, clean, normalize


@dataclass
class ReviewItem:
    spelling: str
    example: str
    graduates: int
    positions: int
    code: str | None
    name: str | None
    confidence: float
    #: What the spelling may mean, best first (the officer picks one, or names another).
    candidates: tuple[Candidate, ...] = ()


def review_queue(session: Session, actor: Actor, limit: int = 200) -> list[ReviewItem]:
    """Spellings mapped with low confidence (or not at all), most frequent first, within reach."""
    if actor.role not in (Role.OFFICER, Role.HQ):
        raise Forbidden("只有工会工作人员可以核对专业")
    low = or_(Graduate.major_code.is_(None), Graduate.major_needs_review)
    grads = session.execute(
        select(
            Graduate.major_key,
            func.min(Graduate.major_text),
            func.count(),
            func.min(Graduate.major_code),
            func.min(Graduate.major_confidence),
        )
        .where(low, graduate_scope(actor), Graduate.major_key.is_not(None))
        .group_by(Graduate.major_key)
    ).all()
    low_p = or_(PositionMajor.code.is_(None), PositionMajor.needs_review)
    poss = session.execute(
        select(
            PositionMajor.key,
            func.min(PositionMajor.text),
            func.count(),
            func.min(PositionMajor.code),
            func.min(PositionMajor.confidence),
        )
        .join(Position, Position.id == PositionMajor.position_id)
        .join(Employer, Employer.id == Position.employer_id)
        .where(low_p, org_column_in_region(actor, Employer.org_id), PositionMajor.key.is_not(None))
        .group_by(PositionMajor.key)
    ).all()
    items: dict[str, ReviewItem] = {}
    for rows, is_grad in ((grads, True), (poss, False)):
        for key, example, count, code, confidence in rows:
            spelling = str(key)
            item = items.setdefault(
                spelling, ReviewItem(spelling, example, 0, 0, code, None, confidence or 0.0)
            )
            if is_grad:
                item.graduates += count
            else:
                item.positions += count
    for item in items.values():
        entry = catalogue().by_code(item.code) if item.code else None
        item.name = entry.name if entry else None
        item.candidates = normalize(item.example).candidates
    ordered = sorted(items.values(), key=lambda i: (-(i.graduates + i.positions), i.spelling))
    return ordered[:limit]


def correct(session: Session, actor: Actor, spelling: str, code: str) -> int:
    """Remember that `spelling` means catalogue entry `code` and apply it; returns rows changed."""
    if actor.role not in (Role.OFFICER, Role.HQ):
        raise Forbidden("只有工会工作人员可以核对专业")
    key = clean(spelling)
    if not key:
        raise DomainError("专业写法不能为空", field="spelling")
    entry = find_entry(code)
    if entry is None:
        raise DomainError(f"专业目录中没有“{code}”（请填代码或目录中的专业名称）", field="code")
    existing = session.scalar(select(MajorCorrection).where(MajorCorrection.spelling == key))
    if existing is None:
        session.add(MajorCorrection(spelling=key, code=entry.key, created_by_id=actor.user_id))
    else:
        existing.code = entry.key
    changed = session.execute(
        update(Graduate)
        .where(Graduate.major_key == key)
        .values(major_code=entry.key, major_confidence=1.0, major_needs_review=False)
        .execution_options(synchronize_session=False)
    ).rowcount  # type: ignore[attr-defined]
    changed += session.execute(
        update(PositionMajor)
        .where(PositionMajor.key == key)
        .values(code=entry.key, confidence=1.0, needs_review=False)
        .execution_options(synchronize_session=False)
    ).rowcount  # type: ignore[attr-defined]
    session.execute(
        update(Position)
        .where(Position.id.in_(select(PositionMajor.position_id).where(PositionMajor.key == key)))
        .values(updated_at=func.now())
        .execution_options(synchronize_session=False)
    )
    audit.record(
        session,
        actor,
        "correct",
        "major_correction",
        details={"spelling": key, "code": entry.key, "rows": changed},
    )
    return changed


def find_entry(text: str) -> Entry | None:
    """A catalogue entry by its official code, its key, or its exact name (the newest edition;
    a name on both sides: 本科 first, as the review list shows both)."""
    text = (text or "").strip()
    entry = catalogue().by_code(text)
    if entry is not None:
        return entry
    named = catalogue().named(text)
    return named[0] if named else None


def describe(mappings: Iterable[MajorMapping]) -> list[dict[str, Any]]:
    return [m.as_json() for m in mappings]
