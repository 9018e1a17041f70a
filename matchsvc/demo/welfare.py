"""The demo's 公益性岗位 ledger: in 广东, graduates on public-welfare posts in each state — one in
their first year, one assessed 合格, one who left for another job (its 空岗报告 filed), one who
failed the 年度考核, and one whose 空岗报告 is late (on the approving org's 今日待办)."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import clock
from ..actors import Actor
from ..matching import loader
from ..models import Employer, Graduate, Position, PositionKind, TenureExit
from ..public_welfare import service
from ..public_welfare.service import Rules


def welfare_ledger(session: Session, cli: Actor, today: date) -> None:
    today = min(today, clock.today())
    posts = session.scalars(
        select(Position)
        .join(Employer, Employer.id == Position.employer_id)
        .where(Position.kind == PositionKind.PUBLIC_WELFARE, loader.open_position_filter(today))
        .where(Position.work_region_code.startswith("44"))
        .order_by(Position.id)
    ).all()
    people = session.scalars(
        select(Graduate)
        .where(loader.looking_for_work(), Graduate.home_org.has(code="440100"))
        .order_by(Graduate.id.desc())
        .limit(5)
    ).all()
    if not posts or len(people) < 5:
        return
    rules = Rules()
    first, assessed, left, failed, late = people
    on = posts[0]
    service.place(session, cli, first, on, today - timedelta(days=120), rules)
    t = service.place(session, cli, assessed, on, today - timedelta(days=500), rules)
    service.assess(session, cli, t, 1, True, today - timedelta(days=130), "工作认真")
    t = service.place(session, cli, left, posts[-1], today - timedelta(days=400), rules)
    report = service.end_tenure(
        session, cli, t, today - timedelta(days=60), TenureExit.OTHER_JOB, rules=rules
    )
    report.submitted_on = report.due_on - timedelta(days=1)
    t = service.place(session, cli, failed, posts[-1], today - timedelta(days=800), rules)
    service.assess(session, cli, t, 1, False, today - timedelta(days=440), "多次无故缺勤")
    t = service.place(session, cli, late, on, today - timedelta(days=300), rules)
    service.end_tenure(session, cli, t, today - timedelta(days=20), TenureExit.ASKED, rules=rules)
    session.flush()
