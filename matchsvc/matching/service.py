"""The matcher for the rest of the service: recommendations, candidates and placement plans from
the database, within the actor's reach, and turning accepted plan lines into referrals."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

import numpy as np
from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from .. import pii
from ..actors import Actor
from ..errors import DomainError, Forbidden, NotFound
from ..jurisdiction import get_graduate, graduate_scope, org_in_region, subtree_ids
from ..models import (
    ACTIVE_ARCHIVE_STATES,
    Degree,
    Employer,
    EmploymentStatus,
    Graduate,
    Interest,
    InterestKind,
    Org,
    Position,
    PositionKind,
    Referral,
    ReferralSource,
    ReferralState,
    Role,
)
from ..stats.campaigns import fresh_year
from ..validators import parse_id_number
from . import live, loader, pending
from .advice import advise_unplaced
from .engine.index import PositionIndex
from .engine.offers import business_help, training_recommendations
from .engine.placement import Plan, deferred_acceptance
from .engine.policy import DEFAULT_LIMIT, Policy
from .engine.profiles import (
    GRADUATE_POSITION_KINDS,
    POSITION_KIND,
    RECOMMENDATION_KINDS,
    STUDENT_POSITION_KINDS,
)
from .engine.results import Candidate, Recommendation, rank_candidates, recommendations
from .engine.score import GraduateArrays, PositionArrays
from .engine.search import top
from .gaps import add_gaps


def make_policy(session: Session, settings: Mapping[str, Any], today: date) -> Policy:
    """The matcher's policy from the deployment's settings, as of `today`; who is 应届 follows
    the current campaign's year, or today's once that has passed (stats.campaigns.fresh_year)."""
    return Policy.from_settings(settings, today, fresh_year(session, today))


def recommendation_kinds(graduate: Graduate, today: date) -> tuple[str, ...]:
    """The kinds of recommendation a graduate's page shows: a student's 勤工俭学 and training; a
    graduate's jobs, internships, public-welfare posts, training and business help."""
    if graduate.is_student(today):
        return ("work_study", "training")
    return tuple(k for k in RECOMMENDATION_KINDS if k != "work_study")


def recommend(
    session: Session,
    graduate: Graduate,
    policy: Policy,
    kind: str | None = None,
    limit: int = DEFAULT_LIMIT,
) -> list[Recommendation]:
    """A graduate's ranked recommendations of one kind (None: jobs, internships and public-welfare
    posts together). The caller has checked the actor may see the graduate."""
    if kind is not None and kind not in RECOMMENDATION_KINDS:
        raise DomainError(f"推荐类别须为 {'/'.join(RECOMMENDATION_KINDS)} 之一", field="kind")
    if limit < 1 or limit > 200:
        raise DomainError("推荐条数须在 1 到 200 之间", field="limit")
    profile = loader.graduate_profiles(session, Graduate.id == graduate.id)[0]
    grads = GraduateArrays.build([profile], policy)
    if kind in ("training", "business"):
        offers = loader.training_offers(session, policy.today, graduate.id)
        if kind == "training":
            return training_recommendations(profile, grads, 0, offers, "skill", limit)
        if not profile.wants_business:
            return []
        courses = training_recommendations(profile, grads, 0, offers, "business", limit)
        helpers = business_help(profile, loader.business_helpers(session, graduate.home_org))
        return (courses + helpers)[:limit]
    if profile.student:  # at university still: 勤工俭学 posts only, from their own index
        if kind not in (None, "work_study") or graduate.archive_state not in ACTIVE_ARCHIVE_STATES:
            return []
        kinds = list(STUDENT_POSITION_KINDS)
        index = loader.work_study_index(session, policy.today)
    else:
        if (
            not profile.looking or kind == "work_study"
        ):  # 已就业, 已签约, 自主创业, 升学 (DOMAIN.md)
            return []
        kinds = [POSITION_KIND[kind]] if kind else list(GRADUATE_POSITION_KINDS)
        index = live.for_graduate(
            live.live_index(session, policy.today), grads, limit, kinds, profile.declined
        )
    ranked = top(index, grads, 0, limit, kinds=kinds, exclude=profile.declined)
    found = recommendations(index, grads, 0, ranked)
    states = engagement(session, graduate.id)
    for item in found:  # an engaged post keeps its rank, marked with how far it got
        item.state = states.get(item.id, "")
    if found:
        add_gaps(index, profile, found, loader.training_offers(session, policy.today, graduate.id))
    return found


INTERESTED_LABEL = "已表示感兴趣"


def engagement(session: Session, graduate_id: int) -> dict[int, str]:
    """Positions the graduate has got somewhere with → the state in words: showed interest, was
    referred, interviewed, hired or turned down (a referral's latest step wins over interest)."""
    states = {
        pid: INTERESTED_LABEL
        for pid in session.scalars(
            select(Interest.position_id).where(
                Interest.graduate_id == graduate_id, Interest.kind == InterestKind.INTERESTED
            )
        )
    }
    for pid, state, source in session.execute(
        select(Referral.position_id, Referral.state, Referral.source).where(
            Referral.graduate_id == graduate_id
        )
    ):
        states[pid] = referral_words(state, source)
    return states


def referral_words(state: ReferralState, source: ReferralSource) -> str:
    """How far a graduate got with a post, in words: 已推荐 / 已应聘 / 已面试 / 已录用 / 未录用 / 已关闭."""
    if state in (ReferralState.REJECTED, ReferralState.CLOSED):
        return state.label
    if state == ReferralState.REFERRED and source != ReferralSource.OFFICER:
        return "已应聘"
    return f"已{state.label}"


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
    work_study = position.kind == PositionKind.WORK_STUDY
    profiles = loader.load_positions(
        session, policy.today, Position.id == position.id, work_study=work_study
    )
    if not profiles:
        return position, []
    posts = PositionArrays.build(profiles)
    # a 勤工俭学 post's candidates are the students; every other post's, the graduates looking
    where = loader.students_looking(policy.today) if work_study else loader.looking_for_work()
    if position.min_degree is not None:
        allowed = [d for d in Degree if d.rank >= position.min_degree.rank]
        where = where & Graduate.degree.in_(allowed)
    if actor.role != Role.EMPLOYER:
        where = where & graduate_scope(actor)
    graduates = loader.graduate_profiles(session, where)
    graduates = [g for g in graduates if position.id not in g.declined]
    if work_study:  # students look for summer work, not for jobs
        graduates = [replace(g, looking=True) for g in graduates]
    grads = GraduateArrays.build(graduates, policy)
    ranked = rank_candidates(grads, posts, 0, limit)
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


#: A placement plan's progress: (percent done, the step in words).
Progress = Callable[[int, str], None]


def _plan_reach(actor: Actor, org: Org) -> Actor:
    if actor.role not in (Role.OFFICER, Role.HQ) or not org_in_region(actor, org):
        raise NotFound("没有该组织，或不在您的管辖范围内")
    return Actor(role=Role.OFFICER, label=actor.label, org_id=org.id, org_path=org.path)


def _plan_graduates(reach: Actor, policy: Policy) -> ColumnElement[bool]:
    return (
        graduate_scope(reach)
        & (Graduate.status == EmploymentStatus.UNEMPLOYED)
        & (Graduate.graduation_year <= policy.campaign_year)
    )


def plan_size(session: Session, actor: Actor, org: Org, policy: Policy) -> int:
    """How many graduates a plan for the org places (to decide whether it is queued)."""
    where = _plan_graduates(_plan_reach(actor, org), policy)
    return session.scalar(select(func.count()).select_from(Graduate).where(where)) or 0


def placement_plan(
    session: Session, actor: Actor, org: Org, policy: Policy, progress: Progress | None = None
) -> Plan:
    """The org's unemployed graduates and the open positions under it, placed by deferred
    acceptance (see placement.py)."""
    step = progress or (lambda _percent, _words: None)
    reach = _plan_reach(actor, org)
    step(5, "读取毕业生和岗位")
    graduates = loader.graduate_profiles(session, _plan_graduates(reach, policy))
    positions = loader.load_positions(
        session, policy.today, Employer.org_id.in_(subtree_ids(org.path))
    )
    held = pending.seats_held(session, [p.id for p in positions])
    waiting = pending.waiting_graduates(session, [g.id for g in graduates])
    step(30, "计算每名毕业生的推荐顺序并按招聘人数录取")
    free = [g for g in graduates if g.id not in waiting]
    plan = plan_from_profiles(free, positions, policy, held)
    pending.explain_held(plan, held, waiting)
    advise_unplaced(plan, free, positions, held)
    step(95, "整理方案")
    return plan


def plan_from_profiles(
    graduates: list[Any],
    positions: list[Any],
    policy: Policy,
    held: Mapping[int, int] | None = None,
) -> Plan:
    """Deferred acceptance within headcounts; `held` seats (referrals and applications in
    progress) are not offered."""
    index = PositionIndex(positions)
    grads = GraduateArrays.build(graduates, policy)
    within = np.ones(len(positions), dtype=bool)
    held = held or {}
    capacity = {p.id: max(p.headcount - held.get(p.id, 0), 0) for p in positions}
    return deferred_acceptance(grads, index, within, capacity)


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
    gids |= {u.graduate_id for u in plan.waiting}
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
