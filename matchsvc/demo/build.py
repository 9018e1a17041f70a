"""`matchsvc demo`: realistic, deterministic demo data for the 2012 campaign, built through the services."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import clock
from ..actors import Actor
from ..assistance.service import record_fair, record_service, void_service
from ..auth.service import create_user
from ..employers.service import PositionInput, create_position, register_employer
from ..graduates.service import GraduateInput, change_status, register_graduate
from ..matching.loader import open_position_filter
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
    InterestKind,
    Org,
    Position,
    PositionKind,
    ReferralState,
    RequestKind,
    Role,
    ServiceKind,
    TrainingKind,
    User,
)
from ..orgs.service import add_org, get_org, region_name, regions, seed_orgs
from ..portals.requests import ask
from ..referrals.service import apply, record_step, refer, set_interest
from ..training.service import TrainingInput, create_offer
from ..validators import id_check_char, uscc_check_char
from . import data

DEMO_PROVINCES = ["440000", "420000", "510000", "410000"]
DEMO_COUNTIES = [("440106", "440100"), ("420106", "420100")]
#: Cities with courses and fairs of their own (the city officer's pages are not empty).
DEMO_CITIES = ["440100", "420100"]
YEAR = 2012
CAMPAIGN_START, CUTOFF = date(2012, 7, 1), date(2012, 8, 31)

#: (role, username, password, org or link, what to try)
LOGINS = [
    ("hq", "hq", "Demo-hq-2012", HQ_CODE, "全总保障工作部 周处长"),
    ("officer", "gd_officer", "Demo-gd-2012", "440000", "广东省总工会 陈干事"),
    ("officer", "gz_officer", "Demo-gz-2012", "440100", "广州市总工会 李干事"),
    ("officer", "th_officer", "Demo-th-2012", "440106", "天河区总工会（县级） 黄干事"),
    ("officer", "hb_officer", "Demo-hb-2012", "420000", "湖北省总工会 刘干事"),
]


def make_id_number(rng: random.Random, region: str, born: date, male: bool) -> str:
    seq = rng.randrange(0, 100) * 10 + rng.choice([1, 3, 5, 7, 9] if male else [0, 2, 4, 6, 8])
    first17 = f"{region}{born:%Y%m%d}{seq:03d}"
    return first17 + id_check_char(first17)


def make_uscc(rng: random.Random, region: str, kind: str) -> str:
    """A well-formed 统一社会信用代码: authority, type, region, organisation code, check."""
    head = "11" if kind == "public_welfare" else "91"
    digits = "".join(rng.choice("0123456789") for _ in range(8))
    weights = [3, 7, 9, 10, 5, 8, 4, 2]
    c9 = 11 - sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11
    org_code = digits + {10: "X", 11: "0"}.get(c9, str(c9))
    first17 = f"{head}{region}{org_code}"
    return first17 + uscc_check_char(first17)


def _counties_under(city: str) -> list[str]:
    return [r.code for r in regions().values() if r.parent == city and r.level == "county"]


def _day(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randrange((end - start).days + 1))


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
    _services(session, cli, rng, graduates)
    _fairs(session, cli, rng)
    logins = _users(session, cli, graduates, employers)
    _activity(session, graduates, today or clock.today())
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
            published = _day(rng, date(2012, 6, 1), date(2012, 8, 20))
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
    """Positions and courses open today: one or two per employer, two courses per province."""
    for employer in employers:
        region = employer.region_code or employer.org.code
        templates: list[Template]
        if employer.kind.value == "public_welfare":
            title, majors, desc = data.PUBLIC_POSTS[0]
            templates = [(title, "public_welfare", list(majors), None, desc)]
        else:
            templates = rng.sample(data.POSITIONS, k=rng.randint(1, 2))
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
            starts = _day(rng, date(2012, 7, 5), date(2012, 8, 15))
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
        origin_choices = _counties_under(city) or [city]
        origin = rng.choice(origin_choices)
        home = origin if origin in counties else city
        local = [u for u in universities if u[1][:2] == province[:2]]
        school, school_region, level = rng.choice(local if rng.random() < 0.7 else universities)
        degree = level if rng.random() < 0.9 else ("master" if level == "benke" else "benke")
        year = rng.choices([2010, 2011, 2012, 2013], weights=[8, 20, 65, 7])[0]
        age = {"zhuanke": 21, "benke": 22, "master": 25, "doctor": 28}[degree]
        born = _day(rng, date(year - age - 1, 9, 1), date(year - age, 8, 31))
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
        registered = _day(rng, date(2012, 3, 1), date(2012, 9, 10))
        parent = rng.choice(employers) if rng.random() < 0.12 else None
        status, since = EmploymentStatus.UNEMPLOYED, None
        if rng.random() < 0.3:
            status = rng.choice(list(EmploymentStatus)[1:])
            since = _day(rng, registered, registered + timedelta(days=60))
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


def _services(session: Session, cli: Actor, rng: random.Random, graduates: list[Graduate]) -> None:
    kinds = list(ServiceKind)
    weights = [10, 14, 6, 4, 3, 2, 8, 9, 10]
    for graduate in graduates:
        if rng.random() > 0.6:
            continue
        for _ in range(rng.choice([1, 1, 2, 3])):
            kind = rng.choices(kinds, weights=weights)[0]
            if kind == ServiceKind.EMPLOYED and graduate.status != EmploymentStatus.UNEMPLOYED:
                continue
            org = graduate.home_org if rng.random() < 0.8 else graduate.school_org
            amount = None
            if kind == ServiceKind.LOAN:
                amount = Decimal(rng.choice([20000, 50000, 80000, 100000]))
            elif kind == ServiceKind.JOB_SUBSIDY:
                amount = Decimal(rng.choice([500, 800, 1000, 1500]))
            service = record_service(
                session,
                cli,
                graduate,
                kind=kind,
                on=_day(rng, max(date(2012, 6, 20), graduate.registered_on), date(2012, 9, 10)),
                org=org,
                amount=amount,
            )
            if rng.random() < 0.02:
                void_service(session, cli, service, "录入错误：重复登记")
        if graduate.status == EmploymentStatus.UNEMPLOYED and rng.random() < 0.05:
            change_status(
                session,
                cli,
                graduate,
                EmploymentStatus.SIGNED,
                _day(rng, max(CAMPAIGN_START, graduate.registered_on), date(2012, 9, 20)),
            )


def _fairs(session: Session, cli: Actor, rng: random.Random) -> None:
    names = [
        "高校毕业生专场招聘会",
        "阳光就业行动岗位对接会",
        "困难职工家庭毕业生就业见习推介会",
        "公益性岗位专场对接会",
    ]
    for province in [*DEMO_PROVINCES, *DEMO_CITIES]:
        org = get_org(session, province)
        for i in range(rng.randint(3, 6)):
            record_fair(
                session,
                cli,
                name=f"{region_name(province)}{rng.choice(names)}（第{i + 1}场）",
                held_on=_day(rng, CAMPAIGN_START, date(2012, 9, 5)),
                org=org,
                positions_offered=rng.choice([0, 40, 120, 300, 560]),
            )


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


def _activity(session: Session, graduates: list[Graduate], today: date) -> None:
    """What a city officer finds waiting on a working day: graduates of 广州 who showed interest
    in open posts, applied (one invited to an interview), were referred by 广州's union, or
    asked for a correction or reported a signing."""
    officer = session.scalar(select(User).where(User.username == "gz_officer"))
    employer_user = session.scalar(select(User).where(User.username == "gzmetro_hr"))
    assert officer is not None and employer_user is not None
    gz = Actor.for_user(officer)
    posts = session.scalars(
        select(Position)
        .join(Employer, Employer.id == Position.employer_id)
        .where(open_position_filter(today), Position.work_region_code.startswith("4401"))
        .order_by(Position.id)
    ).all()
    local = [g for g in graduates if g.home_org.code in ("440100", "440106") and g.is_looking]
    if not posts:
        return
    metro = [p for p in posts if p.employer_id == employer_user.employer_id] or posts
    for n, g in enumerate(local[:15]):
        me = Actor(role=Role.GRADUATE, label=g.name, graduate_id=g.id)
        post = metro[n % len(metro)] if n % 5 in (1, 2) else posts[n % len(posts)]
        step = n % 5
        if step == 0:
            set_interest(session, me, post.id, InterestKind.INTERESTED)
        elif step == 1:
            apply(session, me, post.id, today, "本人可随时到岗，希望获得面试机会")
        elif step == 2:
            application = apply(session, me, post.id, today)
            record_step(
                session,
                Actor.for_user(employer_user),
                application,
                ReferralState.INTERVIEW,
                today,
                interview_at=datetime.combine(today + timedelta(days=3), time(9, 30), clock.CHINA),
                place="广州市海珠区新港东路1238号 广州地铁大厦 5楼人力资源部",
            )
        elif step == 3:
            refer(session, gz, g.id, post.id, today, note="专业对口，家庭困难，优先推荐")
        else:
            ask(session, me, RequestKind.CORRECTION, "手机号已更换，请帮我更新")
