"""`matchsvc demo`: realistic, deterministic demo data for the 2012 campaign, built through the services."""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import clock
from ..actors import Actor
from ..auth.service import create_user
from ..employers.service import PositionInput, create_position, register_employer
from ..graduates.service import GraduateInput, register_graduate
from ..models import (
    HQ_CODE,
    Campaign,
    Degree,
    Employer,
    EmployerKind,
    EmploymentStatus,
    FamilyKind,
    Graduate,
    Hardship,
    Org,
    PositionKind,
    Role,
    TrainingKind,
    User,
)
from ..orgs.service import add_org, get_org, region_name, seed_orgs
from ..training.service import TrainingInput, create_offer
from . import data
from .activity import give_services, hold_fairs, portal_activity
from .archives import archive_states
from .casework import follow_up_history, recent_hires
from .frame import (
    DEMO_CITIES,
    DEMO_COUNTIES,
    DEMO_PROVINCES,
    LOGINS,
    YEAR,
    counties_under,
    make_id_number,
    make_uscc,
    random_day,
)
from .internships import internships
from .market import job_market
from .welfare import welfare_ledger
from .work_study import work_study


def build_demo(
    session: Session, *, seed: int = 2012, graduate_count: int = 3000, today: date | None = None
) -> list[tuple[str, str, str, str]] | None:
    """Fill an initialised database; None (and no change) when demo data is already there.

    The data tell the 2012 campaign's story; besides it, positions and courses open now (relative
    to `today`) so the matcher has something to recommend the day the demo is started."""
    if session.scalar(select(User.id).where(User.username == "hq")) is not None:
        return None
    rng = random.Random(seed)
    seed_orgs(session)
    hq = get_org(session, HQ_CODE)
    cli = Actor.command_line(hq)
    for county, city in DEMO_COUNTIES:
        if session.scalar(select(Org.id).where(Org.code == county)) is None:
            add_org(session, cli, county, f"{region_name(county)}总工会", city)
    if session.scalar(select(Campaign.id).where(Campaign.year == YEAR)) is None:
        session.add(Campaign(year=YEAR, **Campaign.default_dates(YEAR)))

    employers = _employers(session, cli, rng)
    _positions(session, cli, rng, employers)
    _training(session, cli, rng)
    _open_now(session, cli, rng, employers, today or clock.today())
    graduates = _graduates(session, cli, rng, graduate_count, employers)
    give_services(session, cli, rng, graduates)
    hold_fairs(session, cli, rng)
    logins = _users(session, cli, graduates, employers)
    portal_activity(session, graduates, today or clock.today())
    follow_up_history(session, cli, rng, today or clock.today())
    recent_hires(session, cli, rng, graduates, today or clock.today())
    job_market(session, cli, rng, today or clock.today())
    welfare_ledger(session, cli, today or clock.today())
    internships(session, cli, rng, today or clock.today())
    work_study(session, cli, rng, today or clock.today())
    archive_states(session, cli, rng, graduates, today or clock.today())
    return logins


def _employers(session: Session, cli: Actor, rng: random.Random) -> list[Employer]:
    """Each employer where it is: approved by the union of its county (where that union is in
    the demo) or city, its posts in its own place by default."""
    result: list[Employer] = []
    for rows in data.EMPLOYERS.values():
        for name, kind, place in rows:
            org = _nearest_org(session, place)
            result.append(
                register_employer(
                    session,
                    cli,
                    name=name,
                    uscc=make_uscc(rng, org.code, kind),
                    kind=EmployerKind(kind),
                    org_code=org.code,
                    region_code=place,
                    approve=True,
                )
            )
    return result


def _nearest_org(session: Session, code: str) -> Org:
    """The union org of a place, or of the place above it (a county without its own union)."""
    for candidate in (code, code[:4] + "00", code[:2] + "0000"):
        org = session.scalar(select(Org).where(Org.code == candidate))
        if org is not None:
            return org
    raise AssertionError(f"no union above {code}")


def _positions(session: Session, cli: Actor, rng: random.Random, employers: list[Employer]) -> None:
    for employer in employers:
        region = employer.region_code or employer.org.code
        templates: list[tuple[str, str, list[str], str | None, str]]
        if employer.kind.value == "public_welfare":
            templates = [(t, "public_welfare", m, None, d) for t, m, d in data.PUBLIC_POSTS]
        else:
            templates = rng.sample(data.POSITIONS, k=rng.randint(3, 6))
        for template in templates:
            published = random_day(rng, date(2012, 6, 1), date(2012, 8, 20))
            closes = published + timedelta(days=rng.choice([30, 60, 90]))
            pay = rng.choice([1800, 2200, 2600, 3000, 3500, 4000])
            _post(session, cli, rng, employer, region, template, published, closes, pay)


Template = tuple[str, str, list[str], str | None, str]


def _post(
    session: Session,
    cli: Actor,
    rng: random.Random,
    employer: Employer,
    region: str,
    template: Template,
    published: date,
    closes: date,
    pay_min: int,
) -> None:
    title, kind, majors, degree, desc = template
    create_position(
        session,
        cli,
        employer,
        PositionInput(
            kind=PositionKind(kind),
            title=title,
            description=desc,
            majors=list(majors),
            min_degree=Degree(degree) if degree else None,
            work_region_code=region,
            headcount=rng.choice([1, 2, 3, 5, 8, 10, 20]),
            pay_min=pay_min,
            pay_max=pay_min + rng.choice([500, 1000, 2000]),
            published_on=published,
            closes_on=closes,
        ),
    )


def _open_now(
    session: Session, cli: Actor, rng: random.Random, employers: list[Employer], today: date
) -> None:
    """Positions and courses open today: two or three per employer, two courses per province."""
    for employer in employers:
        region = employer.region_code or employer.org.code
        templates: list[Template]
        if employer.kind.value == "public_welfare":
            title, majors, desc = data.PUBLIC_POSTS[0]
            templates = [(title, "public_welfare", list(majors), None, desc)]
        else:
            templates = rng.sample(data.POSITIONS, k=rng.randint(2, 3))
        for template in templates:
            published = today - timedelta(days=rng.randint(1, 30))
            closes = today + timedelta(days=rng.choice([60, 90, 120]))
            pay = rng.choice([2600, 3000, 3500, 4000, 4500, 5000])
            _post(session, cli, rng, employer, region, template, published, closes, pay)
    for province in [*DEMO_PROVINCES, *DEMO_CITIES]:
        for course in rng.sample(data.TRAININGS, k=2):
            starts = today + timedelta(days=rng.randint(14, 40))
            _course(
                session,
                cli,
                rng,
                province,
                course,
                starts,
                f"（{starts.year}年{starts.month}月班）",
            )


def _training(session: Session, cli: Actor, rng: random.Random) -> None:
    for province in [*DEMO_PROVINCES, *DEMO_CITIES]:
        for course in rng.sample(data.TRAININGS, k=3):
            starts = random_day(rng, date(2012, 7, 5), date(2012, 8, 15))
            _course(session, cli, rng, province, course, starts)


def _course(
    session: Session,
    cli: Actor,
    rng: random.Random,
    province: str,
    course: tuple[str, str, str, str | None],
    starts: date,
    suffix: str = "",
) -> None:
    name, kind, skills, cert = course
    create_offer(
        session,
        cli,
        TrainingInput(
            name=f"{region_name(province)}{name}{suffix}",
            kind=TrainingKind(kind),
            skills=skills,
            certificate=cert,
            org_code=province,
            region_code=province,
            starts_on=starts,
            ends_on=starts + timedelta(days=rng.choice([10, 15, 30])),
            seats=rng.choice([30, 50, 80]),
            signup_closes_on=starts - timedelta(days=3),
        ),
    )


def _graduates(
    session: Session, cli: Actor, rng: random.Random, count: int, employers: list[Employer]
) -> list[Graduate]:
    universities = [u for u in data.UNIVERSITIES]
    home_cities = {
        p: [
            o.code
            for o in session.scalars(select(Org).where(Org.parent_id == get_org(session, p).id))
        ]
        for p in DEMO_PROVINCES
    }
    counties = {code: city for code, city in DEMO_COUNTIES}
    result: list[Graduate] = []
    seen: set[str] = set()
    while len(result) < count:
        province = rng.choice(DEMO_PROVINCES)
        city = rng.choice(home_cities[province])
        capital = next((c for c in DEMO_CITIES if c[:2] == province[:2]), None)
        if capital and rng.random() < 0.3:  # the demo's cities have their share of graduates
            city = capital
        origin_choices = counties_under(city) or [city]
        origin = rng.choice(origin_choices)
        home = origin if origin in counties else city
        local = [u for u in universities if u[1][:2] == province[:2]]
        school, school_region, level = rng.choice(local if rng.random() < 0.7 else universities)
        degree = level if rng.random() < 0.9 else ("master" if level == "benke" else "benke")
        year = rng.choices([2010, 2011, 2012, 2013], weights=[8, 20, 65, 7])[0]
        age = {"zhuanke": 21, "benke": 22, "master": 25, "doctor": 28}[degree]
        born = random_day(rng, date(year - age - 1, 9, 1), date(year - age, 8, 31))
        male = rng.random() < 0.52
        idn = make_id_number(rng, origin, born, male)
        if idn in seen:
            continue
        seen.add(idn)
        name = rng.choice(data.SURNAMES) + "".join(
            rng.choice(data.GIVEN_MALE if male else data.GIVEN_FEMALE)
            for _ in range(rng.choice([1, 2, 2]))
        )
        majors = data.MAJORS_ZHUANKE if degree == "zhuanke" else data.MAJORS_BENKE
        registered = random_day(rng, date(2012, 3, 1), date(2012, 9, 10))
        parent = rng.choice(employers) if rng.random() < 0.12 else None
        status, since = EmploymentStatus.UNEMPLOYED, None
        if rng.random() < 0.3:
            status = rng.choice(list(EmploymentStatus)[1:])
            since = random_day(rng, registered, registered + timedelta(days=60))
        result.append(
            register_graduate(
                session,
                cli,
                GraduateInput(
                    name=name,
                    id_number=idn,
                    phone=f"1{rng.choice('35789')}{rng.randrange(10**9):09d}",
                    home_org_code=home,
                    origin_region_code=origin,
                    school_name=school,
                    school_region_code=school_region,
                    major_text=rng.choice(majors),
                    degree=Degree(degree),
                    graduation_year=year,
                    registered_on=registered,
                    family_kind=FamilyKind.MIGRANT if rng.random() < 0.2 else FamilyKind.WORKER,
                    hardships=rng.sample(list(Hardship), k=rng.choice([0, 1, 1, 2])),
                    parent_employer_name=parent.name if parent else None,
                    parent_employer_uscc=parent.uscc if parent and rng.random() < 0.5 else None,
                    wish_regions=[city] if rng.random() < 0.6 else [school_region],
                    wish_work=rng.choice(["技术", "管理", "财务", "销售", "行政", None]),
                    wants_training=rng.random() < 0.4,
                    wants_internship=rng.random() < 0.35,
                    wants_business=rng.random() < 0.1,
                    skills=rng.choice(["办公软件", "驾驶证C1", "英语四级", "CAD", "Python", None]),
                    archive_no=f"BF{origin}{rng.randrange(10**6):06d}",
                    status=status,
                    status_since=since,
                ),
            )
        )
    return result


def _users(
    session: Session, cli: Actor, graduates: list[Graduate], employers: list[Employer]
) -> list[tuple[str, str, str, str]]:
    logins = []
    for role, username, password, org, note in LOGINS:
        create_user(
            session,
            cli,
            role=Role(role),
            username=username,
            password=password,
            org_code=org,
            display_name=note.rsplit(" ", 1)[-1],
        )
        logins.append((role, username, password, note))
    employer = employers[0]
    create_user(
        session,
        cli,
        role=Role.EMPLOYER,
        username="gzmetro_hr",
        password="Demo-emp-2012",
        employer_uscc=employer.uscc,
    )
    logins.append(("employer", "gzmetro_hr", "Demo-emp-2012", employer.name))
    fresh = next(
        g for g in graduates if g.graduation_year == YEAR and g.home_org.code.startswith("44")
    )
    create_user(
        session,
        cli,
        role=Role.GRADUATE,
        username="grad_demo",
        password="Demo-grad-2012",
        graduate_id_number=fresh.id_number,
    )
    logins.append(("graduate", "grad_demo", "Demo-grad-2012", f"毕业生 {fresh.name}"))
    return logins
