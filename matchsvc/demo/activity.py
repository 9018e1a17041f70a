"""The demo's activity after registration: services given (帮扶记录, a few voided), job fairs, and
what a city officer finds waiting on a working day in the portals."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import clock
from ..actors import Actor
from ..assistance.service import record_fair, record_service, void_service
from ..graduates.service import change_status
from ..matching.loader import open_position_filter
from ..models import (
    Employer,
    EmploymentStatus,
    Graduate,
    InterestKind,
    Position,
    ReferralState,
    RequestKind,
    Role,
    ServiceKind,
    User,
)
from ..orgs.service import get_org, region_name
from ..portals.requests import ask
from ..referrals.interest import set_interest
from ..referrals.service import apply, record_step, refer
from .frame import CAMPAIGN_START, DEMO_CITIES, DEMO_PROVINCES, random_day


def give_services(
    session: Session, cli: Actor, rng: random.Random, graduates: list[Graduate]
) -> None:
    kinds = [k for k in ServiceKind if k != ServiceKind.WORK_STUDY]  # graduates, not students
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
                on=random_day(
                    rng, max(date(2012, 6, 20), graduate.registered_on), date(2012, 9, 10)
                ),
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
                random_day(rng, max(CAMPAIGN_START, graduate.registered_on), date(2012, 9, 20)),
            )


def hold_fairs(session: Session, cli: Actor, rng: random.Random) -> None:
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
                held_on=random_day(rng, CAMPAIGN_START, date(2012, 9, 5)),
                org=org,
                positions_offered=rng.choice([0, 40, 120, 300, 560]),
            )


def portal_activity(session: Session, graduates: list[Graduate], today: date) -> None:
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
