"""Registering graduates and changing their employment status (the national one-person rule)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import pii
from ..actors import Actor
from ..audit import record
from ..errors import Conflict, DomainError, NotFound
from ..jurisdiction import org_in_region
from ..models import (
    Degree,
    EmploymentStatus,
    FamilyKind,
    Graduate,
    GraduateHardship,
    Hardship,
    Org,
    StatusChange,
)
from ..orgs.service import get_org
from ..validators import parse_credit_code, parse_id_number, parse_phone, parse_region_code


@dataclass
class GraduateInput:
    name: str
    id_number: str
    home_org_code: str
    school_name: str
    school_region_code: str
    major_text: str
    degree: Degree
    graduation_year: int
    registered_on: date
    family_kind: FamilyKind = FamilyKind.WORKER
    hardships: list[Hardship] = field(default_factory=list)
    phone: str | None = None
    origin_region_code: str | None = None
    parent_employer_name: str | None = None
    parent_employer_uscc: str | None = None
    wish_regions: list[str] = field(default_factory=list)
    wish_work: str | None = None
    wants_training: bool = False
    wants_internship: bool = False
    wants_business: bool = False
    skills: str | None = None
    certificates: str | None = None
    archive_no: str | None = None
    status: EmploymentStatus = EmploymentStatus.UNEMPLOYED
    status_since: date | None = None


def find_by_id_number(session: Session, id_number: str) -> Graduate | None:
    """Look a person up nationally by the keyed hash of the normalised ID number."""
    digest = pii.keyring().digest(parse_id_number(id_number).value)
    return session.scalar(select(Graduate).where(Graduate.id_number_hash == digest))


def register_graduate(session: Session, actor: Actor, data: GraduateInput) -> Graduate:
    """Create a graduate's archive under a home org within the actor's region."""
    idn = parse_id_number(data.id_number)
    existing = session.scalar(
        select(Org)
        .join(Graduate, Graduate.home_org_id == Org.id)
        .where(Graduate.id_number_hash == pii.keyring().digest(idn.value))
    )
    if existing is not None:
        raise Conflict(f"该身份证号已在“{existing.name}”建档，不能重复登记", field="id_number")
    home = get_org(session, parse_region_code(data.home_org_code))
    if not org_in_region(actor, home):
        raise NotFound("建档单位不在您的管辖范围内", field="home_org_code")
    school_org = get_org(session, parse_region_code(data.school_region_code))
    name = data.name.strip()
    if not name or len(name) > 50:
        raise DomainError("姓名不能为空，且不超过50个字", field="name")
    if not data.school_name.strip() or not data.major_text.strip():
        raise DomainError("毕业院校和专业不能为空")
    graduate = Graduate(
        name=name,
        sex=idn.sex,
        birth_date=idn.birth_date,
        home_org_id=home.id,
        origin_region_code=parse_region_code(data.origin_region_code)
        if data.origin_region_code
        else None,
        school_name=data.school_name.strip(),
        school_org_id=school_org.id,
        major_text=data.major_text.strip(),
        degree=data.degree,
        graduation_year=data.graduation_year,
        family_kind=data.family_kind,
        parent_employer_name=data.parent_employer_name,
        parent_employer_uscc=parse_credit_code(data.parent_employer_uscc)
        if data.parent_employer_uscc
        else None,
        wish_regions=[parse_region_code(c) for c in data.wish_regions],
        wish_work=data.wish_work,
        wants_training=data.wants_training,
        wants_internship=data.wants_internship,
        wants_business=data.wants_business,
        skills=data.skills,
        certificates=data.certificates,
        archive_no=data.archive_no,
        registered_on=data.registered_on,
        status=EmploymentStatus.UNEMPLOYED,
        status_since=data.registered_on,
        created_by_id=actor.user_id,
        hardships=[GraduateHardship(category=h) for h in dict.fromkeys(data.hardships)],
    )
    graduate.set_id_number(idn.value)
    graduate.set_phone(parse_phone(data.phone) if data.phone else None)
    session.add(graduate)
    session.flush()
    since = data.status_since or data.registered_on
    if data.status == EmploymentStatus.UNEMPLOYED or since > data.registered_on:
        _add_status(session, actor, graduate, EmploymentStatus.UNEMPLOYED, data.registered_on)
    if data.status != EmploymentStatus.UNEMPLOYED:
        _add_status(session, actor, graduate, data.status, since)
    record(session, actor, "create", graduate, org_id=home.id)
    return graduate


def _add_status(
    session: Session,
    actor: Actor,
    graduate: Graduate,
    status: EmploymentStatus,
    effective_on: date,
    *,
    note: str | None = None,
    service_record_id: int | None = None,
) -> StatusChange:
    change = StatusChange(
        graduate_id=graduate.id,
        status=status,
        effective_on=effective_on,
        note=note,
        service_record_id=service_record_id,
        recorded_by_id=actor.user_id,
    )
    session.add(change)
    session.flush()
    latest = session.scalars(
        select(StatusChange)
        .where(StatusChange.graduate_id == graduate.id)
        .order_by(StatusChange.effective_on.desc(), StatusChange.id.desc())
        .limit(1)
    ).one()
    graduate.status, graduate.status_since = latest.status, latest.effective_on
    return change


def change_status(
    session: Session,
    actor: Actor,
    graduate: Graduate,
    status: EmploymentStatus,
    effective_on: date,
    *,
    note: str | None = None,
    service_record_id: int | None = None,
) -> StatusChange:
    """Record a status change with the date it took effect (the history keeps every step)."""
    if effective_on < graduate.birth_date:
        raise DomainError("状态生效日期无效")
    change = _add_status(
        session,
        actor,
        graduate,
        status,
        effective_on,
        note=note,
        service_record_id=service_record_id,
    )
    record(
        session,
        actor,
        "status",
        graduate,
        org_id=graduate.home_org_id,
        details={"status": status.value, "effective_on": effective_on.isoformat()},
    )
    return change
