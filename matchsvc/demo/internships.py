"""The demo's 就业见习: 见习补贴 rates for 广东 and 湖北 (marked as demo figures, not a document), a
base in 广州 with an intern in every state — signed up, agreement signed, on the post, 期满
waiting for the decision, ended early, kept (实现就业) and not kept — and a base approved long ago
that has had nobody on its posts for a year (flagged)."""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import clock
from ..actors import Actor
from ..graduates.service import GraduateInput, register_graduate
from ..internships import service, subsidy
from ..models import (
    Approver,
    Degree,
    Employer,
    EmployerKind,
    EmployerStatus,
    Graduate,
    Internship,
    Org,
    Position,
    PositionKind,
)
from .frame import make_id_number

#: The demo's interns, one in each state of an agreement (registered for it: 广州, graduated last summer).
INTERNS = (
    ("许嘉怡", False, "行政管理"),
    ("周子航", True, "人力资源管理"),
    ("郑思远", True, "财务管理"),
    ("罗欣怡", False, "汉语言文学"),
    ("谢文博", True, "工商管理"),
    ("韩雪婷", False, "会计学"),
    ("冯俊杰", True, "市场营销"),
)
DEMO_SOURCE = "演示数据（非正式文件，请按本省现行文件修改）"


def _intern(
    session: Session, cli: Actor, g: Graduate, post: Position, start: date, months: int, n: int
) -> Internship:
    i = service.apply(session, cli, g, post, start - timedelta(days=14))
    service.sign(
        session, cli, i, signed_on=start - timedelta(days=7), starts_on=start, months=months,
        allowance=1800 + 100 * (n % 3),
    )  # fmt: skip
    service.insure(
        session, cli, i, policy_no=f"PICC-DEMO-{n:04d}", insurer="中国人民财产保险",
        insured_from=start, insured_until=service.planned_end(i),
    )  # fmt: skip
    return i


def _intern_of(
    session: Session,
    cli: Actor,
    rng: random.Random,
    today: date,
    n: int,
    row: tuple[str, bool, str],
) -> Graduate:
    name, male, major = row
    born = date(today.year - 22, 3 + n, 9)
    return register_graduate(
        session, cli,
        GraduateInput(
            name=name, id_number=make_id_number(rng, "440106", born, male),
            home_org_code="440100", school_name="广州大学", school_region_code="440100",
            major_text=major, degree=Degree.BENKE, graduation_year=today.year - 1,
            registered_on=today - timedelta(days=420), wish_regions=["440100"],
            wants_internship=True,
        ),
    )  # fmt: skip


def internships(session: Session, cli: Actor, rng: random.Random, today: date) -> None:
    today = min(today, clock.today())
    for code, wage, share, higher in (("440000", 2300, 60, 70), ("420000", 2210, 60, None)):
        if session.scalar(select(Org.id).where(Org.code == code)) is not None:
            subsidy.set_rate(
                session, cli, code, minimum_wage=wage, share_pct=share, higher_pct=higher,
                source=DEMO_SOURCE,
            )  # fmt: skip
    host = session.scalars(
        select(Employer)
        .where(
            Employer.status == EmployerStatus.APPROVED, Employer.kind != EmployerKind.PUBLIC_WELFARE
        )
        .where(Employer.org.has(Org.code.startswith("4401")))
        .order_by(Employer.id)
    ).all()
    people = [_intern_of(session, cli, rng, today, n, row) for n, row in enumerate(INTERNS)]
    if len(host) < 2:
        return
    # the base recruits interns all year round: one post, open since before the first of them
    post = Position(
        employer_id=host[0].id, kind=PositionKind.INTERNSHIP, title="综合管理见习生",
        description="就业见习岗位：行政、财务与人事轮岗，见习期 3–12 个月，提供基本生活补助。",
        work_region_code=host[0].region_code or "440100", headcount=10,
        published_on=today - timedelta(days=420), closes_on=today + timedelta(days=60),
    )  # fmt: skip
    session.add(post)
    session.flush()
    service.approve_base(
        session, cli, post.employer, Approver.HRSS, "穗人社函〔演示〕1号",
        today - timedelta(days=400), today + timedelta(days=700),
    )  # fmt: skip
    applied, signed, on_post, waiting, ended, kept, gone = people
    service.apply(session, cli, applied, post, today - timedelta(days=3))
    i = service.apply(session, cli, signed, post, today - timedelta(days=6))
    service.sign(
        session, cli, i, signed_on=today - timedelta(days=2), starts_on=today + timedelta(days=5),
        months=6, allowance=1900,
    )  # fmt: skip
    service.start(session, cli, _intern(session, cli, on_post, post, today - timedelta(days=75), 6, 1), today - timedelta(days=75))  # fmt: skip
    for g, months, back, n, decide in (
        (waiting, 6, 7, 2, None), (kept, 6, 6, 3, True), (gone, 3, 9, 4, False),
    ):  # fmt: skip
        start = clock.add_months(today, -back)
        i = _intern(session, cli, g, post, start, months, n)
        service.start(session, cli, i, start)
        service.complete(session, cli, i, today)
        if decide is not None:
            assert i.ended_on is not None
            # kept the day after: its first 回访 falls due next month
            service.decide(session, cli, i, decide, min(i.ended_on + timedelta(days=1), today))
    start = today - timedelta(days=120)
    i = _intern(session, cli, ended, post, start, 6, 5)
    service.start(session, cli, i, start)
    service.terminate(session, cli, i, today - timedelta(days=30), "考取研究生，提前离岗")
    idle = host[1]
    service.approve_base(
        session, cli, idle, Approver.UNION, "穗工〔演示〕2号",
        today - timedelta(days=500), today + timedelta(days=200),
    )  # fmt: skip
    session.flush()
