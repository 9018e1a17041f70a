"""勤工俭学 for students home for the summer (the notice's section 四): the summer's report. The
notice's table has no item for it, so it is a report of its own, by org within the reader's
region: the students registered (at university in that year, by home org), the 勤工俭学 posts
whose work falls in that summer (and their seats, by the employer's approving org), and the
students placed (勤工俭学 service records of that year: 人次 and 人, by the giving org)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..actors import Actor
from ..jurisdiction import org_column_in_region
from ..models import Employer, Graduate, Org, Position, PositionKind, ServiceKind, ServiceRecord


@dataclass
class Line:
    org_code: str
    org_name: str
    students: int = 0
    posts: int = 0
    seats: int = 0
    placements: int = 0
    placed: set[int] = field(default_factory=set)

    @property
    def people(self) -> int:
        return len(self.placed)


HEAD = [
    "单位",
    "登记在校生（人）",
    "勤工俭学岗位（个）",
    "岗位人数",
    "安排勤工俭学（人次）",
    "（人）",
]


def as_row(line: Line) -> list[object]:
    return [line.org_name, line.students, line.posts, line.seats, line.placements, line.people]


def summer_report(session: Session, actor: Actor, year: int) -> tuple[list[Line], Line]:
    """The lines by org of the actor's region (those with anything to count), and the total."""
    lines: dict[int, Line] = {}
    names = dict(
        (i, (code, name))
        for i, code, name in session.execute(
            select(Org.id, Org.code, Org.name).where(org_column_in_region(actor, Org.id))
        )
    )

    def line(org_id: int) -> Line:
        if org_id not in lines:
            code, name = names[org_id]
            lines[org_id] = Line(code, name)
        return lines[org_id]

    for org_id, n in session.execute(
        select(Graduate.home_org_id, func.count())
        .where(Graduate.student, Graduate.graduation_year > year)
        .where(Graduate.registered_on <= date(year, 12, 31))
        .where(org_column_in_region(actor, Graduate.home_org_id))
        .group_by(Graduate.home_org_id)
    ):
        line(org_id).students = n
    for org_id, posts, seats in session.execute(
        select(Employer.org_id, func.count(), func.sum(Position.headcount))
        .join(Employer, Employer.id == Position.employer_id)
        .where(Position.kind == PositionKind.WORK_STUDY)
        .where(Position.work_starts_on.between(date(year, 1, 1), date(year, 12, 31)))
        .where(org_column_in_region(actor, Employer.org_id))
        .group_by(Employer.org_id)
    ):
        line(org_id).posts, line(org_id).seats = posts, int(seats or 0)
    for org_id, graduate_id in session.execute(
        select(ServiceRecord.org_id, ServiceRecord.graduate_id)
        .where(ServiceRecord.kind == ServiceKind.WORK_STUDY, ServiceRecord.voided_at.is_(None))
        .where(ServiceRecord.service_date.between(date(year, 1, 1), date(year, 12, 31)))
        .where(org_column_in_region(actor, ServiceRecord.org_id))
    ):
        found = line(org_id)
        found.placements += 1
        found.placed.add(graduate_id)
    ordered = sorted(lines.values(), key=lambda x: x.org_code)
    total = Line("", "合计")
    for x in ordered:
        total.students += x.students
        total.posts += x.posts
        total.seats += x.seats
        total.placements += x.placements
        total.placed |= x.placed
    return ordered, total
