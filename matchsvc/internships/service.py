"""就业见习, as the 人社 systems run it. An approved employer becomes a 见习基地 for a period
(approved by the union or the local 人社). A graduate signs up for one of its 见习岗位 (报名); the
见习协议 fixes the start, the planned months (3–12) and the monthly 生活补助 the base pays
(已签协议); nobody goes on the post (在岗) without it and a 人身意外伤害保险 record covering the whole
period. The period ends at its planned end (期满) or earlier, with a reason (提前终止); then the
base keeps the intern (留用: records 实现就业, with its follow-ups) or not (未留用: the graduate's
recommendations resume — while signed, on the post or waiting for the decision they are paused).

Going on the post records the 实习见习 service (item 07, by the base's union org), unless a
referral's 录用 to the same post already did."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from .. import clock
from ..actors import Actor
from ..archives import service as archives
from ..assistance.service import record_service
from ..audit import record
from ..errors import Conflict, DomainError, NotFound
from ..jurisdiction import can_edit, org_in_region
from ..models import (
    OPEN_INTERNSHIP_STATES,
    Approver,
    Employer,
    EmployerStatus,
    Graduate,
    HireSource,
    Internship,
    InternshipBase,
    InternshipState,
    Org,
    Position,
    PositionKind,
    Referral,
    ReferralState,
    ServiceKind,
    ServiceRecord,
)

MIN_MONTHS, MAX_MONTHS = 3, 12
S = InternshipState


def approve_base(
    session: Session,
    actor: Actor,
    employer: Employer,
    approver: Approver,
    approval_ref: str,
    approved_from: date,
    approved_until: date,
) -> InternshipBase:
    """Record (or renew) an employer's approval as a 见习基地; the base is kept by the union
    org that approved the employer."""
    org = session.get_one(Org, employer.org_id)
    if not org_in_region(actor, org):
        raise NotFound("该用人单位不在您的管辖范围内", field="employer_id")
    if employer.status != EmployerStatus.APPROVED:
        raise DomainError("只有已审核通过的用人单位可以认定为见习基地", field="employer_id")
    ref = approval_ref.strip()
    if not ref or len(ref) > 100:
        raise DomainError("请填写批准文号（不超过100个字）", field="approval_ref")
    if approved_until < approved_from:
        raise DomainError("认定截止日期不能早于起始日期", field="approved_until")
    base = session.scalar(select(InternshipBase).where(InternshipBase.employer_id == employer.id))
    if base is None:
        base = InternshipBase(employer_id=employer.id, org_id=org.id, created_by_id=actor.user_id)
        session.add(base)
    base.approver, base.approval_ref = approver, ref
    base.approved_from, base.approved_until = approved_from, approved_until
    session.flush()
    record(
        session, actor, "internship_base", base, org_id=org.id,
        details={"approver": approver.value, "from": approved_from.isoformat(),
                 "until": approved_until.isoformat()},
    )  # fmt: skip
    return base


def base_of(session: Session, position: Position) -> InternshipBase | None:
    return session.scalar(
        select(InternshipBase).where(InternshipBase.employer_id == position.employer_id)
    )


def planned_end(internship: Internship) -> date:
    """The last planned day: `planned_months` from the start, less a day."""
    assert internship.starts_on is not None and internship.planned_months is not None
    return clock.add_months(internship.starts_on, internship.planned_months) - timedelta(days=1)


def last_day(internship: Internship) -> date | None:
    """The last day on the post: the day it ended, else the planned end (None before 在岗)."""
    if internship.on_post_from is None:
        return None
    return internship.ended_on or planned_end(internship)


def open_internship(session: Session, graduate_id: int) -> Internship | None:
    return session.scalar(
        select(Internship).where(
            Internship.graduate_id == graduate_id, Internship.state.in_(OPEN_INTERNSHIP_STATES)
        )
    )


def agreements_of(session: Session, graduate_id: int) -> list[tuple[Internship, date | None]]:
    """A graduate's 见习协议, the latest first, each with its planned end (once signed)."""
    rows = session.scalars(
        select(Internship)
        .where(Internship.graduate_id == graduate_id)
        .order_by(Internship.id.desc())
    )
    return [(i, planned_end(i) if i.starts_on else None) for i in rows]


def apply(
    session: Session, actor: Actor, graduate: Graduate, position: Position, on: date
) -> Internship:
    """报名: the graduate signs up for a base's 见习岗位 (one open agreement at a time)."""
    if not can_edit(session, actor, graduate):
        raise NotFound("未找到该毕业生，或不在您的管辖范围内")
    archives.refuse_unless_active(graduate, "报名就业见习")
    if position.kind != PositionKind.INTERNSHIP:
        raise DomainError("只能报名见习岗位", field="position_id")
    base = base_of(session, position)
    if base is None or not base.approved_on(on):
        raise DomainError("该单位不是有效期内的见习基地", field="position_id")
    current = open_internship(session, graduate.id)
    if current is not None:
        raise Conflict(
            f"{graduate.name} 已有一份{current.state.label}的见习协议，结束后才能再报名",
            field="position_id",
        )
    internship = Internship(
        graduate_id=graduate.id,
        base_id=base.id,
        position_id=position.id,
        state=S.APPLIED,
        applied_on=on,
        created_by_id=actor.user_id,
    )
    session.add(internship)
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError:  # another sign-up for the same graduate won the race
        raise Conflict(f"{graduate.name} 已有一份未结束的见习协议", field="position_id") from None
    _audit(session, actor, internship, "applied", on)
    return internship


def _expect(internship: Internship, *states: InternshipState) -> None:
    if internship.state not in states:
        wanted = "、".join(s.label for s in states)
        raise Conflict(f"该见习协议现为“{internship.state.label}”，此操作只适用于：{wanted}")


def sign(
    session: Session,
    actor: Actor,
    internship: Internship,
    *,
    signed_on: date,
    starts_on: date,
    months: int,
    allowance: int,
) -> None:
    """已签协议: the agreement's terms."""
    _expect(internship, S.APPLIED)
    if not MIN_MONTHS <= months <= MAX_MONTHS:
        raise DomainError(f"见习期限须为 {MIN_MONTHS} 至 {MAX_MONTHS} 个月", field="months")
    if allowance <= 0:
        raise DomainError("请填写见习单位每月发放的生活补助（元）", field="allowance")
    if starts_on < signed_on:
        raise DomainError("见习开始日期不能早于签订日期", field="starts_on")
    if not internship.base.approved_on(starts_on):
        raise DomainError(
            f"见习基地认定期为 {internship.base.approved_from} 至 "
            f"{internship.base.approved_until}，开始日期不在其内",
            field="starts_on",
        )
    internship.state, internship.signed_on = S.SIGNED, signed_on
    internship.starts_on, internship.planned_months = starts_on, months
    internship.allowance = allowance
    session.flush()
    _audit(session, actor, internship, "signed", signed_on)


def insure(
    session: Session,
    actor: Actor,
    internship: Internship,
    *,
    policy_no: str,
    insurer: str,
    insured_from: date,
    insured_until: date,
) -> None:
    """The 人身意外伤害保险 record (before going on the post, or renewed while on it)."""
    _expect(internship, S.APPLIED, S.SIGNED, S.ON_POST)
    number = policy_no.strip()
    if not number or len(number) > 60:
        raise DomainError("请填写保险单号（不超过60个字符）", field="policy_no")
    if insured_until < insured_from:
        raise DomainError("保险止期不能早于起期", field="insured_until")
    internship.policy_no = number
    internship.insurer = insurer.strip()[:100] or None
    internship.insured_from, internship.insured_until = insured_from, insured_until
    session.flush()
    _audit(session, actor, internship, "insured", insured_from)


def start(session: Session, actor: Actor, internship: Internship, on: date) -> None:
    """在岗: only with a signed agreement and insurance from that day to the planned end."""
    _expect(internship, S.SIGNED)
    assert internship.starts_on is not None
    end = planned_end(internship)
    if on < internship.starts_on or on > end:
        raise DomainError(f"上岗日期须在协议期 {internship.starts_on} 至 {end} 之内", field="on")
    if internship.policy_no is None or internship.insured_from is None:
        raise DomainError("尚未登记人身意外伤害保险，不能上岗", field="on")
    assert internship.insured_until is not None
    if internship.insured_from > on or internship.insured_until < end:
        raise DomainError(
            f"保险期间 {internship.insured_from} 至 {internship.insured_until} "
            f"未覆盖见习期 {on} 至 {end}，请先续保",
            field="on",
        )
    internship.state, internship.on_post_from = S.ON_POST, on
    if not _hired_by_referral(session, internship):
        service = _service(session, actor, internship, ServiceKind.INTERNSHIP, on, "就业见习")
        internship.service_record_id = service.id
    session.flush()
    _audit(session, actor, internship, "on_post", on)


def _hired_by_referral(session: Session, internship: Internship) -> bool:
    return (
        session.scalar(
            select(Referral.id).where(
                Referral.graduate_id == internship.graduate_id,
                Referral.position_id == internship.position_id,
                Referral.state == ReferralState.HIRED,
            )
        )
        is not None
    )


def complete(session: Session, actor: Actor, internship: Internship, today: date) -> None:
    """期满: the planned end has come."""
    _expect(internship, S.ON_POST)
    end = planned_end(internship)
    if today < end:
        raise DomainError(f"见习期 {end} 才满；提前结束请办理“提前终止”", field="on")
    internship.state, internship.ended_on = S.COMPLETED, end
    session.flush()
    _audit(session, actor, internship, "completed", end)


def terminate(
    session: Session, actor: Actor, internship: Internship, on: date, reason: str
) -> None:
    """提前终止 on `on` (the last day on the post), with the reason."""
    _expect(internship, S.SIGNED, S.ON_POST)
    why = reason.strip()
    if not why:
        raise DomainError("请填写提前终止的原因", field="reason")
    first = internship.on_post_from or internship.signed_on
    assert first is not None
    end = planned_end(internship)
    if on < first or on > end:
        raise DomainError(f"终止日期须在 {first} 至 {end} 之间", field="on")
    internship.state, internship.ended_on = S.TERMINATED, on
    internship.end_reason = why[:300]
    session.flush()
    _audit(session, actor, internship, "terminated", on)


def decide(
    session: Session, actor: Actor, internship: Internship, retained: bool, on: date
) -> None:
    """留用 (the base hires the intern: 实现就业 with its follow-ups) or 未留用."""
    _expect(internship, S.COMPLETED, S.TERMINATED)
    assert internship.ended_on is not None
    if on < internship.ended_on:
        raise DomainError(f"日期不能早于见习结束日 {internship.ended_on}", field="on")
    if retained and internship.on_post_from is None:
        raise DomainError("未上岗的见习人员不能记为留用", field="on")
    internship.state = S.RETAINED if retained else S.NOT_RETAINED
    internship.decided_on = on
    if retained:
        _service(session, actor, internship, ServiceKind.EMPLOYED, on, "见习留用")
    session.flush()
    _audit(session, actor, internship, internship.state.value, on)


def _service(
    session: Session,
    actor: Actor,
    internship: Internship,
    kind: ServiceKind,
    on: date,
    what: str,
) -> ServiceRecord:
    """A service record given by the base's union org (recorded with its reach, whoever enters
    it); a 实现就业 opens the hire at the base's post."""
    graduate = session.get_one(Graduate, internship.graduate_id)
    org = session.get_one(Org, internship.base.org_id)
    where = f"{internship.base.employer.name} {internship.position.title}"
    as_org = Actor(
        role=actor.role, label=actor.label, user_id=actor.user_id, org_id=org.id,
        org_path=org.path,
    )  # fmt: skip
    return record_service(
        session, as_org, graduate, kind=kind, on=on, org=org, remark=f"{what}：{where}",
        hire_source=HireSource.RECORDED, position_id=internship.position_id, workplace=where,
    )  # fmt: skip


def _audit(session: Session, actor: Actor, internship: Internship, step: str, on: date) -> None:
    record(
        session, actor, "internship_step", internship, org_id=internship.base.org_id,
        details={"state": step, "on": on.isoformat()},
    )  # fmt: skip
