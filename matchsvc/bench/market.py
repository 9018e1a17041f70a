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
from ..models import (
    Employer,
    Graduate,
    Hire,
    HireSource,
    Org,
    Position,
    PositionMajor,
    Referral,
    ReferralSource,
    ReferralState,
    ReferralStep,
    ServiceKind,
    ServiceRecord,
)
from .nation import employer_rows, graduate_rows, position_rows
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
    _insert(session, Employer, employer_rows(range(1, employers + 1), province_org, now))
    published = {p.id: today - timedelta(days=rng.randint(20, 120)) for p in posts}
    rows, majors = position_rows(posts, published, now)
    _insert(session, Position, rows)
    _insert(session, PositionMajor, majors)
    rows = graduate_rows(people, orgs, {PROVINCE: province_org}, rng, now)
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
