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
from ..graduates import lookups
from ..graduates.service import find_by_id_number
from ..jurisdiction import get_graduate, graduate_scope, org_column_in_region, org_in_region
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


#: The same answer for a number nobody has and for a graduate outside the officer's reach, so
#: the form does not tell which ID numbers are registered elsewhere.
NOT_FOUND = "未找到该身份证号的毕业生，或不在您的管辖范围内"


def enrol_by_id_number(
    session: Session, actor: Actor, offer: TrainingOffer, id_number: str, on: date
) -> Graduate:
    """Enrol the graduate with this ID number, if the actor may see them; returns them. The
    answer is about a number: within the user's allowance, audited (graduates.lookups)."""
    lookups.guard(session, actor, "id_number")
    found = find_by_id_number(session, id_number)
    try:
        if found is None:
            raise NotFound(NOT_FOUND, field="id_number")
        graduate = get_graduate(session, actor, found.id)
    except NotFound:
        lookups.answered(session, actor, "id_number", "training", [], shown=False)
        raise NotFound(NOT_FOUND, field="id_number") from None
    lookups.answered(session, actor, "id_number", "training", [graduate])
    enrol(session, actor, offer, graduate, on)
    return graduate


def candidates(
    session: Session, actor: Actor, offer: TrainingOffer, limit: int = 300
) -> list[Graduate]:
    """Graduates the actor may see who asked for training and are not in this offer yet: the
    officer picks a trainee by name, school and major (never by a number shown masked)."""
    enrolled = select(TrainingEnrollment.graduate_id).where(TrainingEnrollment.offer_id == offer.id)
    return list(
        session.scalars(
            select(Graduate)
            .where(
                graduate_scope(actor),
                Graduate.wants_training.is_(True),
                Graduate.anonymised_at.is_(None),
                Graduate.id.not_in(enrolled),
            )
            .order_by(Graduate.name_pinyin, Graduate.id)
            .limit(limit)
        )
    )


def enrol_graduate(
    session: Session, actor: Actor, offer: TrainingOffer, graduate_id: int, on: date
) -> Graduate:
    """Enrol a graduate chosen from the list (one the actor may see); returns them."""
    graduate = get_graduate(session, actor, graduate_id)
    enrol(session, actor, offer, graduate, on)
    return graduate


def enrolments(
    session: Session, actor: Actor, offer: TrainingOffer
) -> tuple[list[tuple[TrainingEnrollment, Graduate]], int]:
    """The enrolments of graduates the actor may see, and how many others there are (another
    org's graduates may enrol in an offer inside the actor's region)."""
    rows = session.execute(
        select(TrainingEnrollment, Graduate)
        .join(Graduate, Graduate.id == TrainingEnrollment.graduate_id)
        .where(TrainingEnrollment.offer_id == offer.id, graduate_scope(actor))
        .order_by(TrainingEnrollment.id)
    ).all()
    total = session.scalar(select(func.count()).where(TrainingEnrollment.offer_id == offer.id)) or 0
    return [(e, g) for e, g in rows], total - len(rows)


def enrol(
    session: Session, actor: Actor, offer: TrainingOffer, graduate: Graduate, on: date
) -> TrainingEnrollment:
    """Enrol a graduate in an offer with open seats (the caller checked jurisdiction)."""
    # the seat count decides: lock the offer so parallel enrolments are counted one by one
    session.execute(select(TrainingOffer.id).where(TrainingOffer.id == offer.id).with_for_update())
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
    assert offer is not None
    graduate = get_graduate(session, actor, enrollment.graduate_id)
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
