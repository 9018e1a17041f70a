"""The archive's lifecycle: 申请 → 初审 → 入户调查 → 公示 → 建档 → 帮扶中 → 脱困 → 撤档, 注销 with a
coded reason from any step, and reopening (返贫/再次困难) keeping the history. Every change is an
event with the date it took effect, never before the previous one, by whom, audited; the
graduate row holds the current step for lists and counts, the events the history that the
statistics read as of a cutoff."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from .. import clock
from ..actors import Actor
from ..audit import record
from ..errors import DomainError, Invalid
from ..graduates.closing import close_referrals
from ..graduates.service import mark_verified
from ..models import (
    ACTIVE_ARCHIVE_STATES,
    CANCEL_REASONS,
    LOOKING_STATUSES,
    RECOVERY_REASONS,
    REOPEN_REASONS,
    ArchiveEvent,
    ArchiveReason,
    ArchiveState,
    Graduate,
)

S = ArchiveState

#: The steps allowed from each state (注销 from every open step; reopening to 帮扶中 from the
#: closed ones).
NEXT: dict[ArchiveState, tuple[ArchiveState, ...]] = {
    S.APPLIED: (S.REVIEWED, S.CANCELLED),
    S.REVIEWED: (S.VISITED, S.CANCELLED),
    S.VISITED: (S.PUBLICISED, S.CANCELLED),
    S.PUBLICISED: (S.OPENED, S.CANCELLED),
    S.OPENED: (S.ASSISTING, S.RECOVERED, S.CANCELLED),
    S.ASSISTING: (S.RECOVERED, S.CANCELLED),
    S.RECOVERED: (S.CLOSED, S.ASSISTING, S.CANCELLED),
    S.CLOSED: (S.ASSISTING,),
    S.CANCELLED: (S.ASSISTING,),
}
#: What each step is called where an officer takes it.
STEP_LABELS = {
    S.REVIEWED: "初审通过",
    S.VISITED: "登记入户调查",
    S.PUBLICISED: "开始公示",
    S.OPENED: "公示期满，建档",
    S.ASSISTING: "开始帮扶",
    S.RECOVERED: "脱困",
    S.CLOSED: "撤档",
    S.CANCELLED: "注销",
}
REOPEN_LABEL = "恢复档案（返贫/再次困难）"
#: Where a closed archive may not be reopened: it never was one, or the person died.
NO_REOPEN = (ArchiveReason.DIED,)

DEFAULT_PUBLICITY_DAYS = 5
_publicity_days = DEFAULT_PUBLICITY_DAYS


def configure(publicity_days: int | None) -> None:
    global _publicity_days
    _publicity_days = DEFAULT_PUBLICITY_DAYS if publicity_days is None else max(publicity_days, 1)


def publicity_days() -> int:
    """The shortest 公示 period in days, first and last included (MATCHSVC_PUBLICITY_DAYS)."""
    return _publicity_days


@dataclass
class Step:
    """One step as an officer records it; the fields the step needs are checked by `take`."""

    to: ArchiveState
    on: date
    reason: ArchiveReason | None = None
    note: str | None = None
    #: 入户调查: who visited, whether the situation is as stated, the family's signed consent.
    visitors: str | None = None
    confirmed: bool | None = None
    consent: bool = False
    #: 公示: the last day (the first is `on`).
    ends_on: date | None = None
    #: 建档: objections raised during the 公示 and whether one was upheld.
    objections: str | None = None
    objection_upheld: bool = False


def is_reopen(graduate: Graduate, to: ArchiveState) -> bool:
    return to == S.ASSISTING and graduate.archive_state in (S.RECOVERED, S.CLOSED, S.CANCELLED)


def step_label(graduate: Graduate, to: ArchiveState) -> str:
    return REOPEN_LABEL if is_reopen(graduate, to) else STEP_LABELS[to]


def next_steps(session: Session, graduate: Graduate) -> list[ArchiveState]:
    """The steps an officer may take now (reopening only an archive that once was opened and
    was not closed for a death)."""
    steps = list(NEXT[graduate.archive_state])
    if S.ASSISTING in steps and is_reopen(graduate, S.ASSISTING):
        last = last_event(session, graduate)
        if not was_opened(session, graduate) or (last is not None and last.reason in NO_REOPEN):
            steps.remove(S.ASSISTING)
    return steps


def events(session: Session, graduate: Graduate) -> list[ArchiveEvent]:
    return list(
        session.scalars(
            select(ArchiveEvent)
            .where(ArchiveEvent.graduate_id == graduate.id)
            .order_by(ArchiveEvent.on_date, ArchiveEvent.id)
        )
    )


def last_event(session: Session, graduate: Graduate) -> ArchiveEvent | None:
    return session.scalar(
        select(ArchiveEvent)
        .where(ArchiveEvent.graduate_id == graduate.id)
        .order_by(ArchiveEvent.on_date.desc(), ArchiveEvent.id.desc())
        .limit(1)
    )


def was_opened(session: Session, graduate: Graduate) -> bool:
    """An archive entered by an officer was opened on registration (it has no 申请 event)."""
    applied = session.scalar(
        select(func.count())
        .select_from(ArchiveEvent)
        .where(ArchiveEvent.graduate_id == graduate.id, ArchiveEvent.state == S.APPLIED)
    )
    opened = session.scalar(
        select(func.count())
        .select_from(ArchiveEvent)
        .where(ArchiveEvent.graduate_id == graduate.id, ArchiveEvent.state == S.OPENED)
    )
    return not applied or bool(opened)


def _details(graduate: Graduate, step: Step, errors: dict[str, str]) -> dict[str, Any]:
    """Check what the step needs (every error at once, with those already found); returns
    what its event records."""
    to = step.to
    if to == S.VISITED:
        if not (step.visitors or "").strip():
            errors["visitors"] = "请填写调查人员"
        if step.confirmed is None:
            errors["confirmed"] = "请选择调查结论"
        elif not step.confirmed:
            errors["confirmed"] = "调查结论为情况不属实的，请注销（经审核不符合条件）"
        if not step.consent:
            errors["consent"] = "须有家庭签字同意入户调查的记录"
        _raise(errors)
        return {"visitors": (step.visitors or "").strip(), "confirmed": True, "consent": True}
    if to == S.PUBLICISED:
        if step.ends_on is None:
            errors["ends_on"] = "请填写公示截止日期"
        elif (step.ends_on - step.on).days + 1 < publicity_days():
            errors["ends_on"] = f"公示期不少于 {publicity_days()} 天（含首尾两天）"
        _raise(errors)
        assert step.ends_on is not None
        return {"starts_on": step.on.isoformat(), "ends_on": step.ends_on.isoformat()}
    if to == S.OPENED:
        ends = graduate.publicity_ends_on
        if ends is not None and step.on < ends and "on" not in errors:
            errors["on"] = f"公示期至 {ends} 止，期满后方可建档"
        if step.objection_upheld:
            errors["objection_upheld"] = "异议成立的，请注销（经审核不符合条件），不予建档"
        _raise(errors)
        return {"objections": (step.objections or "").strip() or "无"}
    wanted = {S.RECOVERED: RECOVERY_REASONS, S.CANCELLED: CANCEL_REASONS}.get(to)
    if is_reopen(graduate, to):
        wanted = REOPEN_REASONS
    if wanted is not None and step.reason not in wanted:
        errors["reason"] = "请选择原因：" + "、".join(r.label for r in wanted)
    _raise(errors)
    return {}


def _raise(errors: dict[str, str]) -> None:
    """Every error of the step at once, each beside its field."""
    if len(errors) == 1:
        field, message = next(iter(errors.items()))
        raise DomainError(message, field=field)
    if errors:
        raise Invalid(list(errors.items()))


def take(session: Session, actor: Actor, graduate: Graduate, step: Step) -> ArchiveEvent:
    """Take one step of the archive's lifecycle (the actor's edit scope is checked by the
    caller's get_graduate(edit=True)); refused, nothing changes."""
    if step.to not in next_steps(session, graduate):
        raise DomainError(
            f"档案当前为“{graduate.archive_state.label}”，不能{STEP_LABELS.get(step.to, '')}",
            field="to",
        )
    last = last_event(session, graduate)
    floor = last.on_date if last is not None else graduate.registered_on
    errors: dict[str, str] = {}
    if step.on > clock.today():
        errors["on"] = "办理日期不能晚于今天"
    elif step.on < floor:
        errors["on"] = f"办理日期不能早于上一步（{floor}）"
    details = _details(graduate, step, errors)
    reopen = is_reopen(graduate, step.to)
    event = ArchiveEvent(
        graduate_id=graduate.id,
        state=step.to,
        on_date=step.on,
        reason=step.reason if step.to in (S.RECOVERED, S.CANCELLED) or reopen else None,
        note=(step.note or "").strip()[:500] or None,
        details=details,
        recorded_by_id=actor.user_id,
    )
    session.add(event)
    _apply(graduate, event, reopen=reopen)
    mark_verified(graduate, step.on)  # a review, a visit or a closing verifies the archive
    if step.to in (S.CLOSED, S.CANCELLED):
        # no union follows the archive any more: nobody waits on its referrals
        close_referrals(
            session,
            actor,
            graduate,
            step.on,
            f"档案已{step.to.label}（{step.on}），自动关闭",
            "的推荐已由工会结束，",
            {"archive": step.to.value, "on": step.on.isoformat()},
        )
    record(
        session,
        actor,
        "archive_reopened" if reopen else f"archive_{step.to.value}",
        graduate,
        org_id=graduate.home_org_id,
        details={
            "archive": step.to.value,
            "on": step.on.isoformat(),
            **({"archive_reason": step.reason.value} if event.reason and step.reason else {}),
        },
    )
    session.flush()
    return event


def _apply(graduate: Graduate, event: ArchiveEvent, *, reopen: bool) -> None:
    graduate.archive_state, graduate.archive_since = event.state, event.on_date
    if event.state == S.PUBLICISED:
        graduate.publicity_ends_on = date.fromisoformat(event.details["ends_on"])
    if event.state == S.OPENED:
        # the archive is opened today: registered (counted from) the day it was opened
        graduate.registered_on = event.on_date
    if reopen and graduate.status not in LOOKING_STATUSES:
        graduate.looking_again = True  # recommendations resume


def record_application(session: Session, actor: Actor, graduate: Graduate, on: date) -> None:
    """An archive that starts as an application (on line, or entered as one)."""
    event = ArchiveEvent(
        graduate_id=graduate.id,
        state=S.APPLIED,
        on_date=on,
        details={},
        recorded_by_id=actor.user_id,
    )
    session.add(event)
    _apply(graduate, event, reopen=False)
    session.flush()


def helped(session: Session, actor: Actor, graduate: Graduate, on: date) -> None:
    """A service given: an archive 建档 becomes 帮扶中 (on the service's date, never before the
    archive's last step)."""
    if graduate.archive_state != S.OPENED:
        return
    last = last_event(session, graduate)
    day = max(on, last.on_date) if last is not None else max(on, graduate.registered_on)
    take(session, actor, graduate, Step(S.ASSISTING, min(day, clock.today()), note="首次服务"))


def reopen_for_help(
    session: Session, actor: Actor, graduate: Graduate, on: date, note: str
) -> None:
    """A follow-up says the graduate left and wants help: a 脱困 or 撤档 archive is reopened."""
    if graduate.archive_state in (S.RECOVERED, S.CLOSED) and S.ASSISTING in next_steps(
        session, graduate
    ):
        last = last_event(session, graduate)
        day = max(on, last.on_date) if last is not None else on
        take(
            session,
            actor,
            graduate,
            Step(S.ASSISTING, min(day, clock.today()), ArchiveReason.LEFT_JOB, note=note),
        )


def refuse_unless_active(graduate: Graduate, what: str) -> None:
    """Services and referrals are for archives in 建档 / 帮扶中 / 脱困."""
    if graduate.archive_state not in (*ACTIVE_ARCHIVE_STATES, S.RECOVERED):
        raise DomainError(f"档案当前为“{graduate.archive_state.label}”，不能{what}")


def active_archive() -> ColumnElement[bool]:
    """Archives counted and offered work: 建档, 帮扶中."""
    return Graduate.archive_state.in_(ACTIVE_ARCHIVE_STATES)


def counts_by_state(session: Session, where: ColumnElement[bool]) -> dict[ArchiveState, int]:
    """How many archives (of those `where` selects) stand at each state."""
    return {
        state: count
        for state, count in session.execute(
            select(Graduate.archive_state, func.count())
            .where(where)
            .group_by(Graduate.archive_state)
        )
    }
