"""A province's job market for `matchsvc bench replay --graduates N`: the matcher benchmark's
synthetic graduates and posts (bench/synthetic.py) written to a database, and hires made by the
graduates' own taste — a post in a wished city or the home province, sharing the graduate's major
or 专业类 by code, with much noise — one hire for every tenth graduate, each on a day after the
post was published and recorded as the service records it (referral 录用, service, hire). Nothing
here reads the matcher's fit, and nothing is recorded as shown: the replay is measured alone."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import clock
from ..majors.mapping import position_levels
from ..models import (
    Degree,
    Employer,
    EmployerKind,
    EmployerStatus,
    EmploymentStatus,
    FamilyKind,
    Graduate,
    Hire,
    HireSource,
    Org,
    Position,
    PositionKind,
    PositionMajor,
    PositionStatus,
    Referral,
    ReferralSource,
    ReferralState,
    ReferralStep,
    ServiceKind,
    ServiceRecord,
    Sex,
)
from .stats import _insert
from .synthetic import Generator

PROVINCE = "44"


def _class(code: str | None) -> str:
    return (code or "")[:4]


def build(session: Session, graduates: int, seed: int = 2012) -> int:
    """Write the market; returns the hires made."""
    rng = random.Random(seed)
    gen = Generator(seed)
    orgs = dict(
        session.execute(select(Org.code, Org.id).where(Org.code.startswith(PROVINCE))).all()
    )
    province_org = orgs[f"{PROVINCE}0000"]
    today = clock.today()
    now = datetime.now(UTC)
    people = gen.graduates(graduates, province=PROVINCE)
    posts = [p for p in gen.positions(graduates // 10, province=PROVINCE) if p.kind == "job"]
    employers = max(p.employer_id for p in posts)
    _insert(
        session,
        Employer,
        [
            {"id": e, "name": f"单位{e}", "uscc": f"{e:018d}", "kind": EmployerKind.OTHER,
             "org_id": province_org, "status": EmployerStatus.APPROVED, "created_at": now}
            for e in range(1, employers + 1)
        ],
    )  # fmt: skip
    published = {p.id: today - timedelta(days=rng.randint(20, 120)) for p in posts}
    _insert(
        session,
        Position,
        [
            {"id": p.id, "employer_id": p.employer_id, "kind": PositionKind.JOB, "title": f"{p.title}（{p.id}号）",
             "description": p.description, "work_region_code": p.region, "headcount": p.headcount,
             "min_degree": Degree(p.min_degree) if p.min_degree else None,
             "published_on": published[p.id], "closes_on": published[p.id] + timedelta(days=90),
             "status": PositionStatus.OPEN, "created_at": now}
            for p in posts
        ],
    )  # fmt: skip
    majors = []
    for p in posts:
        own, _ = position_levels(p.min_degree)
        benke, zhuanke = p.major_codes
        for b, z in zip(benke, zhuanke, strict=False):
            code, alt = (b, z) if own == "本科" else (z, b)
            majors.append({"position_id": p.id, "text": code, "code": code, "code_alt": alt})
    _insert(session, PositionMajor, majors)
    rows = []
    for g in people:
        school = orgs.get(g.school_region, province_org)
        rows.append(
            {
                "id": g.id, "name": "毕业生", "name_pinyin": f"b{g.id}", "name_initials": "b",
                "id_number_enc": "x", "id_number_hash": f"{g.id:064d}",
                "id_last4_hash": f"{g.id:064d}", "sex": rng.choice([Sex.FEMALE, Sex.MALE]),
                "birth_year": 2002, "home_org_id": orgs.get(g.origin_region or "", province_org),
                "school_name": "大学", "school_org_id": school, "major_text": g.major_code or "",
                "major_code": g.major_code, "degree": Degree(g.degree),
                "graduation_year": g.graduation_year, "family_kind": FamilyKind.WORKER,
                "wish_regions": list(g.wish_regions), "wish_work": g.wish_work,
                "skills": g.skills, "wants_training": g.wants_training,
                "wants_internship": g.wants_internship, "wants_business": False,
                "registered_on": today - timedelta(days=200),
                "status": EmploymentStatus.UNEMPLOYED, "status_since": today - timedelta(days=200),
                "created_at": now, "updated_at": now,
            }
        )  # fmt: skip
    _insert(session, Graduate, rows)
    return _hires(session, rng, people, posts, published, orgs, province_org, now)


def _hires(
    session: Session,
    rng: random.Random,
    people: list[Any],
    posts: list[Any],
    published: dict[int, Any],
    orgs: dict[str, int],
    province_org: int,
    now: datetime,
) -> int:
    today = clock.today()
    seats = {p.id: p.headcount for p in posts}
    by_city: dict[str, list[Any]] = {}
    for p in posts:
        by_city.setdefault(p.region, []).append(p)
    referrals: list[dict[str, Any]] = []
    steps: list[dict[str, Any]] = []
    services: list[dict[str, Any]] = []
    hires: list[dict[str, Any]] = []
    for g in rng.sample(people, k=len(people) // 10):
        near = [p for city in g.wish_regions or (g.origin_region,) for p in by_city.get(city, [])]
        pool = (near or posts) if rng.random() < 0.7 else posts
        pool = [p for p in rng.sample(pool, k=min(40, len(pool))) if seats[p.id] > 0]
        if not pool:
            continue

        def taste(p: Any, g: Any = g) -> float:
            own = p.major_codes[0] + p.major_codes[1]
            same = g.major_code in own
            near_class = any(_class(c) == _class(g.major_code) for c in own)
            return 1.2 * same + 0.6 * near_class + 0.4 * (not own) + rng.gauss(0, 0.9)

        post = max(pool, key=taste)
        seats[post.id] -= 1
        day = published[post.id] + timedelta(days=rng.randint(2, 18))
        day = min(day, today - timedelta(days=1))
        home = orgs.get(g.origin_region or "", province_org)
        n = len(referrals) + 1
        referrals.append(
            {"id": n, "graduate_id": g.id, "position_id": post.id, "org_id": home,
             "source": ReferralSource.APPLICATION, "state": ReferralState.HIRED,
             "created_at": now, "chase_count": 0}
        )  # fmt: skip
        steps.append({"referral_id": n, "state": ReferralState.REFERRED, "on_date": day})
        steps.append({"referral_id": n, "state": ReferralState.HIRED, "on_date": day})
        services.append(
            {"id": n, "graduate_id": g.id, "kind": ServiceKind.EMPLOYED, "service_date": day,
             "org_id": home, "created_at": now}
        )  # fmt: skip
        hires.append(
            {"id": n, "graduate_id": g.id, "source": HireSource.APPLICATION, "hired_on": day,
             "position_id": post.id, "service_record_id": n, "created_at": now}
        )  # fmt: skip
    _insert(session, Referral, referrals)
    _insert(session, ReferralStep, steps)
    _insert(session, ServiceRecord, services)
    _insert(session, Hire, hires)
    return len(hires)
