"""今日待办: what an officer has to do today and what is overdue, grouped — employers to approve,
follow-ups due, referrals 待反馈, graduates' requests, applications at each step (审核, 入户调查,
公示), the 年度复核 still to do, archives not verified for a year (or not
contacted for half a year, or never helped) — and, for HQ and provinces, the same counts per org
below them. Each count is one query over indexed columns, within the officer's reach."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, exists, func, select
from sqlalchemy.orm import Session

from .. import clock
from ..actors import Actor
from ..archives import review
from ..archives.service import counts_by_state
from ..followups import service as followups
from ..jurisdiction import graduate_edit_scope, org_column_in_region
from ..models import (
    ACTIVE_ARCHIVE_STATES,
    APPLICATION_STATES,
    LOOKING_STATUSES,
    ArchiveState,
    Employer,
    EmployerStatus,
    FollowUp,
    FollowUpState,
    Graduate,
    GraduateRequest,
    Org,
    Position,
    Referral,
    ServiceRecord,
    VacancyReport,
)
from ..notices.service import notify, officers_of
from ..portals import requests
from ..public_welfare import service as welfare
from ..referrals import deadlines

#: Archives that need a visit or a call, of graduates still being helped (looking for work).
ARCHIVE_KINDS = {
    "unverified": "一年未核实",
    "no_contact": "半年未联系",
    "never_helped": "从未帮扶过",
}
VERIFY_DAYS = {"unverified": 365, "no_contact": 182}


def archive_filter(kind: str, on: date) -> ColumnElement[bool]:
    being_helped = being_helped_filter()
    if kind == "never_helped":
        helped = exists().where(
            ServiceRecord.graduate_id == Graduate.id, ServiceRecord.voided_at.is_(None)
        )
        return being_helped & ~helped
    last = func.coalesce(Graduate.verified_on, Graduate.registered_on)
    return being_helped & (last < on - timedelta(days=VERIFY_DAYS[kind]))


def being_helped_filter() -> ColumnElement[bool]:
    """Archives open (建档, 帮扶中) of graduates still looking for work."""
    return Graduate.archive_state.in_(ACTIVE_ARCHIVE_STATES) & Graduate.status.in_(LOOKING_STATUSES)


def archives(
    session: Session, actor: Actor, kind: str, *, on: date | None = None
) -> Select[Graduate]:
    """The archives of one kind the actor keeps (the edit scope), longest unverified first."""
    on = on or clock.today()
    return (
        select(Graduate)
        .where(graduate_edit_scope(actor), archive_filter(kind, on))
        .order_by(func.coalesce(Graduate.verified_on, Graduate.registered_on), Graduate.id)
    )


@dataclass
class Group:
    key: str
    title: str
    count: int
    #: The overdue part of the count (all of it where everything listed is late).
    overdue: int = 0
    lines: list[object] = field(default_factory=list)


def count_of(session: Session, query: Select[*tuple[Any, ...]]) -> int:
    return session.scalar(select(func.count()).select_from(query.subquery())) or 0


def groups(
    session: Session, actor: Actor, *, on: date | None = None, lines: int = 5
) -> list[Group]:
    on = on or clock.today()
    result = []
    pending = select(Employer.id).where(
        Employer.status == EmployerStatus.PENDING, org_column_in_region(actor, Employer.org_id)
    )
    result.append(
        Group(
            "employers",
            "用人单位待审核",
            count_of(session, pending),
            lines=list(
                session.scalars(
                    select(Employer)
                    .where(Employer.id.in_(pending))
                    .order_by(Employer.created_at)
                    .limit(lines)
                )
            ),
        )
    )
    due = followups.due(session, actor, on=on, limit=lines)
    due_total = followups.due_count(session, actor, on=on)
    due_late = followups.due_count(session, actor, on=on - timedelta(days=1))
    result.append(Group("follow_ups", "就业回访到期", due_total, due_late, list(due)))
    waiting = deadlines.awaiting_feedback(actor, on)
    feedback = count_of(session, waiting)
    result.append(
        Group(
            "feedback",
            f"推荐超过 {deadlines.days()} 天未答复（待反馈）",
            feedback,
            feedback,
            list(session.execute(waiting.order_by(Referral.id).limit(lines)).all()),
        )
    )
    asked, late = requests.pending_counts(session, actor, on)
    first = requests.pending_requests(session, actor, limit=lines)
    result.append(Group("requests", "毕业生申请", asked, late, list(first)))
    result.extend(lifecycle_groups(session, actor, on, lines))
    late_vacancies = (
        select(VacancyReport, Position)
        .join(Position, Position.id == VacancyReport.position_id)
        .where(org_column_in_region(actor, VacancyReport.org_id), welfare.late(on))
    )
    vacancies = count_of(session, late_vacancies)
    result.append(
        Group(
            "vacancies",
            "公益性岗位空岗报告逾期未报",
            vacancies,
            vacancies,
            list(session.execute(late_vacancies.order_by(VacancyReport.due_on).limit(lines))),
        )
    )
    # the archives to contact: counts only (the page links to each list), in one pass
    counts = session.execute(
        select(*(func.count().filter(archive_filter(kind, on)) for kind in ARCHIVE_KINDS)).where(
            graduate_edit_scope(actor), being_helped_filter()
        )
    ).one()
    for (kind, title), count in zip(ARCHIVE_KINDS.items(), counts, strict=True):
        result.append(Group(kind, title, count or 0, count or 0))
    return result


#: Archives at a step of the lifecycle that waits on the officer: the group, its title, and
#: the state.
LIFECYCLE_GROUPS = (
    ("applied", "建档申请待初审", ArchiveState.APPLIED),
    ("to_visit", "初审通过待入户调查", ArchiveState.REVIEWED),
    ("to_publicise", "入户调查完成待公示", ArchiveState.VISITED),
    ("publicity", "公示中", ArchiveState.PUBLICISED),
)


def lifecycle_groups(session: Session, actor: Actor, on: date, lines: int) -> list[Group]:
    """审核, 入户调查 and 公示: the applications at each step (a 公示 is overdue once its period
    has ended and the archive is not yet opened), and the 年度复核 archives still to review."""
    mine = graduate_edit_scope(actor)
    counts = counts_by_state(session, mine & Graduate.archive_state.in_(APPLICATION_STATES))
    ended = (
        session.scalar(
            select(func.count()).where(
                mine,
                Graduate.archive_state == ArchiveState.PUBLICISED,
                Graduate.publicity_ends_on <= on,
            )
        )
        or 0
    )
    result = []
    for key, title, state in LIFECYCLE_GROUPS:
        count = counts.get(state, 0)
        first: list[object] = (
            list(
                session.scalars(
                    select(Graduate)
                    .where(mine, Graduate.archive_state == state)
                    .order_by(Graduate.publicity_ends_on, Graduate.archive_since, Graduate.id)
                    .limit(lines)
                )
            )
            if count
            else []
        )
        late = ended if state == ArchiveState.PUBLICISED else 0
        result.append(Group(key, title, count, late, first))
    result.append(Group("reviews", "年度复核待复核", review.pending_count(session, actor)))
    return result


#: Standing lists the nav's 待办 line does not count.
STANDING = (*ARCHIVE_KINDS, "reviews")


def total(groups_: list[Group]) -> int:
    """What the nav's 待办 line counts: everything but the standing lists (archives to verify,
    the year's review)."""
    return sum(g.count for g in groups_ if g.key not in STANDING)


@dataclass
class OrgCounts:
    code: str
    name: str
    counts: dict[str, int] = field(default_factory=dict)


#: The per-org table's columns: what is overdue.
OVERDUE_COLUMNS = {
    "follow_ups": "回访逾期",
    "feedback": "推荐待反馈",
    "requests": "申请超期",
    "unverified": "一年未核实",
}


def by_org(session: Session, actor: Actor, *, on: date | None = None) -> list[OrgCounts]:
    """For HQ and provinces: how much is overdue under each org directly below them (and
    everything below it)."""
    on = on or clock.today()
    if actor.org_path is None:
        return []
    child = func.substr(Org.path, len(actor.org_path) + 1, 6)
    below = Org.path.startswith(actor.org_path, autoescape=True) & (Org.path != actor.org_path)
    figures: dict[str, dict[str, int]] = {}

    def add(column: str, query: Select[str, int]) -> None:
        for code, count in session.execute(query):
            figures.setdefault(code, {})[column] = count

    graduates = (
        select(child, func.count())
        .select_from(Graduate)
        .join(Org, Org.id == Graduate.home_org_id)
        .where(below)
        .group_by(child)
    )
    add(
        "follow_ups",
        graduates.join(FollowUp, FollowUp.graduate_id == Graduate.id).where(
            FollowUp.state == FollowUpState.DUE, FollowUp.due_on < on
        ),
    )
    add(
        "feedback",
        select(child, func.count())
        .select_from(Referral)
        .join(Org, Org.id == Referral.org_id)
        .where(below, deadlines.overdue(on))
        .group_by(child),
    )
    add(
        "requests",
        graduates.join(GraduateRequest, GraduateRequest.graduate_id == Graduate.id).where(
            GraduateRequest.resolved_at.is_(None),
            GraduateRequest.created_at < requests.overdue_before(on),
        ),
    )
    add("unverified", graduates.where(archive_filter("unverified", on)))
    names = dict(
        session.execute(select(Org.code, Org.name).where(Org.code.in_(list(figures)))).all()
    )
    return sorted(
        (OrgCounts(code, names.get(code, code), counts) for code, counts in figures.items()),
        key=lambda r: (-sum(r.counts.values()), r.code),
    )


def remind_unverified(session: Session, on: date) -> int:
    """The nightly job, on Mondays: tell each home org how many of its archives have not been
    verified for a year (once a week, not every night). Returns the orgs told."""
    if on.weekday() != 0:
        return 0
    counts = session.execute(
        select(Graduate.home_org_id, func.count())
        .where(archive_filter("unverified", on))
        .group_by(Graduate.home_org_id)
    ).all()
    told = 0
    for org_id, count in counts:
        told += bool(
            notify(
                session,
                officers_of(session, org_id),
                f"本单位有 {count} 份仍在帮扶的毕业生档案一年未核实，请联系核实。",
                "/todo/archives/unverified",
                "档案核实",
            )
        )
    return told
