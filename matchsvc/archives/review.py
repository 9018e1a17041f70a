"""年度复核: once a year a province reviews a sample of its active archives (建档 / 帮扶中), by
default 30%, random but reproducible — the archives ordered by a SHA-256 of the seed and their
id, the first share taken — and records each outcome; a review verifies the archive."""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..actors import Actor
from ..audit import record
from ..errors import Conflict, DomainError, Forbidden, NotFound
from ..graduates.service import mark_verified
from ..jurisdiction import graduate_edit_scope, org_column_in_region, org_in_region, subtree_ids
from ..models import (
    AnnualReview,
    AnnualReviewItem,
    Graduate,
    Org,
    OrgLevel,
    ReviewOutcome,
    Role,
)
from .service import active_archive

DEFAULT_SHARE = 30


def default_seed(org: Org, year: int) -> str:
    return f"{org.code}-{year}"


def rank(seed: str, graduate_id: int) -> str:
    return hashlib.sha256(f"{seed}:{graduate_id}".encode()).hexdigest()


def sample(ids: list[int], share: int, seed: str) -> list[int]:
    """The drawn archives: `share` percent of `ids` (rounded up), the same for the same seed."""
    wanted = math.ceil(len(ids) * share / 100)
    return sorted(sorted(ids, key=lambda i: rank(seed, i))[:wanted])


def _province(session: Session, actor: Actor, org_code: str | None) -> Org:
    if actor.role not in (Role.OFFICER, Role.HQ):
        raise Forbidden("只有工会工作人员可以组织年度复核")
    org = session.scalar(select(Org).where(Org.code == org_code)) if org_code else None
    if org is None and actor.org_id is not None:
        org = session.get(Org, actor.org_id)
    if org is None or org.level != OrgLevel.PROVINCE:
        raise DomainError("年度复核由省级总工会组织，请选择省份", field="org")
    if not org_in_region(actor, org):
        raise NotFound("该省不在您的管辖范围内", field="org")
    return org


def draw(
    session: Session,
    actor: Actor,
    year: int,
    *,
    org_code: str | None = None,
    share: int = DEFAULT_SHARE,
    seed: str | None = None,
) -> AnnualReview:
    """Draw the year's sample of the province's active archives; once per province and year."""
    province = _province(session, actor, org_code)
    if not 1 <= share <= 100:
        raise DomainError("比例须在 1 至 100 之间", field="share")
    if session.scalar(
        select(AnnualReview.id).where(AnnualReview.org_id == province.id, AnnualReview.year == year)
    ):
        raise Conflict(f"{province.name} {year} 年度的复核样本已抽取", field="year")
    seed = (seed or "").strip() or default_seed(province, year)
    ids = list(
        session.scalars(
            select(Graduate.id).where(
                Graduate.home_org_id.in_(subtree_ids(province.path)),
                active_archive(),
                Graduate.anonymised_at.is_(None),
            )
        )
    )
    review = AnnualReview(
        org_id=province.id, year=year, share_percent=share, seed=seed, drawn_by_id=actor.user_id
    )
    try:
        with session.begin_nested():
            session.add(review)
            session.flush()
    except IntegrityError:  # another officer drew it at the same moment
        raise Conflict(f"{province.name} {year} 年度的复核样本已抽取", field="year") from None
    chosen = sample(ids, share, seed)
    session.add_all(AnnualReviewItem(review_id=review.id, graduate_id=i) for i in chosen)
    record(
        session,
        actor,
        "annual_review_drawn",
        review,
        org_id=province.id,
        details={"year": year, "share": share, "drawn": len(chosen), "of": len(ids)},
    )
    session.flush()
    return review


def reviews(session: Session, actor: Actor) -> list[AnnualReview]:
    return list(
        session.scalars(
            select(AnnualReview)
            .where(org_column_in_region(actor, AnnualReview.org_id))
            .order_by(AnnualReview.year.desc(), AnnualReview.id)
        )
    )


def get_review(session: Session, actor: Actor, review_id: int) -> AnnualReview:
    review = session.get(AnnualReview, review_id)
    org = session.get(Org, review.org_id) if review else None
    if review is None or org is None or not org_in_region(actor, org):
        raise NotFound("未找到该复核，或不在您的管辖范围内")
    return review


def items_page(
    session: Session, actor: Actor, review: AnnualReview, limit: int, offset: int
) -> list[tuple[AnnualReviewItem, Graduate]]:
    """One page of the drawn archives the actor keeps, those still to review first."""
    return [
        (item, graduate)
        for item, graduate in session.execute(
            select(AnnualReviewItem, Graduate)
            .join(Graduate, Graduate.id == AnnualReviewItem.graduate_id)
            .where(AnnualReviewItem.review_id == review.id, graduate_edit_scope(actor))
            .order_by(AnnualReviewItem.outcome.is_not(None), Graduate.id)
            .limit(limit)
            .offset(offset)
        )
    ]


@dataclass
class Progress:
    drawn: int
    done: int
    by_outcome: dict[ReviewOutcome, int]


def progress(session: Session, review: AnnualReview) -> Progress:
    rows = session.execute(
        select(AnnualReviewItem.outcome, func.count())
        .where(AnnualReviewItem.review_id == review.id)
        .group_by(AnnualReviewItem.outcome)
    ).all()
    by = {o: n for o, n in rows if o is not None}
    return Progress(sum(n for _, n in rows), sum(by.values()), by)


def record_outcome(
    session: Session,
    actor: Actor,
    review: AnnualReview,
    graduate: Graduate,
    outcome: ReviewOutcome,
    on: date,
    note: str | None = None,
) -> AnnualReviewItem:
    """The outcome of one drawn archive (the caller got the graduate within its edit scope)."""
    item = session.get(AnnualReviewItem, (review.id, graduate.id))
    if item is None:
        raise NotFound("该档案不在本次复核样本中")
    if outcome == ReviewOutcome.CHANGED and not (note or "").strip():
        raise DomainError("情况已变化的，请说明变化（并按需办理脱困或注销）", field="note")
    item.outcome, item.note, item.reviewed_on = outcome, (note or "").strip() or None, on
    item.reviewed_by_id = actor.user_id
    if outcome != ReviewOutcome.UNREACHABLE:
        mark_verified(graduate, on)
    record(
        session,
        actor,
        "annual_review_outcome",
        graduate,
        org_id=graduate.home_org_id,
        details={"year": review.year, "outcome": outcome.value},
    )
    session.flush()
    return item


def pending_count(session: Session, actor: Actor) -> int:
    """Drawn archives the actor keeps that wait for an outcome."""
    return (
        session.scalar(
            select(func.count())
            .select_from(AnnualReviewItem)
            .join(Graduate, Graduate.id == AnnualReviewItem.graduate_id)
            .where(AnnualReviewItem.outcome.is_(None), graduate_edit_scope(actor))
        )
        or 0
    )
