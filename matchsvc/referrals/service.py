"""Referrals close the loop: 推荐 → 面试 → 录用 / 未录用, each step dated; a hire records the
service (实现就业, or 实习见习 for an internship) and the status, and fills the position when its
headcount is reached. Graduates' interest and declines are in `interest.py`."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Select, delete, func, select
from sqlalchemy.orm import Session

from .. import audit, clock
from ..actors import Actor
from ..assistance.service import record_service
from ..errors import DomainError, Forbidden, NotFound
from ..jurisdiction import get_graduate, graduate_scope, org_in_region
from ..models import (
    WAITING_STATES,
    Employer,
    EmployerStatus,
    Graduate,
    HireSource,
    Interest,
    InterestKind,
    Org,
    Position,
    PositionKind,
    PositionStatus,
    Referral,
    ReferralSource,
    ReferralState,
    ReferralStep,
    Role,
    ServiceKind,
    User,
)
from ..notices.service import employer_users, graduate_user, notify, officers_of

#: How the hire came about, as the 实现就业 service's remark says it.
HIRED_HOW = {
    ReferralSource.OFFICER: "经推荐录用",
    ReferralSource.APPLICATION: "经应聘录用",
    ReferralSource.INTEREST: "经意向录用",
}

HIRE_SOURCE = {
    ReferralSource.OFFICER: HireSource.REFERRAL,
    ReferralSource.APPLICATION: HireSource.APPLICATION,
    ReferralSource.INTEREST: HireSource.APPLICATION,
}

NEXT = {
    ReferralState.REFERRED: (ReferralState.INTERVIEW, ReferralState.HIRED, ReferralState.REJECTED),
    ReferralState.INTERVIEW: (ReferralState.HIRED, ReferralState.REJECTED),
}


def get_referral(session: Session, actor: Actor, referral_id: int) -> Referral:
    """The referral if the actor may act on it: the position's employer, or an officer whose
    region holds the referring org or who may see the graduate."""
    referral = session.get(Referral, referral_id)
    if referral is None:
        raise NotFound("没有该推荐记录")
    position = session.get(Position, referral.position_id)
    assert position is not None
    if actor.role == Role.EMPLOYER:
        if position.employer_id != actor.employer_id:
            raise NotFound("没有该推荐记录")
        return referral
    if actor.role in (Role.OFFICER, Role.HQ):
        org = session.get(Org, referral.org_id)
        visible = session.scalar(
            select(Graduate.id).where(Graduate.id == referral.graduate_id, graduate_scope(actor))
        )
        if (org is not None and org_in_region(actor, org)) or visible is not None:
            return referral
    raise NotFound("没有该推荐记录")


def record_step(
    session: Session,
    actor: Actor,
    referral: Referral,
    state: ReferralState,
    on: date,
    reason: str | None = None,
    today: date | None = None,
    *,
    interview_at: datetime | None = None,
    place: str | None = None,
) -> ReferralStep:
    """The next step of a referral (or application), dated; an interview has a time and a
    place; a hire records the service and the status. The graduate and the officers concerned
    are notified.

    The referral's row is locked and read again, so parallel requests for one referral take
    turns (the second sees the first's step); a hire also locks the position, so parallel
    hires count each other against the headcount."""
    session.execute(
        select(Referral)
        .where(Referral.id == referral.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    session.refresh(referral, attribute_names=["steps"])
    allowed = NEXT.get(referral.state, ())
    if state not in allowed:
        raise DomainError(f"“{referral.state.label}”之后不能记为“{state.label}”", field="state")
    reason = (reason or "").strip() or None
    if state == ReferralState.REJECTED and not reason:
        raise DomainError("未录用须填写原因", field="reason")
    last = max((s.on_date for s in referral.steps), default=on)
    if on < last:
        raise DomainError(f"日期不能早于上一步（{last}）", field="on")
    if on > (today or clock.today()):
        raise DomainError("日期不能晚于今天", field="on")
    place = (place or "").strip() or None
    if state == ReferralState.INTERVIEW:
        if interview_at is None:
            raise DomainError("请填写面试时间", field="interview_at")
        if place is None:
            raise DomainError("请填写面试地点", field="place")
        if clock.china_date(interview_at) < on:
            raise DomainError("面试时间不能早于记录日期", field="interview_at")
    else:
        interview_at, place = None, None
    position = session.get(Position, referral.position_id)
    graduate = session.get(Graduate, referral.graduate_id)
    assert position is not None and graduate is not None
    if state == ReferralState.HIRED:
        session.execute(select(Position.id).where(Position.id == position.id).with_for_update())
        hires = session.scalar(
            select(func.count()).where(
                Referral.position_id == position.id, Referral.state == ReferralState.HIRED
            )
        )
        if (hires or 0) >= position.headcount:
            raise DomainError("该岗位已招满")
    step = ReferralStep(
        referral_id=referral.id,
        state=state,
        on_date=on,
        reason=reason,
        interview_at=interview_at,
        place=place,
        recorded_by_id=actor.user_id,
    )
    session.add(step)
    referral.state = state
    session.flush()
    if state == ReferralState.HIRED:
        org = session.get(Org, referral.org_id)
        assert org is not None
        # the service is the referring org's, recorded with its reach whoever enters the hire
        as_org = Actor(
            role=Role.OFFICER,
            label=actor.label,
            user_id=actor.user_id,
            org_id=org.id,
            org_path=org.path,
        )
        kind = HIRE_SERVICE.get(position.kind, ServiceKind.EMPLOYED)
        employer = position.employer
        record_service(
            session,
            as_org,
            graduate,
            kind=kind,
            on=on,
            org=org,
            remark=f"{HIRED_HOW[referral.source]}：{employer.name} {position.title}",
            hire_source=HIRE_SOURCE[referral.source],
            position_id=position.id,
            workplace=f"{employer.name} {position.title}",
        )
        if (hires or 0) + 1 >= position.headcount:
            position.status = PositionStatus.FILLED
    audit.record(
        session,
        actor,
        "referral_step",
        referral,
        org_id=referral.org_id,
        details={"state": state.value, "on": on.isoformat()},
    )
    _tell(session, referral, position, graduate, step)
    return step


#: What a 录用 records: 实现就业, but 实习见习 for an internship and a 勤工俭学 placement of its own
#: kind (no employment status, no follow-ups) for a student's summer post.
HIRE_SERVICE = {
    PositionKind.INTERNSHIP: ServiceKind.INTERNSHIP,
    PositionKind.WORK_STUDY: ServiceKind.WORK_STUDY,
}


def _tell(
    session: Session, referral: Referral, position: Position, graduate: Graduate, step: ReferralStep
) -> None:
    """The graduate hears of each step; the home org's officers and the referring officer too."""
    what = f"{position.employer.name}「{position.title}」"
    if step.state == ReferralState.INTERVIEW:
        assert step.interview_at is not None
        when = clock.china_time(step.interview_at).strftime("%Y-%m-%d %H:%M")
        text = f"面试通知：{what}，时间 {when}（北京时间），地点 {step.place}。"
        subject = "面试通知"
    elif step.state == ReferralState.HIRED:
        text, subject = f"录用通知：{what}已录用。", "录用通知"
    else:
        text, subject = f"{what}：未录用（{step.reason}）。", "应聘结果"
    notify(
        session,
        graduate_user(session, graduate.id),
        text,
        f"/me/positions/{position.id}",
        subject,
    )
    staff = officers_of(session, graduate.home_org_id)
    if referral.referred_by_id is not None:
        referrer = session.get(User, referral.referred_by_id)
        staff += [referrer] if referrer is not None and referrer.is_active else []
    notify(session, staff, f"{graduate.name}：{text}", f"/graduates/{graduate.id}", subject)


def is_open(position: Position, on: date) -> bool:
    """Open on the day: to referrals, applications and the graduate's page alike."""
    return position.status == PositionStatus.OPEN and (
        position.closes_on is None or position.closes_on >= on
    )


def not_looking_words(graduate: Graduate) -> str | None:
    """Why a graduate may not apply now (their status says they are not looking), or None."""
    if graduate.is_looking:
        return None
    return f"您的就业状态是「{graduate.status.label}」；如仍在求职，请先在首页点“我仍在求职”说明"


def apply(session: Session, actor: Actor, position_id: int, on: date, note: str = "") -> Referral:
    """我要应聘: the graduate applies to an open position. It moves like a referral (面试 /
    录用 / 未录用) and its hire counts for the graduate's home org; the employer and the home
    org's officers are told."""
    if actor.role != Role.GRADUATE or actor.graduate_id is None:
        raise Forbidden("只有毕业生本人可以应聘")
    graduate = session.get(Graduate, actor.graduate_id)
    position = session.get(Position, position_id)
    if graduate is None or position is None or position.employer.status != EmployerStatus.APPROVED:
        raise NotFound("没有该岗位")
    if not is_open(position, on):
        raise DomainError("该岗位已截止、关闭或招满，不能应聘")
    if (words := not_looking_words(graduate)) is not None:
        raise DomainError(words)
    check_student_fit(graduate, position, on)
    existing = find_referral(session, graduate.id, position.id)
    if existing is not None:
        raise DomainError(
            "您已应聘过这个岗位"
            if existing.source != ReferralSource.OFFICER
            else "工会已推荐您应聘该岗位"
        )
    referral = open_referral(
        session, actor, graduate, position, ReferralSource.APPLICATION, on, note=note.strip()[:500]
    )
    # an application replaces a decline of the same post
    session.execute(
        delete(Interest).where(
            Interest.graduate_id == graduate.id, Interest.position_id == position.id
        )
    )
    audit.record(
        session,
        actor,
        "apply",
        referral,
        org_id=graduate.home_org_id,
        details={"position_id": position.id},
    )
    notify(
        session,
        employer_users(session, position.employer_id),
        f"新的应聘：有毕业生应聘「{position.title}」。",
        f"/employer/positions/{position.id}",
        "新的应聘",
    )
    notify(
        session,
        officers_of(session, graduate.home_org_id),
        f"{graduate.name} 应聘了 {position.employer.name}「{position.title}」。",
        f"/graduates/{graduate.id}",
        "毕业生应聘",
    )
    return referral


def find_referral(session: Session, graduate_id: int, position_id: int) -> Referral | None:
    """The graduate's referral or application to the position (there is at most one)."""
    return session.scalar(
        select(Referral).where(
            Referral.graduate_id == graduate_id, Referral.position_id == position_id
        )
    )


def open_referral(
    session: Session,
    actor: Actor,
    graduate: Graduate,
    position: Position,
    source: ReferralSource,
    on: date,
    *,
    note: str | None = None,
) -> Referral:
    """The first step (推荐, or 应聘): an officer's referral is its org's and the officer's;
    an application or taken-up interest is the graduate's home org's, by nobody."""
    by_officer = source == ReferralSource.OFFICER
    referral = Referral(
        graduate_id=graduate.id,
        position_id=position.id,
        org_id=actor.org_id if by_officer else graduate.home_org_id,
        source=source,
        referred_by_id=actor.user_id if by_officer else None,
    )
    referral.steps.append(
        ReferralStep(
            state=ReferralState.REFERRED,
            on_date=on,
            reason=(note or "").strip() or None,
            recorded_by_id=actor.user_id,
        )
    )
    session.add(referral)
    session.flush()
    return referral


@dataclass
class Applied:
    created: int
    skipped: list[str]


def check_student_fit(graduate: Graduate, position: Position, on: date) -> None:
    """勤工俭学 posts are for students at university, every other post for graduates."""
    student = graduate.is_student(on)
    if position.kind == PositionKind.WORK_STUDY and not student:
        raise DomainError("勤工俭学岗位只面向在校生（暑期返乡的大学生）")
    if student and position.kind != PositionKind.WORK_STUDY:
        raise DomainError(
            f"{graduate.name} 是在校生（{graduate.graduation_year} 年毕业），只能推荐勤工俭学岗位"
        )


def refer(
    session: Session,
    actor: Actor,
    graduate_id: int,
    position_id: int,
    on: date,
    note: str | None = None,
) -> Referral:
    """An officer refers a graduate to a position (推荐): within reach, open, not declined, once."""
    if actor.role not in (Role.OFFICER, Role.HQ):
        raise Forbidden("只有工会工作人员可以推荐")
    graduate = get_graduate(session, actor, graduate_id)
    position = session.get(Position, position_id)
    if position is None:
        raise NotFound("没有该岗位")
    if not is_open(position, on):
        raise DomainError("该岗位已关闭、招满或过期，不能推荐")
    check_student_fit(graduate, position, on)
    declined = session.scalar(
        select(Interest.id).where(
            Interest.graduate_id == graduate.id,
            Interest.position_id == position.id,
            Interest.kind == InterestKind.DECLINED,
        )
    )
    if declined is not None:
        raise DomainError("该毕业生已表示对这个岗位不感兴趣")
    if find_referral(session, graduate.id, position.id) is not None:
        raise DomainError("已推荐过该毕业生到这个岗位")
    referral = open_referral(
        session, actor, graduate, position, ReferralSource.OFFICER, on, note=note
    )
    audit.record(
        session,
        actor,
        "refer",
        referral,
        org_id=actor.org_id,
        details={"graduate_id": graduate.id, "position_id": position.id},
    )
    return referral


def apply_plan(
    session: Session, actor: Actor, lines: Iterable[tuple[int, int]], on: date
) -> Applied:
    """Turn accepted plan lines into referrals; a line that no longer holds is skipped with why."""
    created, skipped = 0, []
    for graduate_id, position_id in lines:
        try:
            with session.begin_nested():
                refer(session, actor, graduate_id, position_id, on, note="来自安置方案")
            created += 1
        except (DomainError, Forbidden, NotFound) as err:
            skipped.append(f"毕业生 {graduate_id} → 岗位 {position_id}：{err.message}")
    return Applied(created, skipped)


def waiting(actor: Actor) -> Select[Referral, Graduate, Position, Employer]:
    """Referrals of graduates the actor sees that wait for a result, with what a list shows."""
    return (
        select(Referral, Graduate, Position, Employer)
        .join(Graduate, Graduate.id == Referral.graduate_id)
        .join(Position, Position.id == Referral.position_id)
        .join(Employer, Employer.id == Position.employer_id)
        .where(Referral.state.in_(WAITING_STATES), graduate_scope(actor))
    )
