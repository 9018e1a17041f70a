"""Reading the matcher's inputs from the database: the open positions (status 招聘中, not past
their closing date, of an approved employer, with headcount left), the graduates (always read
fresh), training offers and helpers. The cache of open positions is matching/live.py."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, exists, func, or_, select, true
from sqlalchemy.orm import Session

from .. import areacodes, clock
from ..majors.mapping import position_levels
from ..majors.normalize import is_unrestricted
from ..models import (
    ACTIVE_ARCHIVE_STATES,
    HOLDING_INTERNSHIP_STATES,
    LOOKING_STATUSES,
    Employer,
    EmployerStatus,
    EmploymentStatus,
    Graduate,
    GraduateHardship,
    Interest,
    InterestKind,
    Internship,
    Org,
    Position,
    PositionKind,
    PositionMajor,
    PositionStatus,
    Referral,
    ReferralState,
    ReferralStep,
    ServiceKind,
    ServiceRecord,
    TrainingEnrollment,
    TrainingOffer,
)
from .engine.index import PositionIndex
from .engine.profiles import BusinessHelp, GraduateProfile, PositionProfile, TrainingProfile

_BATCH = 20_000


def hires_by_position(session: Session, before: date | None = None) -> dict[int, int]:
    """Hires per position (made before `before`, when given)."""
    query = select(Referral.position_id, func.count()).where(Referral.state == ReferralState.HIRED)
    if before is not None:
        query = query.where(
            select(ReferralStep.id)
            .where(
                ReferralStep.referral_id == Referral.id,
                ReferralStep.state == ReferralState.HIRED,
                ReferralStep.on_date < before,
            )
            .exists()
        )
    rows = session.execute(query.group_by(Referral.position_id)).all()
    return {p: n for p, n in rows}


def open_then(day: date) -> ColumnElement[bool]:
    """Open at the start of `day` as far as the records tell: published before it, not closed by
    its date, the employer approved (a post's status has no history: filled or closed later, it
    was open then)."""
    return (
        (Position.published_on < day)
        & or_(Position.closes_on.is_(None), Position.closes_on >= day)
        & (Employer.status == EmployerStatus.APPROVED)
    )


def open_position_filter(today: date) -> ColumnElement[bool]:
    return (
        (Position.status == PositionStatus.OPEN)
        & or_(Position.closes_on.is_(None), Position.closes_on >= today)
        & (Employer.status == EmployerStatus.APPROVED)
    )


def load_positions(
    session: Session,
    today: date,
    where: ColumnElement[bool] | None = None,
    *,
    as_of: bool = False,
    seat: bool = False,
    work_study: bool = False,
) -> list[PositionProfile]:
    """The positions open on `today` with seats left. `as_of` reads them as they stood at the
    start of that day, for the replay: published by then and not yet closed (whatever their
    status now), seats less the hires before that day. `seat` reads the posts `where` names
    whatever their state, publication or seats left (a seat someone just left: a 空岗报告's
    shortlist). 勤工俭学 posts (for students) only with `work_study`, and then nothing else."""
    hired = hires_by_position(session, before=today if as_of else None)
    if seat:
        is_open: ColumnElement[bool] = true()
    else:
        is_open = open_then(today) if as_of else open_position_filter(today)
    filters = (
        is_open,
        where if where is not None else true(),
        Position.kind == PositionKind.WORK_STUDY
        if work_study
        else Position.kind != PositionKind.WORK_STUDY,
    )
    rows = session.execute(
        select(
            Position.id,
            Position.kind,
            Position.title,
            Position.description,
            Position.employer_id,
            Employer.name,
            Employer.kind,
            Employer.org_id,
            Position.work_region_code,
            Position.min_degree,
            Position.headcount,
            Position.inferred,
        )
        .join(Employer, Employer.id == Position.employer_id)
        .where(*filters)
        .order_by(Position.id)
    ).all()
    majors: dict[int, list[tuple[str, str | None, str | None]]] = defaultdict(list)
    if rows:  # the same posts' majors in one query (a join, not lists of ids to bind)
        for pid, text, code, alt in session.execute(
            select(
                PositionMajor.position_id,
                PositionMajor.text,
                PositionMajor.code,
                PositionMajor.code_alt,
            )
            .join(Position, Position.id == PositionMajor.position_id)
            .join(Employer, Employer.id == Position.employer_id)
            .where(*filters)
            .order_by(PositionMajor.id)
        ):
            if not is_unrestricted(text):  # 专业不限 is no requirement
                majors[pid].append((text, code, alt))
    out = []
    for (
        pid,
        kind,
        title,
        desc,
        emp_id,
        emp_name,
        emp_kind,
        org_id,
        region,
        min_degree,
        headcount,
        inferred,
    ) in rows:
        left = headcount - hired.get(pid, 0)
        if seat:
            left = max(left, 1)
        elif left <= 0:
            continue
        own, _ = position_levels(min_degree)
        reqs = majors.get(pid, [])
        own_codes = tuple(c for _, c, _ in reqs if c)
        alt_codes = tuple(a for _, _, a in reqs if a)
        codes = (own_codes, alt_codes) if own == "本科" else (alt_codes, own_codes)
        out.append(
            PositionProfile(
                id=pid,
                kind=kind.value,
                title=title,
                description=desc,
                employer_id=emp_id,
                employer_name=emp_name,
                region=region,
                min_degree=min_degree.value if min_degree else None,
                major_codes=codes,
                major_texts=tuple(t for t, _, _ in reqs),
                inferred=(
                    (tuple(inferred.get("本科", ())), tuple(inferred.get("专科", ())))
                    if inferred and not reqs
                    else ((), ())
                ),
                inferred_strength=float(inferred.get("strength", 0))
                if inferred and not reqs
                else 0.0,
                headcount=left,
                org_id=org_id,
                employer_kind=emp_kind.value,
            )
        )
    return out


def work_study_index(session: Session, today: date) -> PositionIndex:
    """The open 勤工俭学 posts as an index of their own (few, summer only; not cached)."""
    return PositionIndex(load_positions(session, today, work_study=True))


def looking_for_work() -> ColumnElement[bool]:
    """Graduates who are offered jobs: an open archive (建档, 帮扶中) with a looking status, or
    who said they look again — and not held by a 见习协议 (signed, on the post, or waiting for
    the base's 留用 decision), and not a student still at university (offered 勤工俭学)."""
    return (
        Graduate.archive_state.in_(ACTIVE_ARCHIVE_STATES)
        & (Graduate.status.in_(LOOKING_STATUSES) | Graduate.looking_again)
        & ~_held_by_internship()
        & ~studying(clock.today())
    )


def studying(today: date) -> ColumnElement[bool]:
    """Registered as 在校生 and before their graduation year: a student, not yet a graduate."""
    return Graduate.student & (Graduate.graduation_year > today.year)


def students_looking(today: date) -> ColumnElement[bool]:
    """Students offered 勤工俭学 posts: an open archive, at university still."""
    return Graduate.archive_state.in_(ACTIVE_ARCHIVE_STATES) & studying(today)


def _held_by_internship() -> ColumnElement[bool]:
    return exists().where(
        Internship.graduate_id == Graduate.id, Internship.state.in_(HOLDING_INTERNSHIP_STATES)
    )


def graduate_profiles(session: Session, where: ColumnElement[bool]) -> list[GraduateProfile]:
    rows = session.execute(
        select(
            Graduate.id,
            Graduate.degree,
            Graduate.major_code,
            Graduate.major_text,
            Graduate.graduation_year,
            Graduate.origin_region_code,
            Org.code,
            Graduate.wish_regions,
            Graduate.wish_work,
            Graduate.skills,
            Graduate.certificates,
            Graduate.wants_training,
            Graduate.wants_internship,
            Graduate.wants_business,
            Graduate.status,
            Graduate.status_since,
            Graduate.parent_employer_id,
            Graduate.home_org_id,
            Graduate.name,
            Graduate.looking_again,
            Graduate.archive_state,
            Graduate.student,
        )
        .join(Org, Org.id == Graduate.school_org_id)
        .where(where)
        .order_by(Graduate.id)
    ).all()
    ids = [r[0] for r in rows]
    year = clock.today().year
    hardships: dict[int, set[str]] = defaultdict(set)
    declined: dict[int, set[int]] = defaultdict(set)
    held: set[int] = set()
    for i in range(0, len(ids), _BATCH):
        chunk = ids[i : i + _BATCH]
        held.update(
            session.scalars(
                select(Internship.graduate_id).where(
                    Internship.graduate_id.in_(chunk),
                    Internship.state.in_(HOLDING_INTERNSHIP_STATES),
                )
            )
        )
        for gid, cat in session.execute(
            select(GraduateHardship.graduate_id, GraduateHardship.category).where(
                GraduateHardship.graduate_id.in_(chunk)
            )
        ):
            hardships[gid].add(cat.value)
        for gid, pid in session.execute(
            select(Interest.graduate_id, Interest.position_id).where(
                Interest.graduate_id.in_(chunk), Interest.kind == InterestKind.DECLINED
            )
        ):
            declined[gid].add(pid)
    return [
        GraduateProfile(
            id=r[0],
            degree=r[1].value,
            major_code=r[2],
            major_text=r[3],
            graduation_year=r[4],
            origin_region=areacodes.counted_as(r[5]),
            school_region=r[6],
            wish_regions=tuple(r[7] or ()),
            wish_work=r[8],
            skills=" ".join(x for x in (r[9], r[10]) if x) or None,
            wants_training=r[11],
            wants_internship=r[12],
            wants_business=r[13],
            unemployed=r[14] == EmploymentStatus.UNEMPLOYED,
            looking=r[20] in ACTIVE_ARCHIVE_STATES
            and (r[14] in LOOKING_STATUSES or bool(r[19]))
            and r[0] not in held
            and not (r[21] and r[4] > year),
            student=bool(r[21]) and r[4] > year,
            status_since=r[15],
            parent_employer_id=r[16],
            home_org_id=r[17],
            name=r[18],
            hardships=frozenset(hardships.get(r[0], ())),
            declined=frozenset(declined.get(r[0], ())),
        )
        for r in rows
    ]


def training_offers(
    session: Session, today: date, graduate_id: int | None = None
) -> list[TrainingProfile]:
    enrolled = dict(
        session.execute(
            select(TrainingEnrollment.offer_id, func.count()).group_by(TrainingEnrollment.offer_id)
        ).all()
    )
    mine: set[int] = set()
    if graduate_id is not None:
        mine = set(
            session.scalars(
                select(TrainingEnrollment.offer_id).where(
                    TrainingEnrollment.graduate_id == graduate_id
                )
            )
        )
    rows = session.execute(
        select(TrainingOffer, Org.name)
        .join(Org, Org.id == TrainingOffer.org_id)
        .where(TrainingOffer.signup_closes_on >= today)
    ).all()
    return [
        TrainingProfile(
            id=o.id,
            kind=o.kind.value,
            name=o.name,
            skills=o.skills,
            certificate=o.certificate,
            org_id=o.org_id,
            org_name=name,
            region=o.region_code,
            seats_left=o.seats - enrolled.get(o.id, 0),
            signup_closes_on=o.signup_closes_on,
        )
        for o, name in rows
        if o.id not in mine
    ]


def business_helpers(session: Session, home_org: Org) -> list[BusinessHelp]:
    """The graduate's home org and the orgs above it (not HQ), nearest first, with how often each
    has given 创业指导 or 小额担保贷款."""
    codes = [c for c in home_org.path.strip("/").split("/")[1:]]
    orgs = {o.code: o for o in session.scalars(select(Org).where(Org.code.in_(codes)))}
    given = dict(
        session.execute(
            select(ServiceRecord.org_id, func.count())
            .where(
                ServiceRecord.kind.in_([ServiceKind.BUSINESS_GUIDANCE, ServiceKind.LOAN]),
                ServiceRecord.voided_at.is_(None),
                ServiceRecord.org_id.in_([o.id for o in orgs.values()]),
            )
            .group_by(ServiceRecord.org_id)
        ).all()
    )
    return [
        BusinessHelp(
            org_id=orgs[c].id,
            org_name=orgs[c].name,
            region=c,
            services_given=given.get(orgs[c].id, 0),
        )
        for c in reversed(codes)
        if c in orgs
    ]


def ids_of(profiles: Iterable[Any]) -> list[int]:
    return [p.id for p in profiles]
