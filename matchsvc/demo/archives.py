"""The demo's archives in every state: online applications to 广州 at each step (one waiting for
初审, one for the visit, one for the 公示, one in 公示, one whose 公示 has ended), one taken all the
way to 帮扶中; registered archives 脱困, 撤档, 注销 and one reopened; and 广东's 年度复核 of this year,
a third of it done."""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import clock
from ..actors import Actor
from ..archives import application, review
from ..archives import service as archives
from ..archives.service import Step
from ..assistance.service import record_service
from ..graduates.service import GraduateInput, find_by_id_number
from ..models import (
    ArchiveReason,
    ArchiveState,
    Degree,
    EmploymentStatus,
    FamilyKind,
    Graduate,
    Hardship,
    ReviewOutcome,
    ServiceKind,
    User,
)
from . import data
from .frame import make_id_number, random_day

S = ArchiveState
#: Days ago each application was made, and the step it has reached.
APPLICATIONS = (
    (2, S.APPLIED),
    (10, S.REVIEWED),
    (15, S.VISITED),
    (6, S.PUBLICISED),  # its 公示 runs until after today
    (20, S.PUBLICISED),  # its 公示 has ended: ready for 建档
    (60, S.ASSISTING),
)


def _applicant(rng: random.Random, year: int) -> GraduateInput:
    school, school_region, level = rng.choice(
        [u for u in data.UNIVERSITIES if u[1].startswith("44")]
    )
    male = rng.random() < 0.5
    born = random_day(rng, date(year - 23, 9, 1), date(year - 22, 8, 31))
    name = rng.choice(data.SURNAMES) + "".join(
        rng.choice(data.GIVEN_MALE if male else data.GIVEN_FEMALE) for _ in range(2)
    )
    return GraduateInput(
        name=name,
        id_number=make_id_number(rng, "440106", born, male),
        phone=f"13{rng.randrange(10**9):09d}",
        home_org_code="440100",
        origin_region_code="440106",
        school_name=school,
        school_region_code=school_region,
        major_text=rng.choice(data.MAJORS_BENKE),
        degree=Degree(level) if level != "zhuanke" else Degree.ZHUANKE,
        graduation_year=year,
        registered_on=clock.today(),
        family_kind=FamilyKind.WORKER,
        hardships=[
            rng.choice([Hardship.DIBAO, Hardship.ZERO_EMPLOYMENT, Hardship.SERIOUS_ILLNESS])
        ],
        wants_internship=True,
    )


def _walk(
    session: Session, gz: Actor, g: Graduate, made: date, to: ArchiveState, today: date
) -> None:
    """Take the application from 申请 to `to`, a few days apart."""
    day = made
    for step in (S.REVIEWED, S.VISITED, S.PUBLICISED, S.OPENED):
        if list(S).index(step) > list(S).index(to):
            return
        day = min(day + timedelta(days=2), today)
        if step == S.VISITED:
            archives.take(
                session, gz, g, Step(step, day, visitors="李敏、陈刚", confirmed=True, consent=True)
            )
        elif step == S.PUBLICISED:
            ends = day + timedelta(days=archives.publicity_days() - 1)
            archives.take(session, gz, g, Step(step, day, ends_on=ends))
            day = ends
        elif step == S.OPENED:
            archives.take(session, gz, g, Step(step, min(day, today), objections="无"))
        else:
            archives.take(session, gz, g, Step(step, day, note="材料齐全"))
    if to == S.ASSISTING:
        record_service(
            session, gz, g, kind=ServiceKind.POLICY, on=min(day + timedelta(days=3), today),
            org=g.home_org, remark="政策咨询",
        )  # fmt: skip


def archive_states(
    session: Session, cli: Actor, rng: random.Random, graduates: list[Graduate], today: date
) -> None:
    today = min(today, clock.today())
    officer = session.scalar(select(User).where(User.username == "gz_officer"))
    assert officer is not None
    gz = Actor.for_user(officer)
    for days, to in APPLICATIONS:
        made = today - timedelta(days=days)
        data_ = _applicant(rng, today.year)
        application.apply_online(session, data_, consent=True, on=made)
        g = find_by_id_number(session, data_.id_number)
        if g is not None and g.archive_state == S.APPLIED and to != S.APPLIED:
            _walk(session, gz, g, made, to, today)
    # registered archives that left hardship, were closed, cancelled, and one reopened
    # (not one who signs in, nor a recent hire whose follow-ups are due: 2012's graduates)
    accounts = set(session.scalars(select(User.graduate_id).where(User.graduate_id.is_not(None))))
    kept = [
        g for g in graduates
        if g.archive_state in (S.OPENED, S.ASSISTING) and g.home_org.code.startswith("44")
        and g.id not in accounts and g.status_since.year < today.year - 1
    ]  # fmt: skip
    employed = [g for g in kept if g.status == EmploymentStatus.EMPLOYED]
    settled = (employed + [g for g in kept if g not in employed])[:4]
    steps = (
        [Step(S.RECOVERED, today - timedelta(days=90), ArchiveReason.STABLE_JOB)],
        [
            Step(S.RECOVERED, today - timedelta(days=400), ArchiveReason.STABLE_JOB),
            Step(S.CLOSED, today - timedelta(days=380)),
        ],
        [Step(S.CANCELLED, today - timedelta(days=60), ArchiveReason.MOVED_AWAY, "全家迁居外省")],
        [
            Step(S.RECOVERED, today - timedelta(days=300), ArchiveReason.HARDSHIP_ENDED),
            Step(S.ASSISTING, today - timedelta(days=20), ArchiveReason.RELAPSE, "父亲重病"),
        ],
    )
    for g, walk in zip(settled, steps, strict=False):
        for step in walk:
            archives.take(session, cli, g, step)
    drawn = review.draw(session, cli, today.year, org_code="440000")
    for item in drawn.items[: len(drawn.items) // 3]:
        g = session.get_one(Graduate, item.graduate_id)
        outcome = ReviewOutcome.CONFIRMED if rng.random() < 0.9 else ReviewOutcome.UNREACHABLE
        review.record_outcome(session, cli, drawn, g, outcome, today)
