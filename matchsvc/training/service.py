"""Training offers (培训项目) and enrolments."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..actors import Actor
from ..assistance.service import record_service
from ..audit import record
from ..errors import Conflict, DomainError, NotFound
from ..jurisdiction import org_column_in_region, org_in_region
from ..models import Graduate, ServiceKind, TrainingEnrollment, TrainingKind, TrainingOffer
from ..orgs.service import get_org
from ..validators import parse_region_code


@dataclass
class TrainingInput:
    name: str
    kind: TrainingKind
    skills: str
    org_code: str
    region_code: str
    starts_on: date
    ends_on: date
    seats: int
    signup_closes_on: date
    certificate: str | None = None


def create_offer(session: Session, actor: Actor, data: TrainingInput) -> TrainingOffer:
    org = get_org(session, data.org_code)
    if not org_in_region(actor, org):
        raise NotFound("主办单位不在您的管辖范围内", field="org")
    if data.seats < 1:
        raise DomainError("名额至少为1", field="seats")
    if data.ends_on < data.starts_on:
        raise DomainError("结束日期不能早于开始日期", field="ends_on")
    offer = TrainingOffer(
        name=data.name.strip(),
        kind=data.kind,
        skills=data.skills.strip(),
        certificate=data.certificate,
        org_id=org.id,
        region_code=parse_region_code(data.region_code),
        starts_on=data.starts_on,
        ends_on=data.ends_on,
        seats=data.seats,
        signup_closes_on=data.signup_closes_on,
        created_by_id=actor.user_id,
    )
    session.add(offer)
    session.flush()
    record(session, actor, "create", offer, org_id=org.id)
    return offer


def enrol(
    session: Session, actor: Actor, offer: TrainingOffer, graduate: Graduate, on: date
) -> TrainingEnrollment:
    """Enrol a graduate in an offer with open seats (the caller checked jurisdiction)."""
    taken = session.scalar(select(func.count()).where(TrainingEnrollment.offer_id == offer.id))
    if (taken or 0) >= offer.seats:
        raise DomainError("该培训项目名额已满")
    if session.scalar(
        select(TrainingEnrollment.id).where(
            TrainingEnrollment.offer_id == offer.id, TrainingEnrollment.graduate_id == graduate.id
        )
    ):
        raise Conflict("该毕业生已报名此培训项目")
    enrollment = TrainingEnrollment(
        offer_id=offer.id, graduate_id=graduate.id, enrolled_on=on, created_by_id=actor.user_id
    )
    session.add(enrollment)
    session.flush()
    record(session, actor, "enrol", enrollment, org_id=offer.org_id)
    return enrollment


def offers_in_region(session: Session, actor: Actor) -> list[TrainingOffer]:
    stmt = (
        select(TrainingOffer)
        .where(org_column_in_region(actor, TrainingOffer.org_id))
        .order_by(TrainingOffer.starts_on.desc(), TrainingOffer.id.desc())
    )
    return list(session.scalars(stmt))


def get_offer(session: Session, actor: Actor, offer_id: int) -> TrainingOffer:
    offer = session.get(TrainingOffer, offer_id)
    if offer is None or not org_in_region(actor, offer.org):
        raise NotFound("未找到该培训项目，或不在您的管辖范围内")
    return offer


def complete(
    session: Session, actor: Actor, enrollment: TrainingEnrollment, on: date, *, certificate: bool
) -> None:
    """Record completion: the training service, and the certificate where one was obtained."""

    if enrollment.completed_on is not None:
        raise Conflict("该学员已结业")
    offer = session.get(TrainingOffer, enrollment.offer_id)
    graduate = session.get(Graduate, enrollment.graduate_id)
    assert offer is not None and graduate is not None
    enrollment.completed_on = on
    kind = (
        ServiceKind.SKILL_TRAINING
        if offer.kind == TrainingKind.SKILL
        else ServiceKind.BUSINESS_TRAINING
    )
    record_service(
        session, actor, graduate, kind=kind, on=on, org=offer.org, remark=offer.name[:200]
    )
    if certificate:
        record_service(
            session,
            actor,
            graduate,
            kind=ServiceKind.CERTIFICATE,
            on=on,
            org=offer.org,
            remark=(offer.certificate or offer.name)[:200],
        )
