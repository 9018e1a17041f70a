"""Retention after a hire, per province: of the follow-ups answered at each month, how many found
the graduate still at the job, and how many hires are 稳定就业 (still employed at the stable
follow-up with a contract of at least a year). Counted over the actor's own archives (the home
orgs below them), so HQ sees every province and a province its own."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from .. import clock
from ..actors import Actor
from ..jurisdiction import graduate_edit_scope
from ..models import FollowUp, FollowUpState, Graduate, Org, OrgLevel
from . import service

#: The province's code in an org's path "/000000/440000/…" (characters 9 to 14).
PROVINCE_IN_PATH = (9, 6)


@dataclass
class MonthFigures:
    answered: int = 0
    still: int = 0

    @property
    def share(self) -> float | None:
        return self.still / self.answered if self.answered else None


@dataclass
class ProvinceRetention:
    code: str
    name: str
    months: dict[int, MonthFigures] = field(default_factory=dict)
    stable: int = 0
    overdue: int = 0


def by_province(
    session: Session, actor: Actor, *, on: date | None = None
) -> list[ProvinceRetention]:
    on = on or clock.today()
    province = func.substr(Org.path, *PROVINCE_IN_PATH)
    base = (
        select(province.label("province"))
        .select_from(FollowUp)
        .join(Graduate, Graduate.id == FollowUp.graduate_id)
        .join(Org, Org.id == Graduate.home_org_id)
        .where(graduate_edit_scope(actor))
    )
    rows: dict[str, ProvinceRetention] = {}

    def row(code: str) -> ProvinceRetention:
        if code not in rows:
            rows[code] = ProvinceRetention(
                code, code, {m: MonthFigures() for m in service.months()}
            )
        return rows[code]

    answered = session.execute(
        base.add_columns(
            FollowUp.months,
            func.count(),
            func.sum(case((FollowUp.still_employed.is_(True), 1), else_=0)),
        )
        .where(FollowUp.state == FollowUpState.ANSWERED)
        .group_by(province, FollowUp.months)
    ).all()
    for code, months, count, still in answered:
        figures = row(code).months.setdefault(months, MonthFigures())
        figures.answered, figures.still = count, int(still or 0)
    stable = session.execute(
        base.add_columns(func.count(func.distinct(FollowUp.hire_id)))
        .where(
            FollowUp.state == FollowUpState.ANSWERED,
            FollowUp.months >= service.stable_months(),
            FollowUp.still_employed.is_(True),
            FollowUp.contract_year.is_(True),
        )
        .group_by(province)
    ).all()
    for code, count in stable:
        row(code).stable = count
    overdue = session.execute(
        base.add_columns(func.count())
        .where(FollowUp.state == FollowUpState.DUE, FollowUp.due_on < on)
        .group_by(province)
    ).all()
    for code, count in overdue:
        row(code).overdue = count
    names = dict(
        session.execute(
            select(Org.code, Org.name).where(
                Org.code.in_(list(rows)), Org.level == OrgLevel.PROVINCE
            )
        ).all()
    )
    for code, r in rows.items():
        r.name = names.get(code, code)
    return sorted(rows.values(), key=lambda r: r.code)
