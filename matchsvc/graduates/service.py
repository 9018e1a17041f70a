"""Registering graduates and changing their employment status (the national one-person rule)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.exc import StaleDataError

from .. import clock, pii
from ..actors import Actor
from ..audit import record
from ..clock import china_time
from ..errors import Conflict, DomainError, NotFound
from ..jurisdiction import org_in_region
from ..models import (
    AuditEvent,
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
from ..validators import (
    IdNumber,
    check_graduation_year,
    check_student_year,
    parse_credit_code,
    parse_id_number,
    parse_origin_code,
    parse_phone,
    parse_region_code,
)
from . import lookups, profile_history
from .closing import close_waiting_referrals
from .fields import FIELD_LABELS


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
    #: 在校生 (for 勤工俭学): the graduation year is a future one.
    student: bool = False


def find_by_id_number(session: Session, id_number: str) -> Graduate | None:
    """Look a person up nationally by the keyed hash of the normalised ID number."""
    digest = pii.keyring().digest(parse_id_number(id_number).value)
    return session.scalar(select(Graduate).where(Graduate.id_number_hash == digest))


def initial_history(
    status: EmploymentStatus | None, since: date | None, registered_on: date
) -> list[tuple[EmploymentStatus, date]]:
    """A new archive's status history: 未就业 from the 登记日期 until the given status took effect
    (状态日期, else the 登记日期); a status dated on or before registration is the only entry."""
    status = status or EmploymentStatus.UNEMPLOYED
    since = since or registered_on
    history = []
    if status == EmploymentStatus.UNEMPLOYED or since > registered_on:
        history.append((EmploymentStatus.UNEMPLOYED, registered_on))
    if status != EmploymentStatus.UNEMPLOYED:
        history.append((status, since))
    return history


def check_not_registered(
    session: Session, actor: Actor, id_number: str, *, count_miss: bool = False
) -> IdNumber:
    """The ID number, if nobody holds an archive for it; the answer is a disclosure (counted
    and audited, lookups.py). A registration that goes through is no probe; a form checked
    without saving (`count_miss`) learns "nobody has it" for nothing else, so its miss counts."""
    idn = parse_id_number(id_number)
    lookups.guard(session, actor, "id_number")
    existing = session.scalar(
        select(Graduate)
        .where(Graduate.id_number_hash == pii.keyring().digest(idn.value))
        .options(selectinload(Graduate.home_org))
    )
    if existing is not None:  # the answer names a registered person: counted and audited
        lookups.answered(session, actor, "id_number", "register", [existing])
        raise Conflict(
            f"该身份证号已在“{existing.home_org.name}”建档，不能重复登记", field="id_number"
        )
    if count_miss:
        lookups.answered(session, actor, "id_number", "register", [])
    return idn


def register_graduate(session: Session, actor: Actor, data: GraduateInput) -> Graduate:
    """Create a graduate's archive under a home org within the actor's region."""
    idn = check_not_registered(session, actor, data.id_number)
    home = get_org(session, parse_region_code(data.home_org_code))
    if not org_in_region(actor, home):
        raise NotFound("建档单位不在您的管辖范围内", field="home_org_code")
    return create_archive(session, actor, data, idn, home)


def create_archive(
    session: Session, actor: Actor, data: GraduateInput, idn: IdNumber, home: Org
) -> Graduate:
    """The archive itself, once the number is known to be free and the home org allowed."""
    school_org = get_org(session, parse_region_code(data.school_region_code))
    name = data.name.strip()
    if not name or len(name) > 50:
        raise DomainError("姓名不能为空，且不超过50个字", field="name")
    if not data.school_name.strip() or not data.major_text.strip():
        raise DomainError("毕业院校和专业不能为空")
    if data.student:
        check_student_year(data.graduation_year, idn.birth_date.year, data.registered_on)
    else:
        check_graduation_year(data.graduation_year, idn.birth_date.year)
    graduate = Graduate(
        student=data.student,
        name=name,
        sex=idn.sex,
        birth_year=idn.birth_date.year,
        home_org_id=home.id,
        origin_region_code=parse_origin_code(data.origin_region_code)
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
    for status, effective_on in initial_history(data.status, data.status_since, data.registered_on):
        _add_status(session, actor, graduate, status, effective_on)
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
    mark_verified(graduate, effective_on)
    # A new status answers the graduate's "I am still looking" (the officer decided on it).
    graduate.looking_again = False
    return change


def mark_verified(graduate: Graduate, on: date) -> None:
    """The archive was verified on `on` (a service, a follow-up, a status change): 核实 moves
    forward only."""
    if graduate.verified_on is None or graduate.verified_on < on:
        graduate.verified_on = on


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
    """Record a status change with the date it took effect (the history keeps every step); a
    status of work closes the referrals and applications still waiting (closing.py)."""
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
        details={
            "status": status.value,
            "effective_on": effective_on.isoformat(),
            "version": graduate.version,
        },
    )
    close_waiting_referrals(session, actor, graduate, effective_on)
    return change


#: Profile fields an edit may change (the ID number identifies the person and stays).
PROFILE_FIELDS = (
    "name",
    "origin_region_code",
    "school_name",
    "major_text",
    "degree",
    "graduation_year",
    "family_kind",
    "parent_employer_name",
    "parent_employer_uscc",
    "wish_regions",
    "wish_work",
    "wants_training",
    "wants_internship",
    "wants_business",
    "skills",
    "certificates",
    "archive_no",
    "registered_on",
)


def update_profile(
    session: Session, actor: Actor, graduate: Graduate, values: dict[str, Any]
) -> list[str]:
    """Change a graduate's profile (the caller checked edit rights); returns the changed fields.

    `version`, when given, is the profile version the form was opened at: a save over a newer
    version (another officer saved meanwhile) is refused with what changed. `keep_phone` leaves
    the phone as it is (the form never shows it in full)."""
    expected = values.get("version")
    if expected is not None and expected != graduate.version:
        raise Conflict(_changed_since(session, graduate, int(expected)))
    name = str(values.get("name") or "").strip()
    if not name or len(name) > 50:
        raise DomainError("姓名不能为空，且不超过50个字", field="name")
    home = get_org(session, parse_region_code(values["home_org_code"]))
    if not org_in_region(actor, home):
        raise NotFound("建档单位不在您的管辖范围内；跨辖区请使用档案转移", field="home_org_code")
    school_org = get_org(session, parse_region_code(values["school_region_code"]))
    clean = dict(values, name=name)
    if clean.get("graduation_year") is not None:
        year = int(clean["graduation_year"])
        if graduate.student and year > clock.today().year:
            check_student_year(year, graduate.birth_year, clock.today())
        else:
            check_graduation_year(year, graduate.birth_year)
    if clean.get("origin_region_code"):
        clean["origin_region_code"] = parse_origin_code(clean["origin_region_code"])
    if clean.get("parent_employer_uscc"):
        clean["parent_employer_uscc"] = parse_credit_code(clean["parent_employer_uscc"])
    clean["wish_regions"] = [parse_region_code(c) for c in clean.get("wish_regions") or []]
    changed = [f for f in PROFILE_FIELDS if f in clean and getattr(graduate, f) != clean[f]]
    profile_history.remember(session, graduate, changed)
    for f in changed:
        setattr(graduate, f, clean[f])
    if graduate.home_org_id != home.id:
        graduate.home_org_id = home.id
        changed.append("home_org")
    if graduate.school_org_id != school_org.id:
        graduate.school_org_id = school_org.id
        changed.append("school_org")
    if not values.get("keep_phone"):
        phone = parse_phone(values["phone"]) if values.get("phone") else None
        if phone != graduate.phone:
            graduate.set_phone(phone)
            changed.append("phone")
    hardships = list(dict.fromkeys(values.get("hardships") or []))
    if set(hardships) != set(graduate.hardship_categories):
        graduate.hardships = [GraduateHardship(category=h) for h in hardships]
        changed.append("hardships")
    if changed:
        try:
            session.flush()
        except StaleDataError:  # saved by someone else between our read and this write
            raise Conflict("该档案刚被他人修改，请重新打开后再修改。") from None
        record(
            session,
            actor,
            "update",
            graduate,
            org_id=graduate.home_org_id,
            details={"fields": changed, "version": graduate.version},
        )
    return changed


def _changed_since(session: Session, graduate: Graduate, version: int) -> str:
    """The refusal of a stale form: who saved since, when, and which fields."""
    events = [
        e
        for e in session.scalars(
            select(AuditEvent)
            .where(
                AuditEvent.entity_type == "graduate",
                AuditEvent.entity_id == graduate.id,
                AuditEvent.action.in_(("update", "status")),
            )
            .order_by(AuditEvent.id.desc())
            .limit(20)
        )
        if int((e.details or {}).get("version") or 0) > version or e.action == "status"
    ]
    fields: list[str] = []
    for e in events:
        for f in (e.details or {}).get("fields") or ["status"]:
            label = FIELD_LABELS.get(f, f)
            if label not in fields:
                fields.append(label)
    latest = events[0] if events else None
    who = f"{latest.actor}于{china_time(latest.at).strftime('%m-%d %H:%M')}" if latest else "他人"
    what = "、".join(fields[:8]) or "档案内容"
    return f"您打开表单后，{who}修改了该档案（{what}）。未保存您的修改，请查看最新内容后重新修改。"
