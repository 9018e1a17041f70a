"""待反馈: a referral (or an application) the employer has not answered — no 面试, 录用 or 未录用 —
FEEDBACK_DAYS (MATCHSVC_FEEDBACK_DAYS, 15) after it was made. The employer sees it first on 我的单位
and is told once by the nightly job; the referring org sees it on its work list with a 催办 action
(audited, the employer notified). The share answered in time is shown per employer and per org."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import ColumnElement, Select, and_, exists, false, func, select
from sqlalchemy.orm import Session

from .. import audit, clock
from ..actors import Actor
from ..errors import Conflict, NotFound
from ..jurisdiction import org_column_in_region
from ..models import (
    Employer,
    Graduate,
    Org,
    Position,
    Referral,
    ReferralState,
    ReferralStep,
    Role,
    utcnow,
)
from ..notices.service import employer_users, notify

DEFAULT_DAYS = 15
_days = DEFAULT_DAYS

#: The employer's answers to a referral.
ANSWERS = (ReferralState.INTERVIEW, ReferralState.HIRED, ReferralState.REJECTED)


def configure(days: int | None) -> None:
    global _days
    _days = DEFAULT_DAYS if days is None else days


def days() -> int:
    return _days


def referred_on() -> ColumnElement[date]:
    """The date the referral (or application) was made: its first step."""
    return (
        select(func.min(ReferralStep.on_date))
        .where(ReferralStep.referral_id == Referral.id)
        .correlate(Referral)
        .scalar_subquery()
    )


def overdue(on: date) -> ColumnElement[bool]:
    """Still 推荐 / 应聘 (no answer: its only step is the first) and made by the deadline — an
    EXISTS the database answers with a semi-join on the step's index."""
    made_by = exists().where(
        ReferralStep.referral_id == Referral.id,
        ReferralStep.on_date <= on - timedelta(days=_days),
    )
    return and_(Referral.state == ReferralState.REFERRED, made_by)


def _reach(actor: Actor) -> ColumnElement[bool]:
    """The referring org's subtree for staff (an application's org is the home org); an
    employer's own positions."""
    if actor.role == Role.EMPLOYER:
        return Position.employer_id == actor.employer_id if actor.employer_id else false()
    if actor.role not in (Role.OFFICER, Role.HQ):
        return false()
    return org_column_in_region(actor, Referral.org_id)


def awaiting_feedback(
    actor: Actor, on: date | None = None
) -> Select[Referral, Graduate, Position, Employer]:
    return _with_names(actor).where(overdue(on or clock.today()))


def _with_names(actor: Actor) -> Select[Referral, Graduate, Position, Employer]:
    """Referrals within the actor's reach, with what a line names: graduate, post, employer."""
    return (
        select(Referral, Graduate, Position, Employer)
        .join(Graduate, Graduate.id == Referral.graduate_id)
        .join(Position, Position.id == Referral.position_id)
        .join(Employer, Employer.id == Position.employer_id)
        .where(_reach(actor))
    )


def awaiting_count(session: Session, actor: Actor, on: date | None = None) -> int:
    query = awaiting_feedback(actor, on)
    return session.scalar(select(func.count()).select_from(query.subquery())) or 0


def waited_days(referral: Referral, on: date | None = None) -> int:
    first = min((s.on_date for s in referral.steps), default=on or clock.today())
    return ((on or clock.today()) - first).days


def chase(session: Session, actor: Actor, referral_id: int, on: date | None = None) -> Referral:
    """催办: remind the employer of a referral past its answer deadline (audited)."""
    on = on or clock.today()
    found = session.execute(
        _with_names(actor).where(Referral.id == referral_id).with_for_update(of=Referral)
    ).first()
    if found is None or actor.role not in (Role.OFFICER, Role.HQ):
        raise NotFound("没有该推荐，或不在您的管辖范围内")
    referral, graduate, position, employer = found
    if referral.state != ReferralState.REFERRED:
        raise Conflict(f"用人单位已答复（{referral.state.label}），无需催办")
    waited = waited_days(referral, on)
    if waited < _days:
        raise Conflict(f"推荐才 {waited} 天，未超过 {_days} 天的答复期限，暂不能催办")
    referral.chased_at = utcnow()
    referral.chase_count += 1
    org = session.get(Org, actor.org_id) if actor.org_id else None
    who = org.name if org else "工会"
    notify(
        session,
        employer_users(session, employer.id),
        f"{who}催办：{graduate.name} 应聘/推荐到岗位“{position.title}”已 {waited} 天未答复，"
        "请安排面试或告知结果。",
        f"/employer/positions/{position.id}",
        "推荐催办",
    )
    audit.record(
        session,
        actor,
        "referral_chased",
        referral,
        org_id=referral.org_id,
        details={"days": waited, "count": referral.chase_count},
    )
    return referral


def notify_overdue(session: Session, on: date) -> int:
    """The nightly job: tell each employer once about its referrals that passed the deadline
    (one notice per employer). Returns the referrals noticed."""
    rows = session.execute(
        select(Referral, Position)
        .join(Position, Position.id == Referral.position_id)
        .where(overdue(on), Referral.overdue_noticed_at.is_(None))
        .order_by(Position.employer_id, Referral.id)
        .with_for_update(of=Referral)
    ).all()
    by_employer: dict[int, list[tuple[Referral, Position]]] = {}
    for referral, position in rows:
        by_employer.setdefault(position.employer_id, []).append((referral, position))
    now = utcnow()
    for employer_id, items in by_employer.items():
        titles = "、".join(sorted({p.title for _, p in items})[:3])
        notify(
            session,
            employer_users(session, employer_id),
            f"有 {len(items)} 条推荐或应聘（岗位：{titles}）已超过 {_days} 天未答复，"
            "请在“我的单位”安排面试或告知结果。",
            "/employer/",
            "推荐待反馈",
        )
        for referral, _ in items:
            referral.overdue_noticed_at = now
    return len(rows)


@dataclass(frozen=True)
class AnswerRate:
    key: int
    name: str
    #: Referrals whose deadline has passed or that were answered.
    counted: int
    in_time: int

    @property
    def share(self) -> float | None:
        return self.in_time / self.counted if self.counted else None


def answer_rates(
    session: Session, actor: Actor, *, by: str, on: date | None = None, key: int | None = None
) -> list[AnswerRate]:
    """The share of referrals the employer answered within the deadline, per employer
    (`by="employer"`) or per referring org (`by="org"`), within the actor's reach."""
    on = on or clock.today()
    answered_on = (
        select(func.min(ReferralStep.on_date))
        .where(ReferralStep.referral_id == Referral.id, ReferralStep.state.in_(ANSWERS))
        .correlate(Referral)
        .scalar_subquery()
    )
    group, name = (Employer.id, Employer.name) if by == "employer" else (Org.id, Org.name)
    query = (
        select(group, name, referred_on(), answered_on)
        .select_from(Referral)
        .join(Position, Position.id == Referral.position_id)
        .join(Employer, Employer.id == Position.employer_id)
        .join(Org, Org.id == Referral.org_id)
        .where(_reach(actor), Referral.state != ReferralState.CLOSED)
    )
    if key is not None:
        query = query.where(group == key)
    names: dict[int, str] = {}
    counted: dict[int, int] = {}
    in_time: dict[int, int] = {}
    for group_id, label, first, answer in session.execute(query):
        if first is None or (answer is None and (on - first).days < _days):
            continue  # unanswered and still within its deadline: not counted yet
        names[group_id] = label
        counted[group_id] = counted.get(group_id, 0) + 1
        if answer is not None and (answer - first).days <= _days:
            in_time[group_id] = in_time.get(group_id, 0) + 1
    return sorted(
        (AnswerRate(k, names[k], counted[k], in_time.get(k, 0)) for k in counted),
        key=lambda r: (r.share if r.share is not None else 1.0, r.name),
    )
