"""What the employer's pages tell beside the rows: how many graduates each post has waiting and
interested, the interview scheduled for a referral, and 录用's confirmation in words."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .. import clock
from ..models import (
    WAITING_STATES,
    Graduate,
    Interest,
    InterestKind,
    Position,
    Referral,
    ReferralState,
    ReferralStep,
)


def counts_per_post(session: Session, ids: list[int]) -> dict[int, dict[str, int]]:
    """Post id → graduates interested and referrals waiting for a result."""
    per_post: dict[int, dict[str, int]] = {pid: {"interest": 0, "waiting": 0} for pid in ids}
    if not ids:
        return per_post
    for pid, n in session.execute(
        select(Interest.position_id, func.count())
        .where(Interest.position_id.in_(ids), Interest.kind == InterestKind.INTERESTED)
        .group_by(Interest.position_id)
    ):
        per_post[pid]["interest"] = n
    for pid, n in session.execute(
        select(Referral.position_id, func.count())
        .where(Referral.position_id.in_(ids), Referral.state.in_(WAITING_STATES))
        .group_by(Referral.position_id)
    ):
        per_post[pid]["waiting"] = n
    return per_post


def scheduled_interview(referral: Referral) -> ReferralStep | None:
    """The referral's latest interview step with its time, if any."""
    interviews = [
        s for s in referral.steps if s.state == ReferralState.INTERVIEW and s.interview_at
    ]
    return interviews[-1] if interviews else None


def hire_words(referral: Referral, graduate: Graduate, position: Position, on: date) -> str:
    """录用's confirmation: who, which post, from when, what follows — and a word when the
    interview scheduled for them has not happened by the hire's date."""
    words = (
        f"确认于 {on} 录用 {graduate.name} 到岗位“{position.title}”？录用后将记录“实现就业”"
        "（见习岗位为“实习见习”）服务、更新其就业状态，并计入统计，不能撤销。"
    )
    interview = scheduled_interview(referral)
    if interview is not None and interview.interview_at is not None:
        when = clock.china_time(interview.interview_at)
        if when.date() > on or when > clock.now():
            words += (
                f"注意：为其安排的面试在 {when:%Y-%m-%d %H:%M}（北京时间），尚未进行；"
                "如未面试即录用，请确认。"
            )
    return words
