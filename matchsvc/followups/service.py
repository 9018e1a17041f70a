"""Follow-ups after a hire (回访). Every 实现就业 — a referral's or an application's hire, one an
officer records, or a 报告已签约 the officer confirms — opens a hire with follow-ups due 1, 3 and 6
months later (MATCHSVC_FOLLOWUP_MONTHS). Each asks: still at the job? a contract of at least one
year? social insurance paid? If the graduate left: why, and do they want help again — which puts
them back to 未就业, so recommendations resume. 稳定就业 is still employed at the follow-up of
MATCHSVC_STABLE_MONTHS (6) with a contract of at least a year."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from .. import audit, clock
from ..actors import Actor
from ..archives import service as archives
from ..errors import Conflict, NotFound, Problems
from ..graduates.service import change_status, mark_verified
from ..jurisdiction import get_graduate, graduate_edit_scope, graduate_scope, subtree_ids
from ..models import (
    LOOKING_STATUSES,
    EmploymentStatus,
    FollowUp,
    FollowUpState,
    Graduate,
    Hire,
    HireSource,
    Org,
    Role,
)
from ..notices.service import notify, officers_of

DEFAULT_MONTHS = (1, 3, 6)
DEFAULT_STABLE_MONTHS = 6
_months: tuple[int, ...] = DEFAULT_MONTHS
_stable_months = DEFAULT_STABLE_MONTHS


def configure(months: Sequence[int] | None, stable_months: int | None) -> None:
    """Set when follow-ups fall due and which one judges 稳定就业 (create_app, from settings)."""
    global _months, _stable_months
    _months = tuple(sorted(set(months))) if months else DEFAULT_MONTHS
    _stable_months = DEFAULT_STABLE_MONTHS if stable_months is None else stable_months


def months() -> tuple[int, ...]:
    return _months


def stable_months() -> int:
    return _stable_months


def open_hire(
    session: Session,
    actor: Actor,
    graduate: Graduate,
    on: date,
    source: HireSource,
    *,
    service_record_id: int | None = None,
    request_id: int | None = None,
    position_id: int | None = None,
    workplace: str | None = None,
) -> Hire:
    """Record a job taken up on `on` and schedule its follow-ups."""
    hire = Hire(
        graduate_id=graduate.id,
        source=source,
        hired_on=on,
        position_id=position_id,
        workplace=(workplace or "").strip()[:300] or None,
        service_record_id=service_record_id,
        request_id=request_id,
        created_by_id=actor.user_id,
    )
    session.add(hire)
    session.flush()
    for m in _months:
        session.add(
            FollowUp(
                hire_id=hire.id,
                graduate_id=graduate.id,
                months=m,
                due_on=clock.add_months(on, m),
                state=FollowUpState.DUE,
            )
        )
    session.flush()
    audit.record(
        session,
        actor,
        "hire_opened",
        hire,
        org_id=graduate.home_org_id,
        details={"source": source.value, "follow_up_months": list(_months)},
    )
    return hire


def end_hire(hire: Hire, on: date, reason: str) -> None:
    """The job ended (or its record was voided): follow-ups not yet asked are not asked."""
    hire.ended_on, hire.ended_reason = on, reason[:300]
    for f in hire.follow_ups:
        if f.state == FollowUpState.DUE:
            f.state, f.cancel_reason = FollowUpState.CANCELLED, reason[:200]


def end_hire_of_service(session: Session, service_record_id: int, reason: str) -> None:
    """A voided 实现就业 record takes its hire's follow-ups with it."""
    hire = session.scalar(select(Hire).where(Hire.service_record_id == service_record_id))
    if hire is not None and hire.ended_on is None:
        end_hire(hire, clock.today(), f"实现就业记录已作废：{reason}")


@dataclass(frozen=True)
class Answer:
    answered_on: date
    still_employed: bool
    contract_year: bool | None = None
    insured: bool | None = None
    left_reason: str | None = None
    wants_help: bool | None = None
    note: str | None = None


def get_follow_up(session: Session, actor: Actor, follow_up_id: int) -> FollowUp:
    """A follow-up of a graduate the actor may see (a graduate: only their own)."""
    found = session.scalar(
        select(FollowUp)
        .join(Graduate, Graduate.id == FollowUp.graduate_id)
        .where(FollowUp.id == follow_up_id, graduate_scope(actor))
    )
    if found is None:
        raise NotFound("没有该回访，或不在您的管辖范围内")
    return found


def answer(session: Session, actor: Actor, follow_up_id: int, data: Answer) -> FollowUp:
    """Record a follow-up's answer: the home org's officers, or the graduate in the portal."""
    by_graduate = actor.role == Role.GRADUATE
    follow_up = get_follow_up(session, actor, follow_up_id)
    graduate = (
        session.get_one(Graduate, follow_up.graduate_id)
        if by_graduate
        else get_graduate(session, actor, follow_up.graduate_id, edit=True)
    )
    session.refresh(follow_up, with_for_update=True)  # two saving at once: one answer
    if follow_up.state != FollowUpState.DUE:
        raise Conflict(f"该回访{follow_up.state.label}，不能再记录")
    hire = follow_up.hire
    problems = Problems()
    if data.answered_on > clock.today():
        problems.add("answered_on", "回访日期不能晚于今天")
    elif data.answered_on < hire.hired_on:
        problems.add("answered_on", f"回访日期不能早于就业日期（{hire.hired_on}）")
    left_reason = (data.left_reason or "").strip()
    if not data.still_employed and not left_reason:
        problems.add("left_reason", "已离职的，请填写离职原因")
    if not data.still_employed and data.wants_help is None:
        problems.add("wants_help", "已离职的，请选择是否希望再获帮助")
    problems.raise_any()
    follow_up.state = FollowUpState.ANSWERED
    follow_up.answered_on = data.answered_on
    follow_up.answered_by_id = actor.user_id
    follow_up.by_graduate = by_graduate
    follow_up.still_employed = data.still_employed
    follow_up.contract_year = data.contract_year if data.still_employed else None
    follow_up.insured = data.insured if data.still_employed else None
    follow_up.left_reason = None if data.still_employed else left_reason[:200]
    follow_up.wants_help = None if data.still_employed else data.wants_help
    follow_up.note = (data.note or "").strip()[:500] or None
    mark_verified(graduate, data.answered_on)
    audit.record(
        session,
        actor,
        "follow_up_answered",
        follow_up,
        org_id=graduate.home_org_id,
        details={"months": follow_up.months, "still_employed": data.still_employed},
    )
    if not data.still_employed:
        _left(session, actor, graduate, follow_up)
    session.flush()
    return follow_up


def _left(session: Session, actor: Actor, graduate: Graduate, follow_up: FollowUp) -> None:
    hire = follow_up.hire
    end_hire(
        hire,
        follow_up.answered_on or clock.today(),
        f"第 {follow_up.months} 个月回访：已离职（{follow_up.left_reason}）",
    )
    if follow_up.wants_help and graduate.status not in LOOKING_STATUSES:
        # back to 帮扶中: 未就业 again, so recommendations and the matcher take them up
        change_status(
            session,
            actor,
            graduate,
            EmploymentStatus.UNEMPLOYED,
            max(follow_up.answered_on or clock.today(), graduate.status_since or hire.hired_on),
            note=f"回访：已离职（{follow_up.left_reason}），希望再获帮助",
        )
    if follow_up.wants_help:  # a 脱困 or 撤档 archive is reopened: 帮扶中 again
        archives.reopen_for_help(
            session,
            actor,
            graduate,
            follow_up.answered_on or clock.today(),
            f"第 {follow_up.months} 个月回访：已离职，希望再获帮助",
        )
    if actor.role == Role.GRADUATE:
        words = "希望再获帮助" if follow_up.wants_help else "暂不需要帮助"
        notify(
            session,
            officers_of(session, graduate.home_org_id),
            f"{graduate.name} 在第 {follow_up.months} 个月回访中报告已离职，{words}。",
            f"/graduates/{graduate.id}",
            "回访",
        )


def _due_query(actor: Actor, on: date, org_path: str | None) -> Select[FollowUp, Graduate]:
    query = (
        select(FollowUp, Graduate)
        .join(Graduate, Graduate.id == FollowUp.graduate_id)
        .where(
            FollowUp.state == FollowUpState.DUE,
            FollowUp.due_on <= on,
            graduate_edit_scope(actor),
        )
    )
    if org_path is not None:
        query = query.where(Graduate.home_org_id.in_(subtree_ids(org_path)))
    return query


def due(
    session: Session,
    actor: Actor,
    *,
    on: date | None = None,
    org: Org | None = None,
    limit: int = 50,
    offset: int = 0,
) -> list[tuple[FollowUp, Graduate]]:
    """Follow-ups due by `on` (today) and not yet answered, oldest first — the home org's
    work, so the edit scope."""
    query = _due_query(actor, on or clock.today(), org.path if org else None)
    rows = session.execute(
        query.order_by(FollowUp.due_on, FollowUp.id).limit(limit).offset(offset)
    ).all()
    return [(f, g) for f, g in rows]


def due_count(
    session: Session, actor: Actor, *, on: date | None = None, org: Org | None = None
) -> int:
    query = _due_query(actor, on or clock.today(), org.path if org else None)
    return session.scalar(select(func.count()).select_from(query.subquery())) or 0


def overdue_days(follow_up: FollowUp, on: date | None = None) -> int:
    return max(((on or clock.today()) - follow_up.due_on).days, 0)


def is_stable(hire: Hire) -> bool:
    """Still employed at the 稳定就业 follow-up (or a later one) with a contract of ≥ 1 year."""
    return any(
        f.state == FollowUpState.ANSWERED
        and f.months >= _stable_months
        and f.still_employed
        and f.contract_year
        for f in hire.follow_ups
    )


def hires_of(session: Session, graduate: Graduate) -> list[Hire]:
    return list(
        session.scalars(
            select(Hire).where(Hire.graduate_id == graduate.id).order_by(Hire.hired_on, Hire.id)
        )
    )


def open_follow_ups_of(session: Session, graduate_id: int) -> list[FollowUp]:
    """What a graduate may answer in the portal: their follow-ups already due."""
    return list(
        session.scalars(
            select(FollowUp)
            .where(
                FollowUp.graduate_id == graduate_id,
                FollowUp.state == FollowUpState.DUE,
                FollowUp.due_on <= clock.today(),
            )
            .order_by(FollowUp.due_on)
        )
    )


def remind_due(session: Session, on: date) -> int:
    """The nightly job: tell each home org once about its follow-ups that fell due (one notice
    per org). Returns the follow-ups reminded of."""
    rows = session.execute(
        select(FollowUp, Graduate.home_org_id)
        .join(Graduate, Graduate.id == FollowUp.graduate_id)
        .where(
            FollowUp.state == FollowUpState.DUE,
            FollowUp.due_on <= on,
            FollowUp.reminded_on.is_(None),
        )
        .order_by(Graduate.home_org_id, FollowUp.id)
    ).all()
    by_org: dict[int, list[FollowUp]] = {}
    for follow_up, org_id in rows:
        by_org.setdefault(org_id, []).append(follow_up)
    for org_id, items in by_org.items():
        notify(
            session,
            officers_of(session, org_id),
            f"有 {len(items)} 人次就业回访已到期，请在“就业回访”中记录回访结果。",
            "/followups/",
            "就业回访到期",
        )
        for follow_up in items:
            follow_up.reminded_on = on
    return len(rows)
