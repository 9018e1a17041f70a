"""Registering and approving employers, and posting positions."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ..actors import Actor
from ..audit import record
from ..errors import Conflict, DomainError, NotFound, Problems
from ..jurisdiction import org_column_in_region, org_in_region
from ..models import (
    Degree,
    Employer,
    EmployerKind,
    EmployerStatus,
    Position,
    PositionKind,
    PositionMajor,
    PositionStatus,
    Role,
    utcnow,
)
from ..notices.service import employer_users, notify
from ..orgs.service import get_org
from ..validators import parse_contact_phone, parse_credit_code, parse_region_code


def free_credit_code(session: Session, uscc: str) -> str:
    """A valid 统一社会信用代码 that no employer has registered yet."""
    code = parse_credit_code(uscc)
    existing = session.scalar(select(Employer).where(Employer.uscc == code))
    if existing is not None:
        raise Conflict(f"统一社会信用代码 {code} 已登记为“{existing.name}”", field="uscc")
    return code


def register_employer(
    session: Session,
    actor: Actor,
    *,
    name: str,
    uscc: str,
    kind: EmployerKind,
    org_code: str,
    region_code: str | None = None,
    approve: bool = False,
) -> Employer:
    """Register an employer under an org; an officer of that org's region may approve at once."""
    name = name.strip()
    if not name:
        raise DomainError("单位名称不能为空", field="name")
    code = free_credit_code(session, uscc)
    org = get_org(session, org_code)
    if approve and not org_in_region(actor, org):
        raise NotFound("审核单位不在您的管辖范围内", field="org")
    employer = Employer(
        name=name,
        uscc=code,
        kind=kind,
        org_id=org.id,
        region_code=parse_region_code(region_code) if region_code else org.code,
    )
    session.add(employer)
    session.flush()
    record(session, actor, "create", employer, org_id=org.id, details={"uscc": code})
    if approve:
        approve_employer(session, actor, employer)
    return employer


def approve_employer(session: Session, actor: Actor, employer: Employer) -> None:
    if not org_in_region(actor, employer.org):
        raise NotFound("未找到该用人单位，或不在您的管辖范围内")
    employer.status = EmployerStatus.APPROVED
    employer.approved_by_id = actor.user_id
    employer.approved_at = utcnow()
    record(session, actor, "approve", employer, org_id=employer.org_id)


@dataclass
class PositionInput:
    kind: PositionKind
    title: str
    work_region_code: str
    headcount: int
    published_on: date
    description: str | None = None
    majors: list[str] = field(default_factory=list)
    min_degree: Degree | None = None
    pay_min: int | None = None
    pay_max: int | None = None
    closes_on: date | None = None
    #: 勤工俭学 only: the days of the work, hours a week and pay an hour (元).
    work_starts_on: date | None = None
    work_ends_on: date | None = None
    hours_per_week: int | None = None
    pay_per_hour: Decimal | None = None


#: 勤工俭学 happens in the summer holidays: its days fall from June to September of one year.
SUMMER_MONTHS = (6, 9)


def _check_work_study(problems: Problems, data: PositionInput) -> None:
    if data.kind != PositionKind.WORK_STUDY:
        data.work_starts_on = data.work_ends_on = None
        data.hours_per_week = data.pay_per_hour = None
        return
    start, end = data.work_starts_on, data.work_ends_on
    if start is None:
        problems.add("work_starts_on", "请填写勤工俭学的开始日期")
    if end is None:
        problems.add("work_ends_on", "请填写勤工俭学的结束日期")
    if start is not None and end is not None:
        first, last = SUMMER_MONTHS
        if end < start:
            problems.add("work_ends_on", "结束日期不能早于开始日期")
        elif start.year != end.year or not (first <= start.month and end.month <= last):
            problems.add("work_starts_on", "勤工俭学安排在暑期：日期须在同一年的6月至9月之间")
    if data.hours_per_week is None or not 1 <= data.hours_per_week <= 40:
        problems.add("hours_per_week", "请填写每周工作小时数（1–40）")
    if data.pay_per_hour is None or data.pay_per_hour <= 0:
        problems.add("pay_per_hour", "请填写每小时报酬（元）")


def check_position(employer_kind: EmployerKind, data: PositionInput) -> str:
    """The rules a position's fields obey, for posting and editing alike, all refused at once
    (Invalid); the trimmed title."""
    problems = Problems()
    if data.kind == PositionKind.PUBLIC_WELFARE and employer_kind != EmployerKind.PUBLIC_WELFARE:
        problems.add("kind", "只有政府公益性岗位单位可以发布公益性岗位")
    if data.headcount < 1:
        problems.add("headcount", "招聘人数至少为1")
    if data.pay_min is not None and data.pay_max is not None and data.pay_min > data.pay_max:
        problems.add("pay_min", "薪酬下限不能高于上限")
    if data.closes_on is not None and data.closes_on < data.published_on:
        problems.add("closes_on", "截止日期不能早于发布日期")
    _check_work_study(problems, data)
    title = data.title.strip()
    if not title:
        problems.add("title", "岗位名称不能为空")
    problems.raise_any()
    return title


def _manageable(actor: Actor, position: Position) -> Employer:
    """The position's employer, if the actor is it or an officer of its org region."""
    employer = position.employer
    if actor.role == Role.EMPLOYER and actor.employer_id != employer.id:
        raise NotFound("没有该岗位")
    if actor.role in (Role.OFFICER, Role.HQ) and not org_in_region(actor, employer.org):
        raise NotFound("没有该岗位")
    return employer


def create_position(
    session: Session, actor: Actor, employer: Employer, data: PositionInput
) -> Position:
    """Post a position for an approved employer (by the employer or an officer on its behalf)."""
    if employer.status != EmployerStatus.APPROVED:
        raise DomainError("用人单位尚未通过审核，不能发布岗位")
    title = check_position(employer.kind, data)
    duplicate = session.scalar(
        select(Position.id).where(
            Position.employer_id == employer.id,
            Position.title == title,
            Position.published_on == data.published_on,
        )
    )
    if duplicate is not None:
        raise Conflict("该单位同日已发布同名岗位", field="title")
    position = Position(
        employer_id=employer.id,
        kind=data.kind,
        title=title,
        description=data.description,
        min_degree=data.min_degree,
        work_region_code=parse_region_code(data.work_region_code),
        headcount=data.headcount,
        pay_min=data.pay_min,
        pay_max=data.pay_max,
        published_on=data.published_on,
        closes_on=data.closes_on,
        work_starts_on=data.work_starts_on,
        work_ends_on=data.work_ends_on,
        hours_per_week=data.hours_per_week,
        pay_per_hour=data.pay_per_hour,
        created_by_id=actor.user_id,
        majors=[PositionMajor(text=m.strip()) for m in data.majors if m.strip()],
    )
    session.add(position)
    session.flush()
    record(session, actor, "create", position, org_id=employer.org_id)
    return position


def employers_in_region(session: Session, actor: Actor) -> list[Employer]:
    """Employers approved (or waiting) under an org in the actor's region, pending first."""
    from sqlalchemy import case

    stmt = (
        select(Employer)
        .where(org_column_in_region(actor, Employer.org_id))
        .order_by(case((Employer.status == EmployerStatus.PENDING, 0), else_=1), Employer.name)
    )
    return list(session.scalars(stmt))


def get_employer(session: Session, actor: Actor, employer_id: int) -> Employer:
    employer = session.get(Employer, employer_id)
    if employer is None or not org_in_region(actor, employer.org):
        raise NotFound("未找到该用人单位，或不在您的管辖范围内")
    return employer


def reject_employer(
    session: Session, actor: Actor, employer: Employer, reason: str, phone: str
) -> None:
    """不通过: only a pending registration, with the reason and the reviewer's phone, both told
    to the employer (audited). `reopen_employer` undoes it."""
    if not org_in_region(actor, employer.org):
        raise NotFound("未找到该用人单位，或不在您的管辖范围内")
    if employer.status != EmployerStatus.PENDING:
        raise DomainError(f"该单位当前为“{employer.status.label}”，只有待审核的注册可以不通过")
    problems = Problems()
    reason = (reason or "").strip()
    if not reason:
        problems.add("reason", "请写明不通过的原因（会告知用人单位）")
    elif len(reason) > 500:
        problems.add("reason", "原因不超过500字")
    try:
        phone = parse_contact_phone(phone)
    except DomainError as err:
        problems.add("phone", err.message)
    problems.raise_any()
    employer.status = EmployerStatus.REJECTED
    employer.decision_reason, employer.review_phone = reason, phone
    employer.approved_by_id, employer.approved_at = actor.user_id, utcnow()
    record(session, actor, "reject", employer, org_id=employer.org_id, details={"reason": reason})
    notify(
        session,
        employer_users(session, employer.id),
        f"您的注册未通过{employer.org.name}的审核：{reason}。如有疑问，请致电 {phone}；"
        "按要求补正后，工会可重新审核。",
        "/employer/",
        "注册审核",
    )


def reopen_employer(session: Session, actor: Actor, employer: Employer) -> None:
    """撤销不通过: the registration waits for review again (audited; the reason is kept in the
    audit log)."""
    if not org_in_region(actor, employer.org):
        raise NotFound("未找到该用人单位，或不在您的管辖范围内")
    if employer.status != EmployerStatus.REJECTED:
        raise DomainError("只有未通过的注册可以撤销")
    employer.status = EmployerStatus.PENDING
    employer.decision_reason = employer.review_phone = None
    record(session, actor, "reopen", employer, org_id=employer.org_id)


def update_position(
    session: Session, actor: Actor, position: Position, data: PositionInput
) -> Position:
    """Edit a position (its employer, or an officer of the employer's org region)."""
    employer = _manageable(actor, position)
    title = check_position(employer.kind, data)
    position.kind, position.title, position.description = data.kind, title, data.description
    position.min_degree = data.min_degree
    position.work_region_code = parse_region_code(data.work_region_code)
    position.headcount, position.pay_min, position.pay_max = (
        data.headcount,
        data.pay_min,
        data.pay_max,
    )
    position.published_on, position.closes_on = data.published_on, data.closes_on
    position.work_starts_on, position.work_ends_on = data.work_starts_on, data.work_ends_on
    position.hours_per_week, position.pay_per_hour = data.hours_per_week, data.pay_per_hour
    wanted = [m.strip() for m in data.majors if m.strip()]
    if [m.text for m in position.majors] != wanted:
        position.majors = [PositionMajor(text=m) for m in wanted]
    position.updated_at = utcnow()
    session.flush()
    record(session, actor, "update", position, org_id=employer.org_id)
    return position


def set_position_majors(
    session: Session, actor: Actor, position: Position, majors: list[str]
) -> Position:
    """Set what a position requires — an employer or officer confirming the 专业类 read from its
    title (`inferred_names`) or writing the right ones; an empty list means 专业不限."""
    employer = _manageable(actor, position)
    wanted = list(dict.fromkeys(m.strip() for m in majors if m.strip()))
    if len(wanted) > 20 or any(len(m) > 100 for m in wanted):
        raise DomainError("专业要求最多 20 项，每项不超过 100 字", field="majors")
    position.majors = [PositionMajor(text=m) for m in wanted]
    position.updated_at = utcnow()
    session.flush()
    record(session, actor, "majors", position, org_id=employer.org_id, details={"majors": wanted})
    return position


def set_position_status(
    session: Session, actor: Actor, position: Position, status: PositionStatus
) -> None:
    employer = _manageable(actor, position)
    position.status = status
    position.updated_at = utcnow()
    record(
        session, actor, "status", position, org_id=employer.org_id, details={"status": status.value}
    )


def close_expired_positions(session: Session, today: date) -> int:
    """Close open positions whose closing date is before `today`; returns how many."""
    result = session.execute(
        update(Position)
        .where(Position.status == PositionStatus.OPEN, Position.closes_on < today)
        .values(status=PositionStatus.CLOSED)
    )
    return result.rowcount or 0  # type: ignore[attr-defined]
