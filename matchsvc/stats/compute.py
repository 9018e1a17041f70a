"""Computing items 06–16 for every org at once, exactly as DOMAIN.md defines them.

Each item is counted in SQL, grouped by the org it is attributed to (the home org as of the
cutoff, the giving or organising org, the approving org, the school's org). Every item is
additive over orgs, so one pass yields the per-org counts and a roll-up along the tree's parent
links gives every org its subtree's table: the whole country for HQ.

"In the period" is campaign start to cutoff, both included. "As of the cutoff" is the state at
the end of the cutoff date (China time): the status whose effective date is the latest on or
before the cutoff, and the home org before any transfer accepted after it. Voided services
count nowhere.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Integer, and_, case, func, select
from sqlalchemy.orm import Session

from ..models import (
    ACTIVE_ARCHIVE_STATES,
    ITEM10_EMPLOYER_KINDS,
    ArchiveEvent,
    ArchiveState,
    ArchiveTransfer,
    Campaign,
    Employer,
    EmploymentStatus,
    Graduate,
    JobFair,
    Org,
    Position,
    PositionKind,
    ServiceKind,
    ServiceRecord,
    StatusChange,
    TransferState,
)
from .items import KEYS

CHINA = ZoneInfo("Asia/Shanghai")

#: Service kinds counted by items 07–14, and the key each feeds.
SERVICE_KEYS = {
    ServiceKind.INTERNSHIP: "07A",
    ServiceKind.SKILL_TRAINING: "08A",
    ServiceKind.CERTIFICATE: "08B",
    ServiceKind.BUSINESS_GUIDANCE: "11A",
    ServiceKind.BUSINESS_TRAINING: "11B",
    ServiceKind.LOAN: "11C",
    ServiceKind.POLICY: "12A",
    ServiceKind.EMPLOYED: "13A",
    ServiceKind.JOB_SUBSIDY: "14A",
}
AMOUNT_KEYS = {ServiceKind.LOAN: "11C_amount", ServiceKind.JOB_SUBSIDY: "14B"}

Counts = dict[str, Decimal]


@dataclass(frozen=True)
class Period:
    year: int
    start: date
    cutoff: date

    @property
    def cutoff_end(self) -> datetime:
        """The end of the cutoff date, China time."""
        return datetime.combine(self.cutoff + timedelta(days=1), time(), CHINA)


#: Items counting persons, and which org of theirs they are attributed to.
PERSON_ITEMS = {"06A": "home", "06B": "home", "06C": "home", "16A": "home", "15A": "school"}


def graduates_as_of(period: Period) -> Any:
    """Graduates registered by the cutoff whose archive was open then (建档, 帮扶中), with their
    home org and status as of the cutoff."""
    g = Graduate
    later_transfer = (
        select(ArchiveTransfer.from_org_id)
        .where(
            ArchiveTransfer.graduate_id == g.id,
            ArchiveTransfer.state == TransferState.ACCEPTED,
            ArchiveTransfer.decided_at >= period.cutoff_end,
        )
        .order_by(ArchiveTransfer.decided_at, ArchiveTransfer.id)
        .limit(1)
        .scalar_subquery()
    )
    status = (
        select(StatusChange.status)
        .where(StatusChange.graduate_id == g.id, StatusChange.effective_on <= period.cutoff)
        .order_by(StatusChange.effective_on.desc(), StatusChange.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    # the archive's step as of the cutoff: only 建档 / 帮扶中 count (an archive with no event
    # then was entered by an officer, opened on registration)
    archive = func.coalesce(
        select(ArchiveEvent.state)
        .where(ArchiveEvent.graduate_id == g.id, ArchiveEvent.on_date <= period.cutoff)
        .order_by(ArchiveEvent.on_date.desc(), ArchiveEvent.id.desc())
        .limit(1)
        .scalar_subquery(),
        ArchiveState.OPENED.value,
    )
    return (
        select(
            g.id.label("id"),
            func.coalesce(later_transfer, g.home_org_id).label("home"),
            g.school_org_id.label("school"),
            g.graduation_year.label("year"),
            func.coalesce(status, EmploymentStatus.UNEMPLOYED.value).label("status"),
        )
        .where(
            g.registered_on <= period.cutoff,
            archive.in_([s.value for s in ACTIVE_ARCHIVE_STATES]),
        )
        .subquery()
    )


def person_conditions(period: Period, grads: Any) -> dict[str, Any]:
    """What makes a graduate (a row of graduates_as_of) count in each person item."""
    y = period.year
    unemployed = grads.c.status == EmploymentStatus.UNEMPLOYED.value
    return {
        "06A": grads.c.year <= y,
        "06B": grads.c.year == y,
        "06C": grads.c.year < y,
        "16A": and_(grads.c.year < y, unemployed),
        "15A": and_(grads.c.year == y, unemployed),
    }


def services_counted(period: Period) -> list[Any]:
    """Services dated in the period and not voided, of the kinds the table counts."""
    return [
        ServiceRecord.service_date.between(period.start, period.cutoff),
        ServiceRecord.voided_at.is_(None),
        ServiceRecord.kind.in_(SERVICE_KEYS),
    ]


def fairs_counted(period: Period) -> Any:
    return JobFair.held_on.between(period.start, period.cutoff)


def positions_counted(period: Period) -> list[Any]:
    """Item 10: jobs and public-welfare posts published in the period by the four employer kinds
    (the query joins Employer)."""
    return [
        Position.published_on.between(period.start, period.cutoff),
        Position.kind.in_([PositionKind.JOB, PositionKind.PUBLIC_WELFARE]),
        Employer.kind.in_(ITEM10_EMPLOYER_KINDS),
    ]


def _flag(condition: Any) -> Any:
    return func.sum(case((condition, 1), else_=0)).cast(Integer)


def per_org_counts(session: Session, period: Period) -> dict[int, Counts]:
    """Every item, counted for the org it is attributed to (not yet rolled up)."""
    counts: dict[int, Counts] = defaultdict(lambda: defaultdict(Decimal))
    grads = graduates_as_of(period)
    person = person_conditions(period, grads)
    rows1 = session.execute(
        select(
            grads.c.home,
            _flag(person["06A"]),
            _flag(person["06B"]),
            _flag(person["06C"]),
            _flag(person["16A"]),
        ).group_by(grads.c.home)
    )
    for org_id, all_, fresh, previous, previous_unemployed in rows1:
        counts[org_id].update(
            {
                "06A": Decimal(all_),
                "06B": Decimal(fresh),
                "06C": Decimal(previous),
                "16A": Decimal(previous_unemployed),
            }
        )
    rows2 = session.execute(select(grads.c.school, _flag(person["15A"])).group_by(grads.c.school))
    for org_id, fresh_unemployed in rows2:
        counts[org_id]["15A"] += fresh_unemployed
    rows3 = session.execute(
        select(
            ServiceRecord.org_id,
            ServiceRecord.kind,
            func.count(),
            func.coalesce(func.sum(ServiceRecord.amount), 0),
        )
        .where(*services_counted(period))
        .group_by(ServiceRecord.org_id, ServiceRecord.kind)
    )
    for org_id, kind, number, amount in rows3:
        counts[org_id][SERVICE_KEYS[kind]] += number
        if kind in AMOUNT_KEYS:
            counts[org_id][AMOUNT_KEYS[kind]] += Decimal(amount or 0)
    rows4 = session.execute(
        select(JobFair.org_id, func.count(), func.sum(JobFair.positions_offered))
        .where(fairs_counted(period))
        .group_by(JobFair.org_id)
    )
    for org_id, held, offered in rows4:
        counts[org_id]["09A"] += held
        counts[org_id]["09A_positions"] += offered or 0
    rows5 = session.execute(
        select(Employer.org_id, func.sum(Position.headcount))
        .join(Employer, Employer.id == Position.employer_id)
        .where(*positions_counted(period))
        .group_by(Employer.org_id)
    )
    for org_id, headcount in rows5:
        counts[org_id]["10A"] += headcount or 0
    return counts


def roll_up(session: Session, counts: dict[int, Counts]) -> dict[int, Counts]:
    """Each org's subtree totals, by adding every org into its parent, deepest first."""
    orgs = session.execute(select(Org.id, Org.parent_id, Org.path)).all()
    totals: dict[int, Counts] = {
        org_id: defaultdict(Decimal, counts.get(org_id, {})) for org_id, _, _ in orgs
    }
    for org_id, parent_id, _ in sorted(orgs, key=lambda o: o.path.count("/"), reverse=True):
        if parent_id is not None:
            for key, value in totals[org_id].items():
                totals[parent_id][key] += value
    return totals


def _number(key: str, value: Decimal) -> int | float:
    if key == "14B":
        return float((value / 10000).quantize(Decimal("0.01"), ROUND_HALF_UP))
    if key == "11C_amount":
        rounded = value.quantize(Decimal("0.01"), ROUND_HALF_UP)
        return int(rounded) if rounded == rounded.to_integral_value() else float(rounded)
    return int(value)


def as_items(values: Counts) -> dict[str, int | float]:
    """The DOMAIN.md items: counts as integers, 11C_amount in 元, 14B in 万元 (2 decimals)."""
    return {key: _number(key, values.get(key, Decimal(0))) for key in KEYS}


def period_of(campaign: Campaign, cutoff: date | None = None) -> Period:
    return Period(campaign.year, campaign.starts_on, cutoff or campaign.cutoff_on)


def compute_tables(
    session: Session, campaign: Campaign, cutoff: date | None = None
) -> dict[int, dict[str, int | float]]:
    """Every org's table (its subtree), as of the cutoff, in one pass."""
    period = period_of(campaign, cutoff)
    totals = roll_up(session, per_org_counts(session, period))
    return {org_id: as_items(values) for org_id, values in totals.items()}


def table_json(
    org: Org, campaign: Campaign, cutoff: date, items: dict[str, int | float]
) -> dict[str, Any]:
    """The shape of DOMAIN.md's 'table as data'."""
    return {
        "org": org.code,
        "org_name": org.name,
        "campaign": campaign.year,
        "cutoff": cutoff.isoformat(),
        "items": items,
    }


def compute_table(
    session: Session, campaign: Campaign, org: Org, cutoff: date | None = None
) -> dict[str, Any]:
    cutoff = cutoff or campaign.cutoff_on
    tables = compute_tables(session, campaign, cutoff)
    return table_json(org, campaign, cutoff, tables[org.id])


__all__ = ["compute_table", "compute_tables"]
