"""The measures of whether recommendations lead to jobs, over the hires joined to what was shown
(funnel.hires):

- hire@k — of the hires whose post is in this service, the share whose post the graduate had
  been shown in the top k (k = 1, 5, 10, 20) of a list before the hire;
- MRR — the mean over those hires of 1 / best rank (0 for a post never shown);
- days from registration to placement — median and mean of hire day − 登记日期;
- retention — of the hires with an answered follow-up, the share still at the job at the last;
- referrals per employer — how concentrated the referrals are: the largest employer's share,
  the top ten's share and the Herfindahl index (Σ share², 1 = all at one employer).

Each is also split by province, position kind, gender and 应届/往届, every group shown."""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..actors import Actor
from ..jurisdiction import graduate_edit_scope
from ..models import Graduate, Position, PositionKind, Referral, Sex
from .funnel import HireRank

KS = (1, 5, 10, 20)
#: Days from registration to placement, in the bars of the chart.
DAY_BINS = ((0, 30, "30天内"), (31, 90, "31–90天"), (91, 180, "91–180天"), (181, 365, "181–365天"))
DAY_BEYOND = "一年以上"


@dataclass
class Metrics:
    #: Hires whose post is one of this service's (the denominator of hire@k and MRR).
    hires: int
    #: Hires elsewhere (recorded or reported, no post here): not rankable, counted apart.
    outside: int
    #: Of `hires`, those whose post was shown at all before the hire.
    shown: int
    hire_at: dict[int, float]
    mrr: float
    median_days: float | None
    mean_days: float | None
    #: Hires with an answered follow-up, and the share of them still at the job.
    answered: int
    retained: float | None


def metrics(rows: Iterable[HireRank]) -> Metrics:
    rows = list(rows)
    ranked = [r for r in rows if r.position_id is not None]
    n = len(ranked)
    ranks = [r.best_rank for r in ranked if r.best_rank is not None]
    days = [r.days_to_placement for r in rows]
    answered = [r for r in rows if r.retained is not None]
    return Metrics(
        hires=n,
        outside=len(rows) - n,
        shown=len(ranks),
        hire_at={k: (sum(1 for x in ranks if x <= k) / n if n else 0.0) for k in KS},
        mrr=sum(1 / x for x in ranks) / n if n else 0.0,
        median_days=float(statistics.median(days)) if days else None,
        mean_days=statistics.fmean(days) if days else None,
        answered=len(answered),
        retained=sum(1 for r in answered if r.retained) / len(answered) if answered else None,
    )


def split(rows: Iterable[HireRank], key: Callable[[HireRank], str]) -> list[tuple[str, Metrics]]:
    """The metrics per group (every group found, in the order of its key)."""
    groups: dict[str, list[HireRank]] = defaultdict(list)
    for r in rows:
        groups[key(r)].append(r)
    return [(name, metrics(groups[name])) for name in sorted(groups)]


def kind_label(r: HireRank) -> str:
    return PositionKind(r.position_kind).label if r.position_kind else "本系统以外"


def sex_label(r: HireRank) -> str:
    return Sex(r.sex).label


def fresh_label(r: HireRank) -> str:
    return "应届" if r.fresh else "往届"


def weekly(rows: Iterable[HireRank]) -> list[tuple[date, Metrics]]:
    """hire@k week by week (weeks from Monday, by the hire's day)."""
    weeks: dict[date, list[HireRank]] = defaultdict(list)
    for r in rows:
        weeks[r.hired_on - timedelta(days=r.hired_on.weekday())].append(r)
    return [(week, metrics(weeks[week])) for week in sorted(weeks)]


def days_bins(rows: Iterable[HireRank]) -> list[tuple[str, int]]:
    counts: Counter[str] = Counter()
    for r in rows:
        d = r.days_to_placement
        counts[next((label for lo, hi, label in DAY_BINS if lo <= d <= hi), DAY_BEYOND)] += 1
    return [(label, counts[label]) for *_, label in DAY_BINS] + [(DAY_BEYOND, counts[DAY_BEYOND])]


@dataclass
class Concentration:
    referrals: int
    employers: int
    top_share: float
    top10_share: float
    hhi: float
    #: The employers with the most referrals: (employer id, referrals), most first.
    top: list[tuple[int, int]]


def concentration(
    session: Session, actor: Actor, since: date | None = None, until: date | None = None
) -> Concentration:
    """Referrals and applications of the actor's graduates, per employer, made in the period."""
    query = (
        select(Position.employer_id, func.count())
        .join(Referral, Referral.position_id == Position.id)
        .join(Graduate, Graduate.id == Referral.graduate_id)
        .where(graduate_edit_scope(actor))
        .group_by(Position.employer_id)
    )
    if since is not None:
        query = query.where(func.date(Referral.created_at) >= since)
    if until is not None:
        query = query.where(func.date(Referral.created_at) <= until)
    per = sorted(((int(e), int(c)) for e, c in session.execute(query)), key=lambda x: (-x[1], x[0]))
    total = sum(c for _, c in per)
    if not total:
        return Concentration(0, 0, 0.0, 0.0, 0.0, [])
    shares = [c / total for _, c in per]
    return Concentration(
        referrals=total,
        employers=len(per),
        top_share=shares[0],
        top10_share=sum(shares[:10]),
        hhi=sum(s * s for s in shares),
        top=per[:10],
    )
