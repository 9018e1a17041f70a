"""What followed what was shown: for each hire, the best rank at which its post was shown to
that graduate before the hire (or never); for each post shown, how far the graduate got with
it (感兴趣 / 应聘 / 推荐 / 面试 / 录用 / 未录用) and whether a hire was still held at the last
follow-up. Within the actor's jurisdiction (graduates by their home org)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..actors import Actor
from ..jurisdiction import graduate_edit_scope
from ..models import (
    FollowUp,
    FollowUpState,
    Graduate,
    Hire,
    Impression,
    Interest,
    InterestKind,
    Org,
    Position,
    Referral,
    ReferralSource,
    ReferralState,
    ReferralStep,
    Sex,
    Surface,
)
from .impressions import choice_of

#: Lists whose items are posts shown to one graduate (the plan's lines count at their choice).
GRADUATE_SURFACES = (Surface.GRADUATE, Surface.OFFICER, Surface.API)
POST_KINDS = (None, "job", "internship", "public")
#: The funnel's steps, in order; a pair counts in every step it reached.
STAGES = ("shown", "interested", "applied", "referred", "interview", "hired", "rejected")
STAGE_LABELS = {
    "shown": "展示",
    "interested": "感兴趣",
    "applied": "应聘",
    "referred": "推荐",
    "interview": "面试",
    "hired": "录用",
    "rejected": "未录用",
}
#: Rank buckets of the funnel by rank.
BUCKETS = ((1, 1, "第1位"), (2, 5, "第2–5位"), (6, 10, "第6–10位"), (11, 20, "第11–20位"))
BEYOND = "20位以后"


@dataclass
class HireRank:
    """One hire with its post, joined to what was shown before it."""

    hire_id: int
    graduate_id: int
    position_id: int | None
    hired_on: date
    registered_on: date
    province: str
    position_kind: str | None
    sex: str
    fresh: bool
    #: The best rank of the post in the graduate's lists before the hire; None: never shown.
    best_rank: int | None = None
    #: The graduate's best rank among the post's candidates before the hire.
    candidate_rank: int | None = None
    #: At the last answered follow-up: still at the job (None: no follow-up answered).
    retained: bool | None = None

    @property
    def days_to_placement(self) -> int:
        return max((self.hired_on - self.registered_on).days, 0)


@dataclass
class Funnel:
    """Pairs (graduate, post) shown, by the best rank bucket, and how far they got."""

    counts: dict[str, dict[str, int]] = field(default_factory=dict)

    def add(self, bucket: str, stages: Iterable[str]) -> None:
        row = self.counts.setdefault(bucket, dict.fromkeys(STAGES, 0))
        for stage in stages:
            row[stage] += 1


def bucket_of(rank: int) -> str:
    for low, high, label in BUCKETS:
        if low <= rank <= high:
            return label
    return BEYOND


def _province(path_code: str) -> str:
    return path_code[:2] + "0000"


def hires(
    session: Session, actor: Actor, since: date | None = None, until: date | None = None
) -> list[HireRank]:
    """Every hire of the actor's graduates in [since, until], each joined to the impressions
    before it (on or before the hire's day) and to its follow-ups."""
    query = (
        select(Hire, Graduate, Org.code, Position.kind)
        .join(Graduate, Graduate.id == Hire.graduate_id)
        .join(Org, Org.id == Graduate.home_org_id)
        .outerjoin(Position, Position.id == Hire.position_id)
        .where(graduate_edit_scope(actor))
        .order_by(Hire.hired_on, Hire.id)
    )
    if since is not None:
        query = query.where(Hire.hired_on >= since)
    if until is not None:
        query = query.where(Hire.hired_on <= until)
    out = [
        HireRank(
            hire_id=h.id,
            graduate_id=g.id,
            position_id=h.position_id,
            hired_on=h.hired_on,
            registered_on=g.registered_on,
            province=_province(code),
            position_kind=kind.value if kind is not None else None,
            sex=Sex(g.sex).value,
            fresh=g.graduation_year == h.hired_on.year,
        )
        for h, g, code, kind in session.execute(query)
    ]
    _join_impressions(session, out)
    _join_follow_ups(session, out)
    return out


def _chunks(ids: list[int], size: int = 500) -> Iterable[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def _join_impressions(session: Session, rows: list[HireRank]) -> None:
    with_post = [r for r in rows if r.position_id is not None]
    if not with_post:
        return
    by_graduate: dict[int, list[HireRank]] = defaultdict(list)
    by_position: dict[int, list[HireRank]] = defaultdict(list)
    for r in with_post:
        by_graduate[r.graduate_id].append(r)
        by_position[r.position_id].append(r)  # type: ignore[index]
    last = max(r.hired_on for r in with_post)
    for ids in _chunks(sorted(by_graduate)):
        for imp in session.scalars(
            select(Impression).where(
                Impression.graduate_id.in_(ids),
                Impression.surface.in_(GRADUATE_SURFACES),
                Impression.shown_on <= last,
            )
        ):
            if imp.kind not in POST_KINDS:
                continue
            ranks = imp.ranks()
            for r in by_graduate[imp.graduate_id]:  # type: ignore[index]
                rank = ranks.get(r.position_id)  # type: ignore[arg-type]
                if rank is not None and imp.shown_on <= r.hired_on:
                    r.best_rank = rank if r.best_rank is None else min(r.best_rank, rank)
    for imp in session.scalars(
        select(Impression).where(Impression.surface == Surface.PLAN, Impression.shown_on <= last)
    ):
        for pid, gid, rules in zip(imp.items, imp.pairs or [], imp.rules, strict=False):
            for r in by_graduate.get(gid, ()):
                if r.position_id == pid and imp.shown_on <= r.hired_on:
                    rank = choice_of(rules) or 1
                    r.best_rank = rank if r.best_rank is None else min(r.best_rank, rank)
    for ids in _chunks(sorted(by_position)):
        for imp in session.scalars(
            select(Impression).where(Impression.position_id.in_(ids), Impression.shown_on <= last)
        ):
            ranks = imp.ranks()
            for r in by_position[imp.position_id]:  # type: ignore[index]
                rank = ranks.get(r.graduate_id)
                if rank is not None and imp.shown_on <= r.hired_on:
                    r.candidate_rank = (
                        rank if r.candidate_rank is None else min(r.candidate_rank, rank)
                    )


def _join_follow_ups(session: Session, rows: list[HireRank]) -> None:
    by_hire = {r.hire_id: r for r in rows}
    for ids in _chunks(sorted(by_hire)):
        for hire_id, still in session.execute(
            select(FollowUp.hire_id, FollowUp.still_employed)
            .where(FollowUp.hire_id.in_(ids), FollowUp.state == FollowUpState.ANSWERED)
            .order_by(FollowUp.hire_id, FollowUp.months)
        ):
            by_hire[hire_id].retained = bool(still)  # the latest answer wins


def funnel(
    session: Session, actor: Actor, since: date | None = None, until: date | None = None
) -> Funnel:
    """Every (graduate, post) pair shown in the graduates' own lists in [since, until], by its
    best rank, and what followed: interest, an application or a referral, an interview, the
    result."""
    query = (
        select(Impression)
        .join(Graduate, Graduate.id == Impression.graduate_id)
        .where(
            graduate_edit_scope(actor),
            Impression.surface.in_(GRADUATE_SURFACES),
        )
    )
    if since is not None:
        query = query.where(Impression.shown_on >= since)
    if until is not None:
        query = query.where(Impression.shown_on <= until)
    best: dict[tuple[int, int], int] = {}
    for imp in session.scalars(query):
        if imp.kind not in POST_KINDS or imp.graduate_id is None:
            continue
        for pid, rank in imp.ranks().items():
            key = (imp.graduate_id, pid)
            best[key] = min(best.get(key, rank), rank)
    reached = _reached(session, best)
    out = Funnel({label: dict.fromkeys(STAGES, 0) for *_, label in BUCKETS})
    out.counts[BEYOND] = dict.fromkeys(STAGES, 0)
    for key, rank in best.items():
        out.add(bucket_of(rank), ["shown", *reached.get(key, ())])
    return out


def _reached(
    session: Session, pairs: dict[tuple[int, int], int]
) -> dict[tuple[int, int], set[str]]:
    graduates = sorted({g for g, _ in pairs})
    out: dict[tuple[int, int], set[str]] = defaultdict(set)
    for ids in _chunks(graduates):
        for gid, pid in session.execute(
            select(Interest.graduate_id, Interest.position_id).where(
                Interest.graduate_id.in_(ids), Interest.kind == InterestKind.INTERESTED
            )
        ):
            if (gid, pid) in pairs:
                out[(gid, pid)].add("interested")
        for gid, pid, source, state in session.execute(
            select(
                Referral.graduate_id,
                Referral.position_id,
                Referral.source,
                Referral.state,
            ).where(Referral.graduate_id.in_(ids))
        ):
            if (gid, pid) not in pairs:
                continue
            seen = out[(gid, pid)]
            seen.add("referred" if source == ReferralSource.OFFICER else "applied")
            if state == ReferralState.HIRED:
                seen.add("hired")
            elif state == ReferralState.REJECTED:
                seen.add("rejected")
        interviewed = session.execute(
            select(Referral.graduate_id, Referral.position_id)
            .join(ReferralStep, ReferralStep.referral_id == Referral.id)
            .where(Referral.graduate_id.in_(ids), ReferralStep.state == ReferralState.INTERVIEW)
        )
        for gid, pid in interviewed:
            if (gid, pid) in pairs:
                out[(gid, pid)].add("interview")
    return out
