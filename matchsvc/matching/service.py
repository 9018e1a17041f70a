"""The matcher for the rest of the service: recommendations, candidates and placement plans from
the database, within the actor's reach, and turning accepted plan lines into referrals."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .. import audit, pii
from ..actors import Actor
from ..errors import DomainError, Forbidden, NotFound
from ..jurisdiction import get_graduate, graduate_scope, org_in_region, subtree_ids
from ..models import (
    Campaign,
    Degree,
    Employer,
    EmploymentStatus,
    Graduate,
    Interest,
    InterestKind,
    Org,
    Position,
    Referral,
    ReferralState,
    ReferralStep,
    Role,
)
from . import loader
from .engine import (
    Candidate,
    PositionIndex,
    Recommendation,
    business_help,
    rank_candidates,
    training_recommendations,
)
from .placement import Plan, deferred_acceptance
from .policy import DEFAULT_LIMIT, Policy
from .score import GraduateArrays, PositionArrays

KIND_CHOICES = ("job", "internship", "public", "training", "business")
_POSITION_KINDS = {"job": "job", "internship": "internship", "public": "public_welfare"}
KIND_LABELS = {
    "job": "就业岗位",
    "internship": "见习岗位",
    "public": "公益性岗位",
    "training": "技能培训",
    "business": "创业扶持",
}


def campaign_year(session: Session, today: date) -> int:
    year = session.scalar(select(func.max(Campaign.year)).where(Campaign.year <= today.year))
    return year or today.year


def make_policy(session: Session, settings: Mapping[str, Any], today: date) -> Policy:
    return Policy.from_settings(settings, today, campaign_year(session, today))


def recommend(
    session: Session,
    graduate: Graduate,
    policy: Policy,
    kind: str | None = None,
    limit: int = DEFAULT_LIMIT,
) -> list[Recommendation]:
    """A graduate's ranked recommendations of one kind (None: jobs, internships and public-welfare
    posts together). The caller has checked the actor may see the graduate."""
    if kind is not None and kind not in KIND_CHOICES:
        raise DomainError(f"推荐类别须为 {'/'.join(KIND_CHOICES)} 之一", field="kind")
    if limit < 1 or limit > 200:
        raise DomainError("推荐条数须在 1 到 200 之间", field="limit")
    profile = loader.graduate_profiles(session, Graduate.id == graduate.id)[0]
    G = GraduateArrays.build([profile], policy)
    if kind in ("training", "business"):
        offers = loader.training_offers(session, policy.today, graduate.id)
        if kind == "training":
            return training_recommendations(profile, G, 0, offers, "skill", limit)
        if not profile.wants_business:
            return []
        courses = training_recommendations(profile, G, 0, offers, "business", limit)
        helpers = business_help(
            profile, bool(G.fresh[0]), loader.business_helpers(session, graduate.home_org)
        )
        return (courses + helpers)[:limit]
    kinds = [_POSITION_KINDS[kind]] if kind else list(_POSITION_KINDS.values())
    index = loader.position_index(session, policy.today)
    ranked = index.top(G, 0, limit, kinds=kinds, exclude=profile.declined)
    return index.recommendations(G, 0, ranked)


def recommend_for(
    session: Session,
    actor: Actor,
    graduate_id: int,
    policy: Policy,
    kind: str | None = None,
    limit: int = DEFAULT_LIMIT,
) -> list[Recommendation]:
    graduate = get_graduate(session, actor, graduate_id)
    return recommend(session, graduate, policy, kind, limit)


def recommend_by_id_number(
    session: Session,
    id_number: str,
    policy: Policy,
    kind: str | None = None,
    limit: int = DEFAULT_LIMIT,
) -> list[Recommendation]:
    from ..validators import parse_id_number

    try:
        value = parse_id_number(id_number).value
    except ValueError as err:
        raise DomainError(str(err), field="id_number") from None
    graduate = session.scalar(
        select(Graduate).where(Graduate.id_number_hash == pii.keyring().digest(value))
    )
    if graduate is None:
        raise NotFound("没有该身份证号的毕业生")
    return recommend(session, graduate, policy, kind, limit)


def get_position(session: Session, actor: Actor, position_id: int) -> Position:
    """Staff see every position (to refer their graduates to it); an employer only its own."""
    position = session.get(Position, position_id)
    if position is None or (
        actor.role == Role.EMPLOYER and position.employer_id != actor.employer_id
    ):
        raise NotFound("没有该岗位")
    if actor.role == Role.GRADUATE:
        raise Forbidden("毕业生不能查看岗位的候选人")
    return position


@dataclass
class CandidateView:
    candidate: Candidate
    name: str
    major: str
    degree: str
    fresh: bool
    revealed: bool


def candidates_for(
    session: Session, actor: Actor, position_id: int, policy: Policy, limit: int = 50
) -> tuple[Position, list[CandidateView]]:
    """A position's ranked candidates from the whole country, of whom the actor sees only those in
    their reach (staff) — an employer sees masked names unless the graduate expressed interest or
    was referred to this position."""
    position = get_position(session, actor, position_id)
    if limit < 1 or limit > 500:
        raise DomainError("候选人数须在 1 到 500 之间", field="limit")
    profiles = loader.load_positions(session, policy.today, Position.id == position.id)
    if not profiles:
        return position, []
    P = PositionArrays.build(profiles)
    where = Graduate.status == EmploymentStatus.UNEMPLOYED
    if position.min_degree is not None:
        allowed = [d for d in Degree if d.rank >= position.min_degree.rank]
        where = where & Graduate.degree.in_(allowed)
    if actor.role != Role.EMPLOYER:
        where = where & graduate_scope(actor)
    graduates = loader.graduate_profiles(session, where)
    graduates = [g for g in graduates if position.id not in g.declined]
    G = GraduateArrays.build(graduates, policy)
    ranked = rank_candidates(G, P, 0, limit)
    by_id = {g.id: g for g in graduates}
    revealed: set[int] = set()
    if actor.role == Role.EMPLOYER:
        ids = [c.graduate_id for c in ranked]
        revealed = set(
            session.scalars(
                select(Interest.graduate_id).where(
                    Interest.position_id == position.id,
                    Interest.kind == InterestKind.INTERESTED,
                    Interest.graduate_id.in_(ids),
                )
            )
        ) | set(
            session.scalars(
                select(Referral.graduate_id).where(
                    Referral.position_id == position.id, Referral.graduate_id.in_(ids)
                )
            )
        )
    out = []
    for c in ranked:
        g = by_id[c.graduate_id]
        shown = actor.role != Role.EMPLOYER or g.id in revealed
        out.append(
            CandidateView(
                candidate=c,
                name=g.name if shown else mask_name(g.name),
                major=g.major_text,
                degree=Degree(g.degree).label,
                fresh=g.graduation_year == policy.campaign_year,
                revealed=shown,
            )
        )
    return position, out


def mask_name(name: str) -> str:
    return name[:1] + "*" * max(1, len(name) - 1) if name else ""


def placement_plan(session: Session, actor: Actor, org: Org, policy: Policy) -> Plan:
    """The org's unemployed graduates and the open positions under it, placed by deferred
    acceptance (see placement.py)."""
    if actor.role not in (Role.OFFICER, Role.HQ) or not org_in_region(actor, org):
        raise NotFound("没有该组织，或不在您的管辖范围内")
    region_actor = Actor(role=Role.OFFICER, label=actor.label, org_id=org.id, org_path=org.path)
    graduates = loader.graduate_profiles(
        session,
        graduate_scope(region_actor)
        & (Graduate.status == EmploymentStatus.UNEMPLOYED)
        & (Graduate.graduation_year <= policy.campaign_year),
    )
    positions = loader.load_positions(
        session, policy.today, Employer.org_id.in_(subtree_ids(org.path))
    )
    return plan_from_profiles(graduates, positions, policy)


def plan_from_profiles(graduates: list[Any], positions: list[Any], policy: Policy) -> Plan:
    index = PositionIndex(positions)
    G = GraduateArrays.build(graduates, policy)
    within = np.ones(len(positions), dtype=bool)
    capacity = {p.id: p.headcount for p in positions}
    return deferred_acceptance(G, index, within, capacity)


@dataclass
class Applied:
    created: int
    skipped: list[str]


def refer(
    session: Session,
    actor: Actor,
    graduate_id: int,
    position_id: int,
    on: date,
    note: str | None = None,
) -> Referral:
    """An officer refers a graduate to a position (推荐): within reach, open, not declined, once."""
    if actor.role not in (Role.OFFICER, Role.HQ):
        raise Forbidden("只有工会工作人员可以推荐")
    graduate = get_graduate(session, actor, graduate_id)
    position = session.get(Position, position_id)
    if position is None:
        raise NotFound("没有该岗位")
    if position.status.value != "open" or (
        position.closes_on is not None and position.closes_on < on
    ):
        raise DomainError("该岗位已关闭、招满或过期，不能推荐")
    declined = session.scalar(
        select(Interest.id).where(
            Interest.graduate_id == graduate.id,
            Interest.position_id == position.id,
            Interest.kind == InterestKind.DECLINED,
        )
    )
    if declined is not None:
        raise DomainError("该毕业生已表示对这个岗位不感兴趣")
    existing = session.scalar(
        select(Referral).where(
            Referral.graduate_id == graduate.id, Referral.position_id == position.id
        )
    )
    if existing is not None:
        raise DomainError("已推荐过该毕业生到这个岗位")
    referral = Referral(
        graduate_id=graduate.id,
        position_id=position.id,
        org_id=actor.org_id,
        referred_by_id=actor.user_id,
    )
    referral.steps.append(
        ReferralStep(
            state=ReferralState.REFERRED, on_date=on, reason=note, recorded_by_id=actor.user_id
        )
    )
    session.add(referral)
    session.flush()
    audit.record(
        session,
        actor,
        "refer",
        referral,
        org_id=actor.org_id,
        details={"graduate_id": graduate.id, "position_id": position.id},
    )
    return referral


def apply_plan(
    session: Session, actor: Actor, lines: Iterable[tuple[int, int]], on: date
) -> Applied:
    """Turn accepted plan lines into referrals; a line that no longer holds is skipped with why."""
    created, skipped = 0, []
    for graduate_id, position_id in lines:
        try:
            with session.begin_nested():
                refer(session, actor, graduate_id, position_id, on, note="来自安置方案")
            created += 1
        except (DomainError, Forbidden, NotFound) as err:
            skipped.append(f"毕业生 {graduate_id} → 岗位 {position_id}：{err.message}")
    return Applied(created, skipped)


def declined_positions(session: Session, graduate_id: int) -> set[int]:
    return set(
        session.scalars(
            select(Interest.position_id).where(
                Interest.graduate_id == graduate_id, Interest.kind == InterestKind.DECLINED
            )
        )
    )


def plan_labels(session: Session, plan: Plan) -> tuple[dict[int, str], dict[int, str]]:
    """Names of the plan's graduates and titles (with employer) of its positions, for the page."""
    gids = {x.graduate_id for x in plan.lines} | {u.graduate_id for u in plan.unplaced}
    pids = {x.position_id for x in plan.lines}
    names = (
        dict(session.execute(select(Graduate.id, Graduate.name).where(Graduate.id.in_(gids))).all())
        if gids
        else {}
    )
    titles = (
        {
            pid: f"{title}（{emp}）"
            for pid, title, emp in session.execute(
                select(Position.id, Position.title, Employer.name)
                .join(Employer)
                .where(Position.id.in_(pids))
            ).all()
        }
        if pids
        else {}
    )
    return names, titles
