"""The records or persons behind each number of the table, within the viewer's jurisdiction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from ..actors import Actor
from ..errors import NotFound
from ..jurisdiction import graduate_scope, org_in_region, subtree_ids
from ..models import Campaign, Employer, Graduate, JobFair, Org, Position, ServiceRecord
from .compute import (
    AMOUNT_KEYS,
    PERSON_ITEMS,
    SERVICE_KEYS,
    fairs_counted,
    graduates_as_of,
    period_of,
    person_conditions,
    positions_counted,
    services_counted,
)
from .items import LINES

LIMIT = 500
_SERVICE_KIND = {key: kind for kind, key in SERVICE_KEYS.items()} | {
    key: kind for kind, key in AMOUNT_KEYS.items()
}


@dataclass
class Drill:
    key: str
    kind: str  # "graduates", "services", "fairs" or "positions"
    rows: list[Any]
    total: int


def drill(
    session: Session,
    viewer: Actor,
    campaign: Campaign,
    org: Org,
    key: str,
    cutoff: date | None = None,
) -> Drill:
    """What item `key` of `org`'s table counts (at most LIMIT rows, and how many in all)."""
    if key not in {line.key for line in LINES}:
        raise NotFound("没有这一项")
    if not org_in_region(viewer, org):
        raise NotFound("没有该组织，或不在您的管辖范围内")
    period = period_of(campaign, cutoff)
    region = subtree_ids(org.path)
    statement: Any
    if key in PERSON_ITEMS:
        grads = graduates_as_of(period)
        attributed = grads.c.home if PERSON_ITEMS[key] == "home" else grads.c.school
        ids = select(grads.c.id).where(
            person_conditions(period, grads)[key], attributed.in_(region)
        )
        statement = (
            select(Graduate)
            .where(Graduate.id.in_(ids), graduate_scope(viewer))
            .options(selectinload(Graduate.home_org), selectinload(Graduate.school_org))
            .order_by(Graduate.name_pinyin, Graduate.id)
        )
        kind = "graduates"
    elif key in _SERVICE_KIND:
        statement = (
            select(ServiceRecord)
            .where(
                *services_counted(period),
                ServiceRecord.kind == _SERVICE_KIND[key],
                ServiceRecord.org_id.in_(region),
            )
            .options(selectinload(ServiceRecord.org))
            .order_by(ServiceRecord.service_date, ServiceRecord.id)
        )
        kind = "services"
    elif key.startswith("09A"):
        statement = (
            select(JobFair)
            .where(fairs_counted(period), JobFair.org_id.in_(region))
            .order_by(JobFair.held_on, JobFair.id)
        )
        kind = "fairs"
    else:
        statement = (
            select(Position)
            .join(Employer, Employer.id == Position.employer_id)
            .where(*positions_counted(period), Employer.org_id.in_(region))
            .options(selectinload(Position.employer))
            .order_by(Position.published_on, Position.id)
        )
        kind = "positions"
    total = (
        session.scalar(select(func.count()).select_from(statement.order_by(None).subquery())) or 0
    )
    return Drill(key, kind, list(session.scalars(statement.limit(LIMIT))), total)


#: In a service list, for a graduate another org served who is outside the viewer's reach.
OUT_OF_REACH = "（不在您的管辖范围内）"


def graduate_names(session: Session, viewer: Actor, ids: set[int]) -> dict[int, str]:
    """Names of the graduates the viewer may see; the others read OUT_OF_REACH (a service is
    counted where it was given, the person belongs to their own jurisdiction)."""
    seen = dict(
        session.execute(
            select(Graduate.id, Graduate.name).where(Graduate.id.in_(ids), graduate_scope(viewer))
        ).all()
    )
    return {i: seen.get(i, OUT_OF_REACH) for i in ids}
