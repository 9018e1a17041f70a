"""公益性岗位 tenure, as the 人社 systems run it: a placement on a public-welfare post is a period
with a computed planned end — `years` (MATCHSVC_PUBLIC_WELFARE_YEARS, 3), or until retirement
age for someone within 5 years of it at their first placement — at most `max_placements`
(MATCHSVC_PUBLIC_WELFARE_MAX_PLACEMENTS, 2) per person, never overlapping another of theirs.
Each year of a period is assessed (年度考核): 不合格 ends the period at the end of that year. An
exit has a coded reason and opens a 空岗报告 due within `report_days` working days
(MATCHSVC_VACANCY_REPORT_DAYS, 5) to the org that approved the employer, with the matcher's
shortlist for the seat. Subsidy months (岗位补贴, 社保补贴) are the months of service begun up to
the last day on the post — never past an exit or the planned end."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from .. import clock
from ..actors import Actor
from ..audit import record
from ..errors import Conflict, DomainError
from ..jurisdiction import graduate_edit_scope
from ..matching import loader
from ..matching.engine.results import rank_candidates
from ..matching.engine.score import GraduateArrays, PositionArrays
from ..matching.service import make_policy
from ..models import (
    Assessment,
    Employer,
    Graduate,
    Org,
    Position,
    PositionKind,
    Sex,
    Tenure,
    TenureExit,
    VacancyReport,
)


@dataclass(frozen=True)
class Rules:
    """The programme's limits (settings), with the sources they follow."""

    years: int = 3
    max_placements: int = 2
    #: Retirement ages (国发〔1978〕104号: men 60, women workers 50), read from the birth year.
    retirement_male: int = 60
    retirement_female: int = 50
    near_retirement_years: int = 5
    report_days: int = 5


def rules_from(settings: Mapping[str, Any]) -> Rules:
    """The limits from the deployment's settings (MATCHSVC_PUBLIC_WELFARE_YEARS, …)."""
    return Rules(
        years=int(settings.get("PUBLIC_WELFARE_YEARS") or 3),
        max_placements=int(settings.get("PUBLIC_WELFARE_MAX_PLACEMENTS") or 2),
        report_days=int(settings.get("VACANCY_REPORT_DAYS") or 5),
    )


def add_years(day: date, years: int) -> date:
    return clock.add_months(day, 12 * years)


def retirement_day(graduate: Graduate, rules: Rules) -> date:
    """The earliest day the person may reach retirement age (1 January of the year: only the
    birth year is kept unmasked)."""
    age = rules.retirement_male if graduate.sex == Sex.MALE else rules.retirement_female
    return date(graduate.birth_year + age, 1, 1)


def tenures(session: Session, graduate_id: int) -> list[Tenure]:
    return list(
        session.scalars(
            select(Tenure).where(Tenure.graduate_id == graduate_id).order_by(Tenure.starts_on)
        )
    )


def planned_end(session: Session, graduate: Graduate, starts_on: date, rules: Rules) -> date:
    """`years` from the start (the day before the anniversary), or the day before retirement
    age for someone within `near_retirement_years` of it at their first placement."""
    earlier = [t.starts_on for t in tenures(session, graduate.id)]
    first = min([*earlier, starts_on])
    retires = retirement_day(graduate, rules)
    end = add_years(starts_on, rules.years) - timedelta(days=1)
    if add_years(first, rules.near_retirement_years) >= retires:
        end = retires - timedelta(days=1)
    return end


def place(
    session: Session,
    actor: Actor,
    graduate: Graduate,
    position: Position,
    starts_on: date,
    rules: Rules,
) -> Tenure:
    """A placement on a public-welfare post; refused, nothing is written."""
    if position.kind != PositionKind.PUBLIC_WELFARE:
        raise DomainError("只有公益性岗位记入公益性岗位在岗期间", field="position_id")
    # one person's placements take turns: the row lock orders parallel requests on PostgreSQL
    session.execute(select(Graduate.id).where(Graduate.id == graduate.id).with_for_update())
    held = tenures(session, graduate.id)
    if len(held) >= rules.max_placements:
        raise DomainError(
            f"每人最多安置公益性岗位 {rules.max_placements} 次，{graduate.name} 已安置 {len(held)} 次",
            field="position_id",
        )
    end = planned_end(session, graduate, starts_on, rules)
    if end < starts_on:
        raise DomainError("已达到退休年龄，不能安置公益性岗位", field="starts_on")
    for t in held:
        if t.starts_on <= end and starts_on <= t.last_day:
            raise Conflict(
                f"与 {t.starts_on} 至 {t.last_day} 的在岗期间重叠，请先办理该岗位的退出",
                field="starts_on",
            )
    employer = session.get(Employer, position.employer_id)
    assert employer is not None
    tenure = Tenure(
        graduate_id=graduate.id,
        position_id=position.id,
        approving_org_id=employer.org_id,
        starts_on=starts_on,
        planned_end=end,
        created_by_id=actor.user_id,
    )
    session.add(tenure)
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError:  # the exclusion constraint: another placement won the race
        raise Conflict("与该毕业生已有的在岗期间重叠", field="starts_on") from None
    record(
        session, actor, "tenure_placed", graduate, org_id=graduate.home_org_id,
        details={"position_id": position.id, "on": starts_on.isoformat()},
    )  # fmt: skip
    return tenure


def year_end(tenure: Tenure, year: int) -> date:
    """The last day of the period's `year`-th year (capped by the planned end)."""
    return min(add_years(tenure.starts_on, year) - timedelta(days=1), tenure.planned_end)


def assess(
    session: Session,
    actor: Actor,
    tenure: Tenure,
    year: int,
    passed: bool,
    on: date,
    note: str | None = None,
) -> Assessment:
    """年度考核 of the period's `year`-th year; 不合格 ends the period at that year's end."""
    if tenure.ended_on is not None:
        raise DomainError("该在岗期间已结束", field="year")
    last_year = 1
    while add_years(tenure.starts_on, last_year) <= tenure.planned_end:
        last_year += 1  # the period's years: each begins on or before the planned end
    if not 1 <= year <= last_year:
        raise DomainError(f"考核年度须为第 1 至第 {last_year} 年", field="year")
    if any(a.year == year for a in tenure.assessments):
        raise Conflict(f"第 {year} 年已考核", field="year")
    assessment = Assessment(
        tenure_id=tenure.id, year=year, passed=passed, assessed_on=on,
        note=(note or "").strip()[:300] or None, recorded_by_id=actor.user_id,
    )  # fmt: skip
    session.add(assessment)
    session.flush()
    if not passed:
        end_tenure(session, actor, tenure, year_end(tenure, year), TenureExit.FAILED_REVIEW)
    session.refresh(tenure, attribute_names=["assessments"])
    return assessment


def end_tenure(
    session: Session,
    actor: Actor,
    tenure: Tenure,
    on: date,
    reason: TenureExit,
    note: str | None = None,
    rules: Rules | None = None,
) -> VacancyReport:
    """The period ends on `on` (its last day on the post) for `reason`; a 空岗报告 falls due."""
    rules = rules or Rules()
    if tenure.ended_on is not None:
        raise DomainError("该在岗期间已结束", field="on")
    if on < tenure.starts_on or on > tenure.planned_end:
        raise DomainError(
            f"退出日期须在 {tenure.starts_on} 至 {tenure.planned_end} 之间", field="on"
        )
    if reason == TenureExit.OTHER and not (note or "").strip():
        raise DomainError("原因为“其他”时请说明", field="note")
    tenure.ended_on, tenure.exit_reason = on, reason
    tenure.exit_note = (note or "").strip()[:300] or None
    vacant = on + timedelta(days=1)
    report = VacancyReport(
        tenure_id=tenure.id,
        position_id=tenure.position_id,
        org_id=tenure.approving_org_id,
        vacant_from=vacant,
        due_on=working_days_after(on, rules.report_days),
        shortlist=[],
    )
    session.add(report)
    report.shortlist = shortlist(session, tenure, vacant)
    session.flush()
    record(
        session, actor, "tenure_ended", tenure, org_id=tenure.approving_org_id,
        details={"reason": reason.label, "on": on.isoformat()},
    )  # fmt: skip
    return report


def shortlist(session: Session, tenure: Tenure, on: date, size: int = 10) -> list[dict[str, Any]]:
    """The matcher's candidates for the seat left, among the looking graduates of the approving
    org's region (who may hold a public-welfare post under the policy): ids and fits only."""
    # the seat is the post's, however old its posting, whenever it closed and whoever else holds it
    posts = loader.load_positions(session, on, Position.id == tenure.position_id, seat=True)
    if not posts:
        return []
    org = session.get(Org, tenure.approving_org_id)
    assert org is not None
    where = loader.looking_for_work() & graduate_edit_scope(Actor.command_line(org))
    graduates = [g for g in loader.graduate_profiles(session, where) if g.id != tenure.graduate_id]
    grads = GraduateArrays.build(graduates, make_policy(session, {}, on))
    ranked = rank_candidates(grads, PositionArrays.build(posts), 0, size)
    return [{"graduate_id": c.graduate_id, "fit": c.fit} for c in ranked]


def working_days_after(start: date, n: int) -> date:
    """The day `n` working days (Monday to Friday) after `start`."""
    day = start
    while clock.working_days_between(start, day) < n:
        day += timedelta(days=1)
    return day


def months_begun(first: date, last: date) -> int:
    """Months of service begun from `first` up to `last`: a month begins on `first`'s day of
    each month (so three years from 5 January are 36 months, not 37 calendar months)."""
    n = 0
    while clock.add_months(first, n) <= last:
        n += 1
    return n


def subsidy_months(tenure: Tenure, until: date) -> int:
    """Months of 岗位补贴 and 社保补贴 due for the period up to `until`: each month of service
    begun, none after an exit or after the planned end."""
    return months_begun(tenure.starts_on, min(tenure.last_day, until))


def late(on: date) -> ColumnElement[bool]:
    """A 空岗报告 not submitted by its due day (the work list's line)."""
    return VacancyReport.submitted_on.is_(None) & (VacancyReport.due_on < on)


def late_reports(session: Session, org_ids: list[int], on: date) -> list[VacancyReport]:
    """The late 空岗报告 of the orgs given."""
    return list(
        session.scalars(
            select(VacancyReport)
            .where(VacancyReport.org_id.in_(org_ids), late(on))
            .order_by(VacancyReport.due_on)
        )
    )


@dataclass
class PostMonths:
    position_id: int
    title: str
    province: str
    people: int
    months: int


def subsidy_report(
    session: Session, org_ids: Select[int] | list[int], until: date
) -> list[PostMonths]:
    """Subsidy months per post up to `until`, for the periods approved by the orgs given; the
    province is the post's (first two digits of its work place)."""
    rows = session.execute(
        select(Tenure, Position.title, Position.work_region_code)
        .join(Position, Position.id == Tenure.position_id)
        .where(Tenure.approving_org_id.in_(org_ids), Tenure.starts_on <= until)
        .order_by(Position.id, Tenure.starts_on)
    ).all()
    out: dict[int, PostMonths] = {}
    for tenure, title, region in rows:
        line = out.setdefault(
            tenure.position_id, PostMonths(tenure.position_id, title, region[:2] + "0000", 0, 0)
        )
        line.people += 1
        line.months += subsidy_months(tenure, until)
    return list(out.values())
