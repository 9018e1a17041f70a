"""The demo's year after the campaign: the 2012 hires were followed up in their time (most still at
work, some left), and 广州 has recent hires whose follow-ups fall due now — one due today, some
overdue, one answered "left, wants help" (back to 未就业), one 稳定就业."""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import clock
from ..actors import Actor
from ..assistance.service import record_service
from ..followups.service import Answer, answer
from ..matching.loader import open_position_filter
from ..models import (
    Employer,
    FollowUp,
    FollowUpState,
    Graduate,
    Org,
    Position,
    PositionKind,
    Role,
    ServiceKind,
    User,
)
from ..referrals.deadlines import chase
from ..referrals.service import refer

LEFT_REASONS = ("合同到期未续签", "离家太远", "薪酬偏低", "转行", "身体原因", "单位裁员")

#: Days since each recent hire (None: a month ago to the day, so its follow-up is due today), and
#: how many of its follow-ups were answered (−1: the first answered "left, wants help").
RECENT_HIRES = ((None, 0), (35, 0), (45, -1), (100, 1), (195, 2), (200, 3))


def _answered(rng: random.Random, f: FollowUp, today: date, *, stays: bool) -> Answer:
    return Answer(
        answered_on=min(f.due_on + timedelta(days=rng.randint(0, 10)), today),
        still_employed=stays,
        contract_year=rng.random() < 0.8 if stays else None,
        insured=rng.random() < 0.85 if stays else None,
        left_reason=None if stays else rng.choice(LEFT_REASONS),
        wants_help=None if stays else False,
    )


def follow_up_history(session: Session, cli: Actor, rng: random.Random, today: date) -> None:
    """Answer the follow-ups that fell due more than a month ago, as officers did at the time
    (a graduate who left then did not ask for help again: their status stays)."""
    today = min(today, clock.today())
    old = session.scalars(
        select(FollowUp.id)
        .where(FollowUp.state == FollowUpState.DUE, FollowUp.due_on < today - timedelta(days=30))
        .order_by(FollowUp.due_on, FollowUp.id)
    ).all()
    for follow_up_id in old:
        f = session.get_one(FollowUp, follow_up_id)
        if f.state == FollowUpState.DUE:  # not cancelled by an earlier "left"
            answer(session, cli, f.id, _answered(rng, f, today, stays=rng.random() < 0.88))


def recent_hires(
    session: Session, cli: Actor, rng: random.Random, graduates: list[Graduate], today: date
) -> None:
    """Hires of the last months, 广州's first (recorded by its officer), so that follow-ups are
    due today, overdue, answered and one reopened when the demo starts."""
    officer = session.scalar(select(User).where(User.username == "gz_officer"))
    assert officer is not None
    gz = Actor.for_user(officer)
    today = min(today, clock.today())
    local = [g for g in graduates if g.home_org.code in ("440100", "440106") and g.is_looking]
    # the portal's activity takes the first 15 of 广州's; the hires take the next, then others
    busy = {g.id for g in local[:15]}
    others = [g for g in graduates if g.is_looking and g.id not in busy and g not in local]
    employers = session.scalars(select(Employer).order_by(Employer.id)).all()
    pool = local[15:] + others
    overdue_referrals(session, pool[len(RECENT_HIRES) :], today)
    for g, (days, answered) in zip(pool, RECENT_HIRES, strict=False):
        who = gz if g in local else cli
        employer = employers[rng.randrange(len(employers))]
        record_service(
            session,
            who,
            g,
            kind=ServiceKind.EMPLOYED,
            on=clock.add_months(today, -1) if days is None else today - timedelta(days=days),
            org=g.home_org,
            remark=f"工会推荐到{employer.name}就业",
            workplace=employer.name,
        )
        follow_ups = session.scalars(
            select(FollowUp).where(FollowUp.graduate_id == g.id).order_by(FollowUp.months)
        ).all()
        if answered < 0:
            first = follow_ups[0]
            answer(
                session,
                who,
                first.id,
                Answer(
                    answered_on=min(first.due_on + timedelta(days=3), today),
                    still_employed=False,
                    left_reason="试用期后单位不再续用",
                    wants_help=True,
                ),
            )
        for f in follow_ups[: max(answered, 0)]:
            reply = _answered(rng, f, today, stays=True)
            answer(session, who, f.id, Answer(**{**reply.__dict__, "contract_year": True}))


def _officer_over(session: Session, graduate: Graduate) -> Actor | None:
    """An officer of the graduate's home org or an org above it (the nearest)."""
    officers = session.execute(
        select(User, Org.path).join(Org, Org.id == User.org_id).where(User.role == Role.OFFICER)
    ).all()
    keepers = [(u, path) for u, path in officers if graduate.home_org.path.startswith(path)]
    if not keepers:
        return None
    return Actor.for_user(max(keepers, key=lambda k: len(k[1]))[0])


def overdue_referrals(session: Session, pool: list[Graduate], today: date) -> None:
    """Two referrals the employer has not answered for 20 and 25 days (待反馈), one chased."""
    made = 0
    for g in pool:
        officer = _officer_over(session, g)
        if officer is None or made == 2:
            continue
        on = today - timedelta(days=20 + 5 * made)
        post = session.scalar(
            select(Position)
            .join(Employer, Employer.id == Position.employer_id)
            .where(open_position_filter(on), Position.kind == PositionKind.JOB)
            .order_by(Position.id)
            .offset(made)
            .limit(1)
        )
        if post is None:
            return
        referral = refer(session, officer, g.id, post.id, on, note="专业对口，请尽快安排面试")
        if made == 1:
            chase(session, officer, referral.id, today)
        made += 1
