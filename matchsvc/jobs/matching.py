"""The nightly full recompute of every unemployed graduate's recommendation list."""

from __future__ import annotations

import os
from datetime import datetime

from sqlalchemy import delete, insert
from sqlalchemy.orm import Session

from matchsvc.config import public_welfare_settings
from matchsvc.matching import loader
from matchsvc.matching.policy import DEFAULT_LIMIT
from matchsvc.matching.recompute import top_all
from matchsvc.matching.score import GraduateArrays
from matchsvc.matching.service import make_policy
from matchsvc.models import EmploymentStatus, Graduate, Recommendation


def recompute_recommendations(session: Session, now: datetime) -> int:
    """Replace the stored lists (`recommendation`) with a fresh top 20 for every unemployed
    graduate; returns the rows written. Pages and the API compute live; the stored lists are for
    telling graduates what is new since their last visit."""
    today = now.date()
    policy = make_policy(session, public_welfare_settings(dict(os.environ)), today)
    index = loader.position_index(session, today)
    profiles = loader.graduate_profiles(session, Graduate.status == EmploymentStatus.UNEMPLOYED)
    G = GraduateArrays.build(profiles, policy)
    ids, fits = top_all(index, G, DEFAULT_LIMIT, workers=1)
    session.execute(delete(Recommendation))
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
    for i in range(0, len(rows), 5000):
        session.execute(insert(Recommendation), rows[i : i + 5000])
    return len(rows)
