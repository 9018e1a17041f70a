"""Service records (帮扶记录) and job fairs: recorded, voided with a reason, never deleted."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import clock
from ..actors import Actor
from ..archives import service as archives
from ..audit import record
from ..errors import Conflict, DomainError, NotFound
from ..followups.service import end_hire_of_service, open_hire
from ..graduates.service import change_status, mark_verified
from ..jurisdiction import org_in_region
from ..models import (
    MONEY_KINDS,
    EmploymentStatus,
    Graduate,
    HireSource,
    JobFair,
    Org,
    ServiceKind,
    ServiceRecord,
    utcnow,
)


def parse_amount(raw: object) -> Decimal | None:
    if raw is None or raw == "":
        return None
    try:
        value = Decimal(str(raw).replace(",", "").strip())
    except InvalidOperation:
        raise DomainError(f"金额“{str(raw)[:20]}”不是有效数字", field="amount") from None
    if value < 0 or value != value.quantize(Decimal("0.01")) or value >= Decimal("1e12"):
        raise DomainError("金额须为非负数，最多两位小数", field="amount")
    return value


def check_date(on: date) -> None:
    if on > clock.today():
        raise DomainError("服务日期不能晚于今天", field="service_date")


def check_amount(kind: ServiceKind, amount: Decimal | None) -> None:
    """Money kinds (贷款, 补贴) carry an amount; the others none."""
    if kind in MONEY_KINDS and amount is None:
        raise DomainError(f"“{kind.label}”须填写金额（元）", field="amount")
    if kind not in MONEY_KINDS and amount is not None:
        raise DomainError(f"“{kind.label}”不涉及金额", field="amount")


def same_service(
    session: Session, graduate: Graduate, kind: ServiceKind, on: date, amount: Decimal | None
) -> ServiceRecord | None:
    """A standing record of the same service (kind, date and amount) for the graduate: likely
    the same help entered twice, which the form asks about before recording."""
    return session.scalar(
        select(ServiceRecord).where(
            ServiceRecord.graduate_id == graduate.id,
            ServiceRecord.kind == kind,
            ServiceRecord.service_date == on,
            ServiceRecord.amount.is_(None) if amount is None else ServiceRecord.amount == amount,
            ServiceRecord.voided_at.is_(None),
        )
    )


def latest_under_lock(session: Session, graduate: Graduate) -> None:
    """Read the graduate again, locked until the transaction ends, unless this session has
    changed it: a service moves the archive on (核实, 帮扶中, 已就业), which is no clash with
    another officer recording a service at the same moment — so the second one waits for the
    first and builds on it, instead of failing on the version the page read."""
    if graduate in session.new or session.is_modified(graduate):
        return
    session.refresh(graduate, with_for_update=True)


def record_service(
    session: Session,
    actor: Actor,
    graduate: Graduate,
    *,
    kind: ServiceKind,
    on: date,
    org: Org,
    amount: Decimal | None = None,
    remark: str | None = None,
    hire_source: HireSource = HireSource.RECORDED,
    position_id: int | None = None,
    workplace: str | None = None,
) -> ServiceRecord:
    """Record a service given by `org` (within the actor's region) to a graduate they may see;
    a 实现就业 opens a hire with its follow-ups (回访)."""
    check_date(on)
    if not org_in_region(actor, org):
        raise NotFound("服务单位不在您的管辖范围内", field="org")
    check_amount(kind, amount)
    latest_under_lock(session, graduate)
    archives.refuse_unless_active(graduate, "记录服务")
    service = ServiceRecord(
        graduate_id=graduate.id,
        kind=kind,
        service_date=on,
        org_id=org.id,
        amount=amount,
        remark=(remark or "").strip() or None,
        created_by_id=actor.user_id,
    )
    session.add(service)
    session.flush()
    mark_verified(graduate, on)
    record(session, actor, "create", service, org_id=org.id, details={"kind": kind.value})
    archives.helped(session, actor, graduate, on)  # 建档 → 帮扶中
    if kind == ServiceKind.EMPLOYED:
        change_status(
            session,
            actor,
            graduate,
            EmploymentStatus.EMPLOYED,
            on,
            note="实现就业",
            service_record_id=service.id,
        )
        open_hire(
            session,
            actor,
            graduate,
            on,
            hire_source,
            service_record_id=service.id,
            position_id=position_id,
            workplace=workplace or service.remark,
        )
    return service


def void_service(session: Session, actor: Actor, service: ServiceRecord, reason: str) -> None:
    """Void a record with a reason; it stays visible and counts nowhere."""
    reason = reason.strip()
    if not reason:
        raise DomainError("作废须填写原因", field="reason")
    if service.is_void:
        raise Conflict("该记录已作废")
    service.voided_at = utcnow()
    service.voided_by_id = actor.user_id
    service.void_reason = reason
    record(session, actor, "void", service, org_id=service.org_id, details={"reason": reason})
    end_hire_of_service(session, service.id, reason)


def record_fair(
    session: Session, actor: Actor, *, name: str, held_on: date, org: Org, positions_offered: int
) -> JobFair:
    if not org_in_region(actor, org):
        raise NotFound("举办单位不在您的管辖范围内", field="org")
    if positions_offered < 0:
        raise DomainError("提供岗位数不能为负", field="positions_offered")
    name = name.strip()
    if not name:
        raise DomainError("活动名称不能为空", field="name")
    if session.scalar(
        select(JobFair.id).where(
            JobFair.name == name, JobFair.held_on == held_on, JobFair.org_id == org.id
        )
    ):
        raise Conflict("该活动已登记")
    fair = JobFair(
        name=name,
        held_on=held_on,
        org_id=org.id,
        positions_offered=positions_offered,
        created_by_id=actor.user_id,
    )
    session.add(fair)
    session.flush()
    record(session, actor, "create", fair, org_id=org.id)
    return fair
