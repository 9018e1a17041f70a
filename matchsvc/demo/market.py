"""The demo's recent job market, told by a story that is not the matcher, so that 推荐效果 and
the replay measure something: over the last weeks a few hundred graduates each looked at their
page once (the matcher's list then is recorded as shown), then applied to the posts *they*
preferred — their wished city or province, a post whose title or majors share a word with their
major, better pay, and a good deal of personal taste (random) — and each employer chose among its
applicants by *its* criteria: degree, the exact major it named, and its own impression (random).
Nothing here reads the matcher's fit."""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from .. import clock
from ..actors import Actor
from ..matching import loader
from ..matching.engine.index import PositionIndex
from ..matching.engine.profiles import POSITION_KIND
from ..matching.engine.results import recommendations
from ..matching.engine.score import GraduateArrays
from ..matching.engine.search import top
from ..matching.service import make_policy
from ..models import (
    WAITING_STATES,
    Degree,
    Employer,
    Graduate,
    Position,
    PositionKind,
    Referral,
    ReferralState,
    Role,
    Surface,
)
from ..outcomes import impressions
from ..referrals.service import apply, record_step

#: How many graduates take part, and over how many days before today.
PARTICIPANTS = 500
WINDOW_DAYS = 28
KINDS = (PositionKind.JOB, PositionKind.PUBLIC_WELFARE)


def _shares_word(major: str, texts: list[str]) -> bool:
    """Whether the graduate's major and the post share a two-character word (how a person
    reads a posting, not the catalogue)."""
    pairs = {major[i : i + 2] for i in range(len(major) - 1)}
    return any(pair in text for pair in pairs for text in texts)


def _taste(rng: random.Random, g: Graduate, p: Position) -> float:
    wished = set(g.wish_regions or [])
    place = p.work_region_code
    score = rng.gauss(0, 0.8)
    if place in wished or place[:4] + "00" in wished:
        score += 1.2
    elif any(place[:2] == w[:2] for w in wished) or place[:2] == g.home_org.code[:2]:
        score += 0.6
    if _shares_word(g.major_text, [p.title, *(m.text for m in p.majors)]):
        score += 0.9
    score += ((p.pay_min or 3000) - 3000) / 3000
    return score


def _employer_view(rng: random.Random, g: Graduate, p: Position) -> float:
    named = {m.text for m in p.majors}
    return Degree(g.degree).rank + (0.8 if g.major_text in named else 0.0) + rng.gauss(0, 0.7)


def job_market(session: Session, cli: Actor, rng: random.Random, today: date) -> int:
    """Looks, applications and hires of the last `WINDOW_DAYS` days; returns the hires."""
    today = min(today, clock.today())
    start = today - timedelta(days=WINDOW_DAYS)
    posts = session.scalars(
        select(Position)
        .join(Employer, Employer.id == Position.employer_id)
        .where(loader.open_position_filter(today), Position.kind.in_(KINDS))
        .options(selectinload(Position.majors))
        .order_by(Position.id)
    ).all()
    busy = set(session.scalars(select(Referral.graduate_id)))
    people = [
        g
        for g in session.scalars(
            select(Graduate).where(loader.looking_for_work()).order_by(Graduate.id)
        )
        if g.id not in busy and g.is_looking
    ]
    people = rng.sample(people, k=min(PARTICIPANTS, len(people)))
    looks: dict[date, list[Graduate]] = defaultdict(list)
    for g in people:
        looks[start + timedelta(days=rng.randrange(WINDOW_DAYS - 6))].append(g)
    applications: list[tuple[date, Referral]] = []
    for day in sorted(looks):
        _show(session, day, looks[day])
        open_then = [p for p in posts if p.published_on < day]
        for g in looks[day]:
            mine = sorted(open_then, key=lambda p: -_taste(rng, g, p))[: rng.choice([1, 2, 2, 3])]
            me = Actor(role=Role.GRADUATE, label=g.name, graduate_id=g.id)
            for p in mine:
                on = day + timedelta(days=rng.randrange(3))
                applications.append((on, apply(session, me, p.id, on)))
    return _decide(session, cli, rng, applications, today)


def _show(session: Session, day: date, graduates: list[Graduate]) -> None:
    """Each graduate's page that day: the matcher's list then, recorded as shown."""
    policy = make_policy(session, {}, day)
    index = PositionIndex(loader.load_positions(session, day, as_of=True))
    profiles = loader.graduate_profiles(session, Graduate.id.in_([g.id for g in graduates]))
    grads = GraduateArrays.build(profiles, policy)
    for i, profile in enumerate(profiles):
        for kind, engine_kind in POSITION_KIND.items():
            if kind == "internship":
                continue
            ranked = top(index, grads, i, 10, kinds=[engine_kind], exclude=profile.declined)
            items = recommendations(index, grads, i, ranked)
            impressions.shown_to(session, None, Surface.GRADUATE, profile.id, kind, items, day)


def _decide(
    session: Session,
    cli: Actor,
    rng: random.Random,
    applications: list[tuple[date, Referral]],
    today: date,
) -> int:
    """Each employer, a few days after the applications, hires the applicants it likes best
    (up to its seats, not always) and turns down some others; the rest still wait."""
    by_post: dict[int, list[tuple[date, Referral]]] = defaultdict(list)
    for on, referral in applications:
        by_post[referral.position_id].append((on, referral))
    decisions: list[tuple[date, Referral, bool]] = []
    for pid in sorted(by_post):
        post = session.get_one(Position, pid)
        pool = by_post[pid]
        ranked = sorted(
            pool,
            key=lambda x: -_employer_view(rng, session.get_one(Graduate, x[1].graduate_id), post),
        )
        seats = min(post.headcount, rng.randint(2, 6))
        for n, (on, referral) in enumerate(ranked):
            day = on + timedelta(days=rng.randint(3, 9))
            if day >= today:
                continue
            if n < seats and rng.random() < 0.8:
                decisions.append((day, referral, True))
            elif rng.random() < 0.4:
                decisions.append((day, referral, False))
    hires = 0
    for day, referral, hire in sorted(decisions, key=lambda d: (d[0], d[1].id)):
        session.refresh(referral)
        if referral.state not in WAITING_STATES:  # hired elsewhere meanwhile: closed
            continue
        if hire:
            record_step(
                session, cli, referral, ReferralState.INTERVIEW, day - timedelta(days=2),
                interview_at=datetime.combine(day - timedelta(days=1), time(9, 30), clock.CHINA),
                place="本单位人力资源部",
            )  # fmt: skip
            record_step(session, cli, referral, ReferralState.HIRED, day)
            hires += 1
        else:
            record_step(
                session, cli, referral, ReferralState.REJECTED, day, "岗位要求与本人条件不符"
            )
    return hires
