"""A graduate's profile of a past day, for the replay: before each save, the fields the matcher
reads that change are kept as they were (ProfileChange); the profile at a moment is today's
with, for each field, the value before its first change after that moment.

Only what the matcher reads and is not personal data is kept — degree, major, graduation year,
wishes, skills and certificates. A correction of a major's code by the review of spellings is a
correction, not a change of profile, and applies to past days too."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import datetime
from enum import Enum
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ..models import Graduate, ProfileChange

#: The fields kept, in the form the graduate row holds them.
KEPT = (
    "degree",
    "major_text",
    "major_code",
    "graduation_year",
    "wish_regions",
    "wish_work",
    "skills",
    "certificates",
    "wants_training",
    "wants_internship",
    "wants_business",
)


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, tuple):
        return list(value)
    return value


def remember(session: Session, graduate: Graduate, fields: Iterable[str]) -> None:
    """Call before `fields` of the graduate are set: keeps the kept ones as they are now. The
    major's code follows its text and the degree (mapped on flush), so it is kept with them."""
    fields = set(fields)
    if fields & {"major_text", "degree"}:
        fields.add("major_code")
    before = {f: _plain(getattr(graduate, f)) for f in KEPT if f in fields}
    if before and graduate.id is not None:
        session.add(ProfileChange(graduate_id=graduate.id, before=before))


def values_at(session: Session, ids: Iterable[int], at: datetime) -> dict[int, dict[str, Any]]:
    """For each graduate with a change after `at`: the kept fields' values at `at` (only those
    that have changed since; the others are as they are now)."""
    out: dict[int, dict[str, Any]] = defaultdict(dict)
    wanted = list(set(ids))
    for i in range(0, len(wanted), 500):
        for gid, before in session.execute(
            select(ProfileChange.graduate_id, ProfileChange.before)
            .where(ProfileChange.graduate_id.in_(wanted[i : i + 500]))
            .where(ProfileChange.changed_at > at)
            .order_by(ProfileChange.graduate_id, ProfileChange.changed_at, ProfileChange.id)
        ):
            for field, value in before.items():
                out[gid].setdefault(field, value)
    _pair_skills(session, out)
    return dict(out)


def _pair_skills(session: Session, out: dict[int, dict[str, Any]]) -> None:
    """Skills and certificates are read together: where only one of them changed, the other
    is as it is now."""
    half = [gid for gid, v in out.items() if ("skills" in v) != ("certificates" in v)]
    for i in range(0, len(half), 500):
        for gid, skills, certificates in session.execute(
            select(Graduate.id, Graduate.skills, Graduate.certificates).where(
                Graduate.id.in_(half[i : i + 500])
            )
        ):
            out[gid].setdefault("skills", skills)
            out[gid].setdefault("certificates", certificates)


def forget(session: Session, ids: Iterable[int]) -> None:
    """An anonymised archive keeps no past wishes or skills."""
    wanted = list(ids)
    if wanted:
        session.execute(delete(ProfileChange).where(ProfileChange.graduate_id.in_(wanted)))


def replacements(before: Mapping[str, Any]) -> dict[str, Any]:
    """The matcher profile's fields to replace, from the values of a past moment (`before`, as
    values_at gives them): skills and certificates are read as one text, as the loader reads
    them."""
    out: dict[str, Any] = {}
    for field in ("degree", "major_code", "major_text", "graduation_year", "wish_work"):
        if field in before:
            out[field] = before[field]
    if "wish_regions" in before:
        out["wish_regions"] = tuple(before["wish_regions"] or ())
    for field in ("wants_training", "wants_internship", "wants_business"):
        if field in before:
            out[field] = bool(before[field])
    if "skills" in before:
        text = " ".join(x for x in (before["skills"], before.get("certificates")) if x)
        out["skills"] = text or None
    return out
