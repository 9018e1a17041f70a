"""Graduates' interest in a post (感兴趣) and their declines (不感兴趣, with a reason that the
matcher then respects); the employer taking up an interest, which then moves like an application;
and the interest no one has taken up yet, which an officer may refer."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from .. import audit
from ..actors import Actor
from ..errors import DomainError, Forbidden, NotFound
from ..jurisdiction import graduate_scope
from ..models import (
    Employer,
    Graduate,
    Interest,
    InterestKind,
    Position,
    PositionStatus,
    Referral,
    ReferralSource,
    Role,
)
from .service import find_referral, open_referral


def take_interest(session: Session, actor: Actor, interest_id: int, on: date) -> Referral:
    """The employer takes up a graduate's interest in its post: from now on it moves like an
    application (面试 / 录用 / 未录用), attributed to the graduate's home org."""
    interest = session.get(Interest, interest_id)
    position = session.get(Position, interest.position_id) if interest is not None else None
    if (
        interest is None
        or position is None
        or interest.kind != InterestKind.INTERESTED
        or actor.role != Role.EMPLOYER
        or position.employer_id != actor.employer_id
    ):
        raise NotFound("没有该意向")
    session.execute(select(Position.id).where(Position.id == position.id).with_for_update())
    existing = find_referral(session, interest.graduate_id, position.id)
    if existing is not None:
        return existing
    graduate = session.get(Graduate, interest.graduate_id)
    assert graduate is not None
    referral = open_referral(session, actor, graduate, position, ReferralSource.INTEREST, on)
    audit.record(
        session,
        actor,
        "take_interest",
        referral,
        org_id=graduate.home_org_id,
        details={"position_id": position.id},
    )
    return referral


def set_interest(
    session: Session, actor: Actor, position_id: int, kind: InterestKind, reason: str | None = None
) -> Interest:
    """A graduate expresses interest in a position, or declines it with a reason."""
    if actor.role != Role.GRADUATE or actor.graduate_id is None:
        raise Forbidden("只有毕业生本人可以表达意向")
    position = session.get(Position, position_id)
    if position is None:
        raise NotFound("没有该岗位")
    reason = (reason or "").strip() or None
    if kind == InterestKind.DECLINED and not reason:
        raise DomainError("请说明不感兴趣的原因", field="reason")
    if kind == InterestKind.INTERESTED and position.status != PositionStatus.OPEN:
        raise DomainError("该岗位已关闭或招满")
    interest = session.scalar(
        select(Interest).where(
            Interest.graduate_id == actor.graduate_id, Interest.position_id == position_id
        )
    )
    if interest is None:
        interest = Interest(
            graduate_id=actor.graduate_id, position_id=position_id, kind=kind, reason=reason
        )
        session.add(interest)
    else:
        interest.kind, interest.reason = kind, reason
    session.flush()
    return interest


def interest_waiting(actor: Actor) -> Select[Interest, Graduate, Position, Employer]:
    """Interest of graduates the actor sees in open posts that no one has taken up yet (no
    referral or application): the officer may refer them."""
    taken = select(Referral.id).where(
        Referral.graduate_id == Interest.graduate_id, Referral.position_id == Interest.position_id
    )
    return (
        select(Interest, Graduate, Position, Employer)
        .join(Graduate, Graduate.id == Interest.graduate_id)
        .join(Position, Position.id == Interest.position_id)
        .join(Employer, Employer.id == Position.employer_id)
        .where(
            Interest.kind == InterestKind.INTERESTED,
            Position.status == PositionStatus.OPEN,
            ~taken.exists(),
            graduate_scope(actor),
        )
    )
