"""找岗位: open positions the graduate browses by region, kind and words, and one position as the
graduate reads it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, Select, func, or_, select
from sqlalchemy.orm import Session

from .. import areacodes
from ..actors import Actor
from ..errors import NotFound
from ..matching import loader
from ..matching.engine.policy import Policy
from ..matching.service import INTERESTED_LABEL, recommend, referral_words
from ..models import (
    Employer,
    EmployerStatus,
    Graduate,
    Interest,
    InterestKind,
    Position,
    PositionKind,
    Referral,
    ReferralState,
)
from ..referrals.service import is_open, not_looking_words
from .graduate import own_graduate


def _region_prefix(code: str) -> str:
    """440000 → 44, 440100 → 4401, 440106 → 440106: what codes under it start with."""
    if code.endswith("0000"):
        return code[:2]
    if code.endswith("00"):
        return code[:4]
    return code


def browse_regions(g: Graduate) -> list[str]:
    """Where a graduate browses: their wished regions, else their origin and school provinces."""
    if g.wish_regions:
        return list(g.wish_regions)
    return sorted({c for c in (areacodes.counted_as(g.origin_region_code), g.school_org.code) if c})


def _in_regions(codes: list[str]) -> ColumnElement[bool]:
    prefixes = sorted({_region_prefix(c) for c in codes if c and c != "000000"})
    if not prefixes:
        return Position.id.isnot(None)
    return or_(*(Position.work_region_code.startswith(p) for p in prefixes))


#: How far 找岗位 searches: the wished regions, their provinces, or the whole country.
SCOPES = {"wished": "我的意向地区", "province": "意向地区所在的省（全省）", "country": "全国"}


@dataclass
class Browse:
    rows: list[tuple[Position, Employer]]
    total: int
    regions: list[str]
    scope: str = "wished"
    #: How many posts each wider search finds where it finds more (offered when this one finds
    #: few); None when no wider search would find more.
    wider: dict[str, int] | None = None


def browse_positions(
    session: Session,
    actor: Actor,
    today: date,
    *,
    q: str = "",
    kind: str = "",
    region: str = "",
    scope: str = "wished",
    page: int = 1,
    per_page: int = 20,
) -> Browse:
    """Open positions within the graduate's wished regions (or one of them) — or, wider, their
    provinces or the whole country — newest first, searched in title, description and employer
    name. A search that finds few says how many a wider one would."""
    g = own_graduate(session, actor)
    regions = browse_regions(g)
    scope = scope if scope in SCOPES else "wished"
    where = loader.open_position_filter(today)
    # a student finds the 勤工俭学 posts, a graduate every other kind
    if g.is_student(today):
        where = where & (Position.kind == PositionKind.WORK_STUDY)
    else:
        where = where & (Position.kind != PositionKind.WORK_STUDY)
    words = [w for w in (q or "").split() if w][:5]
    for word in words:
        like = f"%{word[:50]}%"
        where = where & or_(
            Position.title.ilike(like), Position.description.ilike(like), Employer.name.ilike(like)
        )
    if kind and kind in {k.value for k in PositionKind}:
        where = where & (Position.kind == PositionKind(kind))
    provinces = sorted({c[:2] + "0000" for c in regions if c and c != "000000"})
    within = {
        "wished": _in_regions([region] if region and region in regions else regions),
        "province": _in_regions(provinces),
        "country": Position.id.isnot(None),
    }

    def query(where_: ColumnElement[bool]) -> Select[Position, Employer]:
        return (
            select(Position, Employer)
            .join(Employer, Employer.id == Position.employer_id)
            .where(where_)
        )

    def count(where_: ColumnElement[bool]) -> int:
        return session.scalar(select(func.count()).select_from(query(where_).subquery())) or 0

    here = where & within[scope]
    total = count(here)
    rows = session.execute(
        query(here)
        .order_by(Position.published_on.desc(), Position.id.desc())
        .offset((max(page, 1) - 1) * per_page)
        .limit(per_page)
    ).all()
    wider = None
    if total < per_page and scope != "country":  # few here: say what a wider search finds
        order = list(SCOPES)
        found = {s: count(where & within[s]) for s in order[order.index(scope) + 1 :]}
        wider = {s: n for s, n in found.items() if n > total} or None
    return Browse([(p, e) for p, e in rows], total, regions, scope, wider)


@dataclass
class PositionPage:
    position: Position
    closed: bool
    hires: int
    reason: str
    referral: Referral | None
    interest: Interest | None
    #: Why the graduate may not apply now (not looking), said before anything is typed.
    not_looking: str | None = None

    @property
    def state(self) -> str:
        """How far the graduate got with the post, in the words the lists use (engagement)."""
        if self.referral is not None:
            return referral_words(self.referral.state, self.referral.source)
        interested = self.interest is not None and self.interest.kind == InterestKind.INTERESTED
        return INTERESTED_LABEL if interested else ""


def position_page(session: Session, actor: Actor, position_id: int, policy: Policy) -> PositionPage:
    """One position as the graduate reads it: open posts of approved employers, and any post
    the graduate got somewhere with; why it is recommended, where it is."""
    g = own_graduate(session, actor)
    position = session.get(Position, position_id)
    if position is None or position.employer.status != EmployerStatus.APPROVED:
        raise NotFound("没有该岗位")
    referral = session.scalar(
        select(Referral).where(Referral.graduate_id == g.id, Referral.position_id == position.id)
    )
    interest = session.scalar(
        select(Interest).where(Interest.graduate_id == g.id, Interest.position_id == position.id)
    )
    closed = not is_open(position, policy.today)
    if closed and referral is None and interest is None:
        raise NotFound("该岗位已截止或关闭")
    reason = ""
    if not closed:
        for item in recommend(session, g, policy, None, 200):
            if item.id == position.id:
                reason = item.reason
                break
    hires = session.scalar(
        select(func.count()).where(
            Referral.position_id == position.id, Referral.state == ReferralState.HIRED
        )
    )
    return PositionPage(
        position, closed, hires or 0, reason, referral, interest, not_looking_words(g)
    )
