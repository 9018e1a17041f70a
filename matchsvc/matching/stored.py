"""The stored lists (`recommendation_list`, a row per graduate): each graduate's top 20, recomputed nightly, for telling
graduates what is new since their last visit (pages and the API compute live).

The recompute splits into units — the provinces, by the first two digits of the home org's code
— so a job queue can run one unit per job: each unit replaces exactly its graduates' rows, and
the units together write what one national run writes."""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import ColumnElement, delete, insert, select, true
from sqlalchemy.orm import Session

from ..models import Graduate, Org
from ..models import Recommendation as StoredRecommendation
from . import live, loader
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
    unit (a province prefix), or of the whole country; returns the lines written."""
    index = live.position_index(session, policy.today)
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
    lines = 0
    for g, profile in enumerate(profiles):
        n = int((ids[g] >= 0).sum())  # the lists are -1 padded after their last line
        rows.append((profile.id, ids[g, :n].tolist(), [round(float(f), 4) for f in fits[g, :n]]))
        lines += n
    _write(session, rows, now)
    return lines


COLUMNS = ("graduate_id", "position_ids", "fits", "computed_at")


def _write(session: Session, rows: list[tuple[int, list[int], list[float]]], now: datetime) -> None:
    """One row per graduate: COPY on PostgreSQL (half a million rows nationally, where an
    executemany sends each row on its own), an ORM bulk insert elsewhere. Both in the session's
    transaction."""
    if session.get_bind().dialect.name == "postgresql":
        raw = session.connection().connection.driver_connection
        assert raw is not None
        with raw.cursor() as cursor:
            sql = f"COPY {StoredRecommendation.__tablename__} ({', '.join(COLUMNS)}) FROM STDIN"
            with cursor.copy(sql) as copy:
                for graduate_id, posts, fits in rows:
                    copy.write_row((graduate_id, json.dumps(posts), json.dumps(fits), now))
        return
    for i in range(0, len(rows), BATCH):
        session.execute(
            insert(StoredRecommendation),
            [dict(zip(COLUMNS, (*r, now), strict=True)) for r in rows[i : i + BATCH]],
        )
