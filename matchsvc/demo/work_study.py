"""The demo's 勤工俭学: students of 广州 families registered while at university — one a child of a
广州地铁 worker (first for its summer post) — the summer posts of next summer open now, a student
placed on one of last summer's, and a student registered earlier who graduates this year and so is
a graduate now, offered jobs, without a second registration."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import clock
from ..actors import Actor
from ..graduates.service import GraduateInput, register_graduate
from ..models import (
    Degree,
    Employer,
    EmployerStatus,
    Graduate,
    Position,
    PositionKind,
    ReferralState,
)
from ..referrals.service import record_step, refer
from .frame import make_id_number

#: (name, male, major, years to graduation — 0 graduates this year, a child of the metro's worker)
STUDENTS = (
    ("林晓彤", False, "汉语言文学", 2, True),
    ("陈浩然", True, "机械设计制造及其自动化", 1, False),
    ("黄诗琪", False, "会计学", 3, False),
    ("梁子轩", True, "计算机科学与技术", 2, False),
    ("何雨欣", False, "护理学", 0, False),
)


def _post(
    session: Session, e: Employer, title: str, summer: int, published: date, closes: date,
    hours: int, pay: str,
) -> Position:  # fmt: skip
    post = Position(
        employer_id=e.id, kind=PositionKind.WORK_STUDY, title=title,
        description="暑期勤工俭学岗位，面向暑期返乡的困难职工和农民工家庭大学生。",
        work_region_code=e.region_code or "440100", headcount=4, published_on=published,
        closes_on=closes, work_starts_on=date(summer, 7, 6), work_ends_on=date(summer, 8, 21),
        hours_per_week=hours, pay_per_hour=Decimal(pay),
    )  # fmt: skip
    session.add(post)
    session.flush()
    return post


def work_study(session: Session, cli: Actor, rng: random.Random, today: date) -> None:
    today = min(today, clock.today())
    found = session.scalars(
        select(Employer)
        .where(Employer.status == EmployerStatus.APPROVED, Employer.region_code.startswith("4401"))
        .order_by(Employer.id)
    ).all()
    if len(found) < 2:
        return
    metro, others = found[0], found[1:]
    students: list[Graduate] = []
    for name, male, major, ahead, child in STUDENTS:
        born = date(today.year - 20 + ahead, rng.randrange(1, 13), rng.randrange(1, 28))
        # the one graduating this year and the one placed last summer registered last year
        early = ahead == 0 or name == STUDENTS[1][0]
        registered = today - timedelta(days=400 if early else rng.randrange(30, 300))
        g = register_graduate(
            session, cli,
            GraduateInput(
                name=name, id_number=make_id_number(rng, "440106", born, male),
                home_org_code="440100", school_name="华南理工大学", school_region_code="440100",
                major_text=major, degree=Degree.BENKE, graduation_year=today.year + ahead,
                registered_on=registered, wish_regions=["440100"], student=True,
                parent_employer_name=metro.name if child else None,
            ),
        )  # fmt: skip
        if child:
            g.parent_employer_id = metro.id
        students.append(g)
    summer = today.year + 1 if today.month > 8 else today.year
    _post(session, metro, "暑期地铁站务助理", summer, today - timedelta(days=5), date(summer, 6, 30), 20, "23.00")  # fmt: skip
    _post(session, others[0], "暑期文员助理", summer, today - timedelta(days=3), date(summer, 6, 30), 16, "21.50")  # fmt: skip
    last = summer - 1
    past = _post(session, others[0], "暑期档案整理", last, date(last, 5, 20), date(last, 6, 30), 20, "21.00")  # fmt: skip
    placed = students[1]
    if placed.is_student(date(last, 6, 20)):
        gz = Actor(
            role=cli.role, label=cli.label, org_id=placed.home_org_id, org_path=placed.home_org.path
        )
        r = refer(session, gz, placed.id, past.id, date(last, 6, 20))
        record_step(session, gz, r, ReferralState.HIRED, date(last, 7, 6))
    session.flush()
