"""见习补贴 and the bases' health. The subsidy of one intern-month is a share of the province's
monthly minimum wage (InternshipRate, data with its source kept by HQ); a base that kept at
least half of its decided interns over the two years before the claim gets the higher share
where the province has one. A base claims, for a calendar month, the intern-months that begin
in it: an intern's months begin on the day they went on the post and each month after, up to
the last day on the post — none after 提前终止 or the planned end.

A base is flagged when it kept under 20% of the interns decided over two years, or had nobody
on the post for a year."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import clock
from ..actors import Actor
from ..audit import record
from ..errors import DomainError
from ..models import (
    Internship,
    InternshipBase,
    InternshipRate,
    InternshipState,
    Org,
)
from .service import last_day

#: A base keeping at least this share of its interns gets the higher rate.
HIGHER_RETENTION = Decimal("0.5")
#: Flagged under this share over `WINDOW_DAYS`, or with nobody on the post for `IDLE_DAYS`.
LOW_RETENTION = Decimal("0.2")
WINDOW_DAYS = 730
IDLE_DAYS = 365


def month_bounds(month: date) -> tuple[date, date]:
    first = month.replace(day=1)
    return first, clock.add_months(first, 1) - timedelta(days=1)


def months_in(internship: Internship, month: date) -> int:
    """The intern-months of `internship` that begin in the calendar month of `month`."""
    start, last = internship.on_post_from, last_day(internship)
    if start is None or last is None:
        return 0
    first, end = month_bounds(month)
    n, count = 0, 0
    while (begins := clock.add_months(start, n)) <= min(last, end):
        if begins >= first:
            count += 1
        n += 1
    return count


def province_of(session: Session, base: InternshipBase) -> str:
    org = session.get_one(Org, base.org_id)
    return org.code[:2] + "0000"


def rate_of(session: Session, province_code: str) -> InternshipRate | None:
    return session.scalar(
        select(InternshipRate).where(InternshipRate.province_code == province_code)
    )


def set_rate(
    session: Session,
    actor: Actor,
    province_code: str,
    *,
    minimum_wage: int,
    share_pct: int,
    higher_pct: int | None,
    source: str,
) -> InternshipRate:
    """HQ sets a province's rate; a rate without its source is refused."""
    if not actor.is_national:
        raise DomainError("见习补贴标准由全国总工会维护")
    if minimum_wage <= 0:
        raise DomainError("请填写该省月最低工资标准（元）", field="minimum_wage")
    if not 1 <= share_pct <= 100:
        raise DomainError("补贴比例须为 1% 至 100%", field="share_pct")
    if higher_pct is not None and not share_pct <= higher_pct <= 100:
        raise DomainError("提高后的比例须不低于基本比例、不高于 100%", field="higher_pct")
    text = source.strip()
    if not text or len(text) > 300:
        raise DomainError("请注明依据的文件（不超过300个字）", field="source")
    rate = rate_of(session, province_code)
    if rate is None:
        rate = InternshipRate(province_code=province_code)
        session.add(rate)
    rate.minimum_wage, rate.share_pct, rate.higher_pct = minimum_wage, share_pct, higher_pct
    rate.source, rate.updated_by_id = text, actor.user_id
    session.flush()
    record(
        session, actor, "internship_rate", rate,
        details={"province": province_code, "wage": minimum_wage, "share": share_pct,
                 "higher": higher_pct},
    )  # fmt: skip
    return rate


@dataclass
class Retention:
    kept: int = 0
    decided: int = 0

    @property
    def share(self) -> Decimal | None:
        return Decimal(self.kept) / self.decided if self.decided else None

    def __str__(self) -> str:
        share = self.share
        return "—" if share is None else f"{(share * 100).quantize(Decimal('0.1'))}%"


def retention(session: Session, base_id: int, on: date) -> Retention:
    """Interns kept among those decided (留用 or 未留用) in the two years up to `on`."""
    since = on - timedelta(days=WINDOW_DAYS)
    out = Retention()
    for state in session.scalars(
        select(Internship.state).where(
            Internship.base_id == base_id,
            Internship.state.in_((InternshipState.RETAINED, InternshipState.NOT_RETAINED)),
            Internship.decided_on > since,
            Internship.decided_on <= on,
        )
    ):
        out.decided += 1
        out.kept += state == InternshipState.RETAINED
    return out


@dataclass
class Line:
    internship: Internship
    months: int


@dataclass
class Claim:
    base: InternshipBase
    month: date
    lines: list[Line] = field(default_factory=list)
    rate: InternshipRate | None = None
    retention: Retention = field(default_factory=Retention)
    higher: bool = False

    @property
    def months(self) -> int:
        return sum(line.months for line in self.lines)

    @property
    def pct(self) -> int | None:
        if self.rate is None:
            return None
        return self.rate.higher_pct if self.higher and self.rate.higher_pct else self.rate.share_pct

    @property
    def per_month(self) -> Decimal | None:
        if self.rate is None or self.pct is None:
            return None
        exact = Decimal(self.rate.minimum_wage) * self.pct / 100
        return exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)

    @property
    def amount(self) -> Decimal | None:
        return None if self.per_month is None else self.per_month * self.months


def agreements(session: Session, base_id: int) -> list[Internship]:
    return list(
        session.scalars(
            select(Internship)
            .where(Internship.base_id == base_id)
            .order_by(Internship.on_post_from.is_(None), Internship.on_post_from, Internship.id)
        )
    )


def claim(session: Session, base: InternshipBase, month: date) -> Claim:
    """A base's claim for the calendar month of `month`: every intern with months beginning in
    it, the rate, and the retention that chose it (over the two years to the month's end)."""
    first, end = month_bounds(month)
    out = Claim(base=base, month=first)
    for internship in agreements(session, base.id):
        n = months_in(internship, first)
        if n:
            out.lines.append(Line(internship, n))
    out.rate = rate_of(session, province_of(session, base))
    out.retention = retention(session, base.id, end)
    share = out.retention.share
    out.higher = bool(
        out.rate and out.rate.higher_pct and share is not None and share >= HIGHER_RETENTION
    )
    return out


def on_post_since(session: Session, base_id: int, since: date) -> bool:
    """Whether anybody was on the base's posts on or after `since`."""
    for internship in agreements(session, base_id):
        last = last_day(internship)
        if last is not None and last >= since:
            return True
    return False


def flags(session: Session, base: InternshipBase, on: date) -> list[str]:
    """Why the base needs a look, if it does."""
    out = []
    kept = retention(session, base.id, on)
    share = kept.share
    if share is not None and share < LOW_RETENTION:
        out.append(f"两年内留用率 {kept}（{kept.kept}/{kept.decided}），低于 20%")
    idle_since = on - timedelta(days=IDLE_DAYS)
    if base.approved_from <= idle_since and not on_post_since(session, base.id, idle_since):
        out.append("一年内没有见习人员在岗")
    return out
