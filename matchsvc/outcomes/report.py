"""推荐效果 as HQ and a province read it: every measure over one period, within jurisdiction, as
tables (the page draws each as a chart beside its table, and each downloads as CSV)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import clock
from ..actors import Actor
from ..models import Employer, Org
from . import funnel, metrics

#: The period a page opens on: the last year.
DEFAULT_DAYS = 365


@dataclass
class Table:
    """One measure: a title, the column heads and the rows (the first column names the row)."""

    key: str
    title: str
    head: list[str]
    rows: list[list[str | int | float]]


@dataclass
class Report:
    since: date
    until: date
    overall: metrics.Metrics
    concentration: metrics.Concentration
    tables: dict[str, Table]
    #: The funnel's counts: rank bucket → stage → pairs.
    funnel: dict[str, dict[str, int]]


def _pct(x: float | None) -> float | str:
    return "" if x is None else round(100 * x, 1)


def _metric_rows(groups: list[tuple[str, metrics.Metrics]]) -> list[list[str | int | float]]:
    return [
        [
            name,
            m.hires,
            *(_pct(m.hire_at[k]) for k in metrics.KS),
            round(m.mrr, 3),
            "" if m.median_days is None else m.median_days,
            _pct(m.retained),
        ]
        for name, m in groups
    ]


METRIC_HEAD = [
    "本系统岗位录用人数",
    *(f"hire@{k}（%）" for k in metrics.KS),
    "MRR",
    "登记到就业天数（中位数）",
    "回访仍在岗（%）",
]


def build(
    session: Session, actor: Actor, since: date | None = None, until: date | None = None
) -> Report:
    until = until or clock.today()
    since = since or until - timedelta(days=DEFAULT_DAYS)
    hires = funnel.hires(session, actor, since, until)
    overall = metrics.metrics(hires)
    names = dict(session.execute(select(Org.code, Org.name)).all())
    by_province = metrics.split(hires, lambda r: names.get(r.province, r.province))
    counts = funnel.funnel(session, actor, since, until).counts
    tables = {
        "funnel": Table(
            "funnel",
            "按推荐名次的转化（毕业生与岗位的组合数）",
            [funnel.STAGE_LABELS[s] for s in funnel.STAGES],
            [[bucket, *(row[s] for s in funnel.STAGES)] for bucket, row in counts.items()],
        ),
        "weekly": Table(
            "weekly",
            "各周 hire@k",
            METRIC_HEAD,
            _metric_rows([(w.isoformat(), m) for w, m in metrics.weekly(hires)]),
        ),
        "days": Table(
            "days", "登记到就业的天数", ["就业人数"], [[n, c] for n, c in metrics.days_bins(hires)]
        ),
        "provinces": Table("provinces", "按省", METRIC_HEAD, _metric_rows(by_province)),
        "kinds": Table(
            "kinds",
            "按岗位类别",
            METRIC_HEAD,
            _metric_rows(metrics.split(hires, metrics.kind_label)),
        ),
        "sex": Table(
            "sex", "按性别", METRIC_HEAD, _metric_rows(metrics.split(hires, metrics.sex_label))
        ),
        "fresh": Table(
            "fresh",
            "应届与往届",
            METRIC_HEAD,
            _metric_rows(metrics.split(hires, metrics.fresh_label)),
        ),
    }
    con = metrics.concentration(session, actor, since, until)
    employers = dict(
        session.execute(
            select(Employer.id, Employer.name).where(Employer.id.in_([e for e, _ in con.top]))
        ).all()
    )
    tables["employers"] = Table(
        "employers",
        "推荐与应聘最多的用人单位",
        ["推荐与应聘人次", "占比（%）"],
        [[employers.get(e, str(e)), n, round(100 * n / con.referrals, 1)] for e, n in con.top],
    )
    return Report(since, until, overall, con, tables, counts)
