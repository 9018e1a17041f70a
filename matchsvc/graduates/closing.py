"""A graduate who takes work elsewhere is no longer waiting on other posts: their referrals and
applications still waiting for a result (推荐 / 应聘 / 面试) are closed, each with a dated step
saying why, audited, and the employer told — so nothing stays 等待结果 or in anyone's 待办."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..actors import Actor
from ..audit import record
from ..models import (
    LOOKING_STATUSES,
    WAITING_STATES,
    Graduate,
    Position,
    Referral,
    ReferralSource,
    ReferralState,
    ReferralStep,
)
from ..notices.service import employer_users, notify


def close_waiting_referrals(
    session: Session, actor: Actor, graduate: Graduate, on: date
) -> list[Referral]:
    """Close what the graduate still waits for, once their status says they work (or study,
    or run a business); nothing while they are still looking. Returns the closed referrals."""
    if graduate.status in LOOKING_STATUSES:
        return []
    return close_referrals(
        session,
        actor,
        graduate,
        on,
        f"毕业生已{graduate.status.label}（{graduate.status_since}），自动关闭",
        "已在别处就业，",
        {"status": graduate.status.value},
    )


def close_referrals(
    session: Session,
    actor: Actor,
    graduate: Graduate,
    on: date,
    reason: str,
    told: str,
    why: dict[str, str],
) -> list[Referral]:
    """Close every referral and application of the graduate still waiting, each with a dated
    step giving `reason`; the employer is told `told` (no more than it needs) and the post."""
    waiting = session.scalars(
        select(Referral)
        .where(Referral.graduate_id == graduate.id, Referral.state.in_(WAITING_STATES))
        .order_by(Referral.id)
        .with_for_update()
    ).all()
    for referral in waiting:
        last = max((s.on_date for s in referral.steps), default=on)
        session.add(
            ReferralStep(
                referral_id=referral.id,
                state=ReferralState.CLOSED,
                on_date=max(on, last),
                reason=reason,
                recorded_by_id=actor.user_id,
            )
        )
        referral.state = ReferralState.CLOSED
        record(
            session,
            actor,
            "referral_closed",
            referral,
            org_id=graduate.home_org_id,
            details={"position_id": referral.position_id, **why},
        )
        position = session.get(Position, referral.position_id)
        if position is not None:
            what = "应聘" if referral.source != ReferralSource.OFFICER else "推荐"
            notify(
                session,
                employer_users(session, position.employer_id),
                f"{graduate.name} {told}岗位“{position.title}”的{what}已关闭，无需再安排面试或答复。",
                f"/employer/positions/{position.id}",
                "推荐已关闭",
            )
    session.flush()
    return list(waiting)
