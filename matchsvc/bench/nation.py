"""A national job market in the database for `matchsvc bench e2e`: the matcher benchmark's
synthetic graduates and posts (bench/synthetic.py) in every province — each province's posts by
employers homed at its union, graduates homed at their origin city's union (or their
province's) — every graduate looking, every post open, nothing hired yet. Written with bulk
inserts in chunks, so half a million graduates never sit in memory at once."""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import clock
from ..majors.mapping import position_levels
from ..matching.engine.profiles import GraduateProfile, PositionProfile
from ..models import (
    Degree,
    Employer,
    EmployerKind,
    EmployerStatus,
    EmploymentStatus,
    FamilyKind,
    Graduate,
    Org,
    Position,
    PositionKind,
    PositionMajor,
    PositionStatus,
    Sex,
)
from .synthetic import Generator

CHUNK = 50_000
BATCH = 10_000


def _insert(session: Session, model: Any, rows: list[dict[str, Any]]) -> None:
    """Rows of one shape through Core's executemany (multi-row VALUES on PostgreSQL), not the
    ORM's bulk path, which here runs a statement per few rows."""
    table = model.__table__
    for i in range(0, len(rows), BATCH):
        session.execute(table.insert(), rows[i : i + BATCH])


def employer_rows(ids: Iterable[int], org_id: int, now: datetime) -> list[dict[str, Any]]:
    return [
        {"id": e, "name": f"单位{e}", "uscc": f"{e:018d}", "kind": EmployerKind.OTHER,
         "org_id": org_id, "status": EmployerStatus.APPROVED, "created_at": now}
        for e in ids
    ]  # fmt: skip


def position_rows(
    posts: list[PositionProfile], published: dict[int, date], now: datetime
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The posts' rows (open 90 days from publication) and their majors' rows."""
    rows = [
        {"id": p.id, "employer_id": p.employer_id, "kind": PositionKind(p.kind),
         "title": f"{p.title}（{p.id}号）", "description": p.description,
         "work_region_code": p.region, "headcount": p.headcount,
         "min_degree": Degree(p.min_degree) if p.min_degree else None,
         "published_on": published[p.id], "closes_on": published[p.id] + timedelta(days=90),
         "status": PositionStatus.OPEN, "created_at": now}
        for p in posts
    ]  # fmt: skip
    majors = []
    for p in posts:
        own, _ = position_levels(p.min_degree)
        benke, zhuanke = p.major_codes
        for b, z in zip(benke, zhuanke, strict=False):
            code, alt = (b, z) if own == "本科" else (z, b)
            majors.append({"position_id": p.id, "text": code, "code": code, "code_alt": alt})
    return rows, majors


def graduate_rows(
    people: list[GraduateProfile],
    orgs: dict[str, int],
    fallback: dict[str, int],
    rng: random.Random,
    now: datetime,
) -> list[dict[str, Any]]:
    """The graduates' rows, homed at their origin's union (else `fallback` by province prefix),
    registered 200 days ago, looking for work; no personal data beyond placeholders."""
    registered = clock.today() - timedelta(days=200)
    rows = []
    for g in people:
        province = fallback[(g.origin_region or "")[:2]]
        rows.append(
            {
                "id": g.id, "name": "毕业生", "name_pinyin": f"b{g.id}", "name_initials": "b",
                "id_number_enc": "x", "id_number_hash": f"{g.id:064d}",
                "id_last4_hash": f"{g.id:064d}", "sex": rng.choice([Sex.FEMALE, Sex.MALE]),
                "birth_year": 2002, "home_org_id": orgs.get(g.origin_region or "", province),
                "school_name": "大学", "school_org_id": orgs.get(g.school_region or "", province),
                "major_text": g.major_code or "", "major_code": g.major_code,
                "degree": Degree(g.degree), "graduation_year": g.graduation_year,
                "family_kind": FamilyKind.WORKER, "wish_regions": list(g.wish_regions),
                "wish_work": g.wish_work, "skills": g.skills,
                "wants_training": g.wants_training, "wants_internship": g.wants_internship,
                "wants_business": False, "registered_on": registered,
                "status": EmploymentStatus.UNEMPLOYED, "status_since": registered,
                "created_at": now, "updated_at": now,
            }
        )  # fmt: skip
    return rows


def build(session: Session, graduates: int, positions: int, seed: int = 2012) -> None:
    """Write the market (the orgs must be seeded); commits as it goes, chunk by chunk."""
    rng = random.Random(seed)
    gen = Generator(seed)
    orgs = dict(session.execute(select(Org.code, Org.id)).all())
    fallback = {p: orgs[f"{p}0000"] for p in gen.provinces}
    today, now = clock.today(), datetime.now(UTC)
    employers = 0
    share, extra = divmod(positions, len(gen.provinces))
    first = 1
    for n, province in enumerate(gen.provinces):
        count = share + (1 if n < extra else 0)
        if count == 0:
            continue
        posts = gen.positions(count, province=province, start=first)
        first += count
        own = max(p.employer_id for p in posts)
        posts = [replace(p, employer_id=employers + p.employer_id) for p in posts]
        _insert(session, Employer, employer_rows(range(employers + 1, employers + own + 1),
                                                 fallback[province], now))  # fmt: skip
        employers += own
        published = {p.id: today - timedelta(days=rng.randint(1, 60)) for p in posts}
        rows, majors = position_rows(posts, published, now)
        _insert(session, Position, rows)
        _insert(session, PositionMajor, majors)
        session.commit()
    for start in range(0, graduates, CHUNK):
        people = [
            replace(g, id=start + g.id)
            for g in gen.graduates(min(CHUNK, graduates - start), employers=max(1, employers))
        ]
        _insert(session, Graduate, graduate_rows(people, orgs, fallback, rng, now))
        session.commit()
