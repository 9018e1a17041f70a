"""The stored lists (`recommendation`): each graduate's top 20, recomputed nightly, for telling
graduates what is new since their last visit (pages and the API compute live).

The recompute splits into units — the provinces, by the first two digits of the home org's code
— so a job queue can run one unit per job: each unit replaces exactly its graduates' rows, and
the units together write what one national run writes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, delete, insert, select, true
from sqlalchemy.orm import Session

from ..models import Graduate, Org
from ..models import Recommendation as StoredRecommendation
from . import loader
from .engine.policy import DEFAULT_LIMIT, Policy
from .engine.recompute import top_all
from .engine.score import GraduateArrays

#: How many rows one INSERT carries.
BATCH = 5000


def units(session: Session) -> list[str]:
    """The units of the recompute: the province prefixes of the orgs graduates are homed at."""
    codes = session.scalars(
        select(Org.code).where(Org.id.in_(select(Graduate.home_org_id).distinct()))
    ).all()
    return sorted({code[:2] for code in codes})


def _in_unit(unit: str | None) -> ColumnElement[bool]:
    if unit is None:
        return true()
    return Graduate.home_org_id.in_(select(Org.id).where(Org.code.startswith(unit)))


def store_recommendations(
    session: Session, policy: Policy, now: datetime, unit: str | None = None
) -> int:
    """Replace the stored lists with a fresh top 20 for every graduate looking for work — of one
    unit (a province prefix), or of the whole country; returns the rows written."""
    index = loader.position_index(session, policy.today)
    profiles = loader.graduate_profiles(session, loader.looking_for_work() & _in_unit(unit))
    grads = GraduateArrays.build(profiles, policy)
    ids, fits = top_all(index, grads, DEFAULT_LIMIT, workers=1)
    stale = delete(StoredRecommendation)
    if unit is not None:
        stale = stale.where(
            StoredRecommendation.graduate_id.in_(select(Graduate.id).where(_in_unit(unit)))
        )
    session.execute(stale)
    rows = []
    for g, profile in enumerate(profiles):
        for rank in range(ids.shape[1]):
            if ids[g, rank] < 0:
                break
            rows.append(
                {
                    "graduate_id": profile.id,
                    "position_id": int(ids[g, rank]),
                    "rank": rank + 1,
                    "fit": float(fits[g, rank]),
                    "rules": [],
                    "computed_at": now,
                }
            )
    for i in range(0, len(rows), BATCH):
        session.execute(insert(StoredRecommendation), rows[i : i + BATCH])
    return len(rows)
