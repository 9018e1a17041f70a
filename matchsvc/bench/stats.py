"""`matchsvc bench stats`: every province's and city's table in one pass, at national scale,
beside a naive baseline measured in the same run (counting per org through the ORM)."""

from __future__ import annotations

import os
import platform
import random
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, insert, select
from sqlalchemy.orm import Session, sessionmaker

from ..db import make_engine, make_session_factory
from ..migrate import upgrade
from ..models import (
    Campaign,
    Degree,
    Employer,
    EmployerKind,
    EmployerStatus,
    EmploymentStatus,
    FamilyKind,
    Graduate,
    JobFair,
    Org,
    OrgLevel,
    Position,
    PositionKind,
    ServiceKind,
    ServiceRecord,
    Sex,
    StatusChange,
)
from ..orgs.service import seed_orgs
from ..stats.compute import AMOUNT_KEYS, SERVICE_KEYS, as_items, compute_tables

BATCH = 20_000


def _insert(session: Session, model: Any, rows: list[dict[str, Any]]) -> None:
    for i in range(0, len(rows), BATCH):
        session.execute(insert(model), rows[i : i + BATCH])


def build(session: Session, graduates: int, services: int, positions: int, seed: int = 7) -> None:
    """A national data set written with bulk inserts (the statistics read no personal data)."""
    rng = random.Random(seed)
    seed_orgs(session)
    session.add(Campaign(year=2012, **Campaign.default_dates(2012)))
    cities = list(
        session.scalars(select(Org.id).where(Org.level.in_([OrgLevel.CITY, OrgLevel.COUNTY])))
    )
    now = datetime.now(UTC)
    day = lambda a, b: a + timedelta(days=rng.randrange((b - a).days + 1))  # noqa: E731
    statuses = list(EmploymentStatus)
    rows, changes = [], []
    for i in range(1, graduates + 1):
        registered = day(date(2012, 3, 1), date(2012, 9, 30))
        rows.append(
            {
                "id": i,
                "name": "毕业生",
                "name_pinyin": f"b{i}",
                "name_initials": "b",
                "id_number_enc": "x",
                "id_number_hash": f"{i:064d}",
                "id_last4_hash": f"{i:064d}",
                "sex": Sex.MALE,
                "birth_year": 1990,
                "home_org_id": rng.choice(cities),
                "school_name": "大学",
                "school_org_id": rng.choice(cities),
                "major_text": "会计",
                "degree": Degree.BENKE,
                "graduation_year": rng.choice([2010, 2011, 2012, 2012, 2013]),
                "family_kind": FamilyKind.WORKER,
                "wish_regions": [],
                "wants_training": False,
                "wants_internship": False,
                "wants_business": False,
                "registered_on": registered,
                "status": EmploymentStatus.UNEMPLOYED,
                "status_since": registered,
                "created_at": now,
                "updated_at": now,
            }
        )
        changes.append(
            {
                "graduate_id": i,
                "status": EmploymentStatus.UNEMPLOYED,
                "effective_on": registered,
                "recorded_at": now,
            }
        )
        if rng.random() < 0.4:
            changes.append(
                {
                    "graduate_id": i,
                    "status": rng.choice(statuses),
                    "effective_on": day(registered, date(2012, 10, 30)),
                    "recorded_at": now,
                }
            )
    _insert(session, Graduate, rows)
    _insert(session, StatusChange, changes)
    kinds = list(ServiceKind)
    records = []
    for _ in range(services):
        kind = rng.choice(kinds)
        amount = (
            Decimal(rng.choice([500, 800, 50000]))
            if kind in (ServiceKind.LOAN, ServiceKind.JOB_SUBSIDY)
            else None
        )
        records.append(
            {
                "graduate_id": rng.randint(1, graduates),
                "kind": kind,
                "service_date": day(date(2012, 6, 1), date(2012, 9, 30)),
                "org_id": rng.choice(cities),
                "amount": amount,
                "created_at": now,
                "voided_at": now if rng.random() < 0.01 else None,
                "void_reason": None,
            }
        )
        if records[-1]["voided_at"] is not None:
            records[-1]["void_reason"] = "录入错误"
    _insert(session, ServiceRecord, records)
    employer_kinds = list(EmployerKind)
    _insert(
        session,
        Employer,
        [
            {
                "id": e,
                "name": f"单位{e}",
                "uscc": f"{e:018d}",
                "kind": rng.choice(employer_kinds),
                "org_id": rng.choice(cities),
                "status": EmployerStatus.APPROVED,
                "created_at": now,
            }
            for e in range(1, 5001)
        ],
    )
    position_kinds = list(PositionKind)
    _insert(
        session,
        Position,
        [
            {
                "employer_id": rng.randint(1, 5000),
                "kind": rng.choice(position_kinds),
                "title": f"岗位{p}",
                "work_region_code": "440100",
                "headcount": rng.randint(1, 20),
                "published_on": day(date(2012, 6, 1), date(2012, 9, 30)),
                "created_at": now,
            }
            for p in range(positions)
        ],
    )
    _insert(
        session,
        JobFair,
        [
            {
                "name": f"招聘会{f}",
                "held_on": day(date(2012, 6, 1), date(2012, 9, 30)),
                "org_id": rng.choice(cities),
                "positions_offered": rng.randint(0, 500),
                "created_at": now,
            }
            for f in range(20_000)
        ],
    )


def naive_table(session: Session, campaign: Campaign, org: Org) -> dict[str, Any]:
    """The way one first writes it: for one org, load its subtree's rows through the ORM and count
    in Python. Gives the same numbers as compute_tables (the benchmark checks)."""

    ids = set(session.scalars(select(Org.id).where(Org.path.startswith(org.path))))
    y, start, cutoff = campaign.year, campaign.starts_on, campaign.cutoff_on
    counts: dict[str, Decimal] = {}

    def add(key: str, value: Any = 1) -> None:
        counts[key] = counts.get(key, Decimal(0)) + Decimal(value)

    graduates = session.scalars(
        select(Graduate).where(
            Graduate.registered_on <= cutoff,
            (Graduate.home_org_id.in_(ids)) | (Graduate.school_org_id.in_(ids)),
        )
    ).all()
    for g in graduates:
        history = session.scalars(
            select(StatusChange)
            .where(StatusChange.graduate_id == g.id)
            .order_by(StatusChange.effective_on, StatusChange.id)
        ).all()
        at_cutoff = [h.status for h in history if h.effective_on <= cutoff]
        unemployed = (
            at_cutoff[-1] if at_cutoff else EmploymentStatus.UNEMPLOYED
        ) == EmploymentStatus.UNEMPLOYED
        if g.home_org_id in ids:
            add("06A", g.graduation_year <= y)
            add("06B", g.graduation_year == y)
            add("06C", g.graduation_year < y)
            add("16A", g.graduation_year < y and unemployed)
        if g.school_org_id in ids:
            add("15A", g.graduation_year == y and unemployed)
    for record in session.scalars(select(ServiceRecord).where(ServiceRecord.org_id.in_(ids))):
        if record.voided_at is None and start <= record.service_date <= cutoff:
            add(SERVICE_KEYS[record.kind])
            if record.kind in AMOUNT_KEYS:
                add(AMOUNT_KEYS[record.kind], record.amount or 0)
    for fair in session.scalars(select(JobFair).where(JobFair.org_id.in_(ids))):
        if start <= fair.held_on <= cutoff:
            add("09A")
            add("09A_positions", fair.positions_offered)
    for position in session.scalars(
        select(Position).join(Employer).where(Employer.org_id.in_(ids))
    ):
        counted_kinds = (
            EmployerKind.SOE,
            EmployerKind.MODEL_WORKER,
            EmployerKind.CHARITABLE,
            EmployerKind.PUBLIC_WELFARE,
        )
        if (
            start <= position.published_on <= cutoff
            and position.kind in (PositionKind.JOB, PositionKind.PUBLIC_WELFARE)
            and position.employer.kind in counted_kinds
        ):
            add("10A", position.headcount)
    return as_items(counts)


def prepared(url: str | None, name: str) -> tuple[Engine, sessionmaker[Session]]:
    """The benchmark's database (a temporary SQLite file unless a URL is given), migrated, with
    the machine it runs on printed first."""
    workdir = Path(tempfile.mkdtemp(prefix=f"matchsvc-bench-{name}-"))
    url = url or f"sqlite:///{workdir / f'{name}.sqlite3'}"
    print(
        f"机器：{platform.machine()}，{os.cpu_count()} 核，Python {platform.python_version()}，"
        f"数据库 {url.split(':')[0]}"
    )
    engine = make_engine(url)
    upgrade(engine)
    return engine, make_session_factory(engine)


def run(graduates: int, services: int, positions: int, url: str | None, baseline_orgs: int) -> None:
    engine, factory = prepared(url, "stats")
    started = time.perf_counter()
    with factory() as session:
        build(session, graduates, services, positions)
        session.commit()
    print(
        f"生成数据：{graduates} 名毕业生，{services} 条帮扶记录，{positions} 个岗位，用时 {time.perf_counter() - started:.0f} 秒"
    )
    with factory() as session:
        session.connection().exec_driver_sql("ANALYZE")
        campaign = session.scalar(select(Campaign))
        assert campaign is not None
        targets = session.scalars(
            select(Org).where(Org.level.in_([OrgLevel.PROVINCE, OrgLevel.CITY]))
        ).all()
        timings = []
        for _ in range(3):
            started = time.perf_counter()
            tables = compute_tables(session, campaign)
            timings.append(time.perf_counter() - started)
        best = min(timings)
        print(
            f"一次计算全国所有组织（含 {len(targets)} 个省、市级）的统计表：{best:.2f} 秒（三次最好）"
        )
        # Provinces hold far more than cities: time a sample of each and weigh by how many there are.
        naive_total = 0.0
        rng = random.Random(1)
        for level in (OrgLevel.PROVINCE, OrgLevel.CITY):
            group = [o for o in targets if o.level == level]
            sample = rng.sample(group, min(baseline_orgs, len(group)))
            started = time.perf_counter()
            for org in sample:
                if naive_table(session, campaign, org) != tables[org.id]:
                    raise AssertionError(f"baseline and one-pass tables differ for {org.code}")
            per_org = (time.perf_counter() - started) / len(sample)
            naive_total += per_org * len(group)
            print(
                f"基线（逐个组织经 ORM 取出记录再计数，与一次计算结果一致）：{level.label}每个 {per_org:.2f} 秒 × {len(group)}"
            )
        print(f"基线合计约 {naive_total:.0f} 秒")
        print(
            f"一次计算是基线的 {naive_total / best:.0f} 倍（目标：≥ 50 倍；PostgreSQL < 10 秒，SQLite < 20 秒）"
        )
        assert tables
    engine.dispose()
