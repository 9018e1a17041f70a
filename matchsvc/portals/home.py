"""The graduate's page: recommendations by kind or the plain list, which are new (marks of what
was seen), personalisation on or off, and the wishes the graduate edits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import areacodes, audit
from ..actors import Actor
from ..graduates import profile_history
from ..matching import loader
from ..matching.engine.policy import Policy
from ..matching.engine.profiles import (
    POSITION_KIND,
    RECOMMENDATION_LABELS,
    PositionProfile,
)
from ..matching.engine.results import Recommendation
from ..matching.service import declined_positions, recommend, recommendation_kinds
from ..models import (
    Employer,
    Graduate,
    GraduateRequest,
    Interest,
    Position,
    Referral,
    RequestKind,
    User,
)
from ..validators import parse_region_code
from .graduate import own_graduate


def mark_seen(user: User, position_ids: list[int]) -> set[int]:
    """The recommended positions not shown before; remembers these as seen."""
    new = set(position_ids) - set(user.seen_positions or [])
    user.seen_positions = sorted(set(position_ids) | set(user.seen_positions or []))[-500:]
    return new


@dataclass
class GraduateHome:
    """What the graduate's page shows: recommendations by kind (or the plain list), which of them
    are new, and their interest, referrals and requests."""

    graduate: Graduate
    sections: list[tuple[str, str, list[Recommendation]]]
    plain: list[PositionProfile]
    new: set[int]
    interests: dict[int, Interest]
    referrals: list[Any]
    requests: list[GraduateRequest]

    @property
    def training_asked(self) -> dict[int, str]:
        """The training offers the graduate asked to join, in words: waiting for the officer,
        or what the officer decided."""
        asked: dict[int, str] = {}
        for r in self.requests:
            if r.kind == RequestKind.TRAINING and r.offer_id is not None:
                done = r.resolved_at is not None
                asked[r.offer_id] = f"报名已处理：{r.outcome}" if done else "已报名（待确认）"
        return asked


def graduate_home(session: Session, actor: Actor, policy: Policy) -> GraduateHome:
    """The graduate's own page; the recommended positions shown count as seen from now on."""
    g = own_graduate(session, actor)
    sections: list[tuple[str, str, list[Recommendation]]] = []
    new: set[int] = set()
    plain: list[PositionProfile] = []
    if g.personalised:
        for kind in recommendation_kinds(g, policy.today):
            items = recommend(session, g, policy, kind, 10)
            sections.append((kind, RECOMMENDATION_LABELS[kind], items))
        user = session.get(User, actor.user_id)
        # a post the graduate got somewhere with (interest, referral, …) is never new
        shown = [
            r.id
            for kind, _, items in sections
            if kind in POSITION_KIND
            for r in items
            if not r.state
        ]
        if user is not None:
            new = mark_seen(user, shown)
    elif g.is_looking:
        plain = plain_list(session, g, policy.today)
    interests = {
        i.position_id: i
        for i in session.scalars(select(Interest).where(Interest.graduate_id == g.id))
    }
    referrals = session.execute(
        select(Referral, Position, Employer)
        .join(Position, Position.id == Referral.position_id)
        .join(Employer, Employer.id == Position.employer_id)
        .where(Referral.graduate_id == g.id)
    ).all()
    requests = session.scalars(
        select(GraduateRequest)
        .where(GraduateRequest.graduate_id == g.id)
        .order_by(GraduateRequest.created_at.desc())
    ).all()
    return GraduateHome(g, sections, plain, new, interests, list(referrals), list(requests))


def plain_list(
    session: Session, g: Graduate, today: date, limit: int = 50
) -> list[PositionProfile]:
    """Open positions in the graduate's wished, origin and school provinces, newest first — no
    ranking by the graduate's profile."""
    provinces = {c[:2] for c in (g.wish_regions or [])} | {
        (areacodes.counted_as(g.origin_region_code) or "")[:2],
        g.school_org.code[:2],
    }
    declined = declined_positions(session, g.id)  # once, not per position
    found = [
        p
        for p in loader.load_positions(session, today, work_study=g.is_student(today))
        if p.region[:2] in provinces and p.id not in declined
    ]
    found.sort(key=lambda p: -p.id)
    return found[:limit]


def toggle_personalised(session: Session, actor: Actor) -> bool:
    """The graduate turns personalised recommendations on or off (audited); returns the new state."""
    g = own_graduate(session, actor)
    g.personalised = not g.personalised
    audit.record(
        session,
        actor,
        "personalised",
        g,
        org_id=g.home_org_id,
        details={"on": g.personalised},
    )
    return g.personalised


#: What the graduate edits of their own profile (their wishes), as the archive names them.
WISH_FIELDS = (
    "wish_regions",
    "wish_work",
    "wants_training",
    "wants_internship",
    "wants_business",
    "skills",
    "certificates",
)


def update_wishes(session: Session, actor: Actor, values: dict[str, Any]) -> list[str]:
    """The graduate changes their own wishes, skills and certificates; the archive's history
    keeps who changed what (audited with the fields). Returns the changed fields."""
    g = own_graduate(session, actor)
    clean = dict(values)
    clean["wish_regions"] = [parse_region_code(c) for c in values.get("wish_regions") or []]
    for key in ("wish_work", "skills", "certificates"):
        clean[key] = (str(values.get(key) or "")).strip() or None
    changed = [f for f in WISH_FIELDS if f in clean and getattr(g, f) != clean[f]]
    profile_history.remember(session, g, changed)
    for f in changed:
        setattr(g, f, clean[f])
    if changed:
        audit.record(session, actor, "wishes", g, org_id=g.home_org_id, details={"fields": changed})
        session.flush()
    return changed
