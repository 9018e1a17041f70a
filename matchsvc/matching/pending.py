"""Referrals and applications still waiting for a result, as a placement plan counts them: each
holds a seat of its post (the plan offers only what is left), and a graduate waiting for a result
is not planned elsewhere meanwhile — both said in the plan's reasons (issue: overbooking)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Employer, Position, Referral, ReferralSource, ReferralState
from .engine.placement import Plan, Unplaced

#: Waiting for the employer's result.
IN_PROGRESS = (ReferralState.REFERRED, ReferralState.INTERVIEW)


def seats_held(session: Session, position_ids: Iterable[int]) -> Counter[int]:
    """Position id → how many referrals and applications to it wait for a result."""
    ids = list(position_ids)
    held: Counter[int] = Counter()
    for start in range(0, len(ids), 5000):
        held.update(
            session.scalars(
                select(Referral.position_id).where(
                    Referral.position_id.in_(ids[start : start + 5000]),
                    Referral.state.in_(IN_PROGRESS),
                )
            )
        )
    return held


def waiting_graduates(session: Session, graduate_ids: Iterable[int]) -> dict[int, str]:
    """Graduate id → what they wait for ("正在面试：广州地铁 站务员"), for those with a referral or
    an application in progress (the first by date, and how many more)."""
    ids = list(graduate_ids)
    found: dict[int, list[str]] = {}
    for start in range(0, len(ids), 5000):
        rows = session.execute(
            select(
                Referral.graduate_id, Referral.state, Referral.source, Employer.name, Position.title
            )
            .join(Position, Position.id == Referral.position_id)
            .join(Employer, Employer.id == Position.employer_id)
            .where(
                Referral.graduate_id.in_(ids[start : start + 5000]),
                Referral.state.in_(IN_PROGRESS),
            )
            .order_by(Referral.created_at, Referral.id)
        )
        for gid, state, source, employer, title in rows:
            if state == ReferralState.INTERVIEW:
                what = "正在面试"
            elif source == ReferralSource.APPLICATION:
                what = "已应聘，等待用人单位答复"
            else:
                what = "已推荐，等待用人单位答复"
            found.setdefault(gid, []).append(f"{what}：{employer} {title}")
    return {
        gid: items[0]
        + (f"（另有 {len(items) - 1} 个岗位在进行中）" if len(items) > 1 else "")
        + "；结果出来前本方案不另作安排"
        for gid, items in found.items()
    }


def explain_held(plan: Plan, held: Counter[int], waiting: dict[int, str]) -> None:
    """Say in the plan where seats in progress were counted, and who waits for a result."""
    plan.held = {pid: n for pid, n in held.items() if n}
    for line in plan.lines:
        if n := plan.held.get(line.position_id):
            line.reason += f"；该岗位另有 {n} 人在推荐、应聘或面试中，已从名额中扣除"
    prefs = plan.preferences
    for u in plan.unplaced:
        full = [p for p in prefs.get(u.graduate_id, []) if plan.held.get(p)]
        if full:
            u.reason += f"（其中 {len(full)} 个岗位的名额已留给正在推荐、应聘或面试的人）"
    plan.waiting = [Unplaced(gid, text) for gid, text in sorted(waiting.items())]
