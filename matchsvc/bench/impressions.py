"""`matchsvc bench impressions`: the space a day of use takes in the `impression` table at a
province of 50,000 graduates — every graduate opens their page once (jobs, public-welfare posts and
training, 10 each), officers open a fifth of the graduates' 推荐岗位与培训 (five lists), employers
open 2,000 candidate lists of 30, and the province's placement plan of one line per graduate is
looked at — beside a baseline measured in the same run: the same items stored one row per item.
Goal: under 100 MB a day on PostgreSQL."""

from __future__ import annotations

import random
import time
from datetime import date
from typing import Any

from sqlalchemy import (
    JSON,
    Column,
    Date,
    Integer,
    MetaData,
    String,
    Table,
    insert,
    text,
)
from sqlalchemy.orm import Session

from .. import clock
from ..matching.engine import policy
from ..models import Impression, Surface
from ..outcomes.impressions import matcher_version
from .stats import prepared

GOAL_MB = 100
LIST = 10

_meta = MetaData()
#: The baseline: one row per item shown.
per_item = Table(
    "bench_impression_item",
    _meta,
    Column("id", Integer, primary_key=True),
    Column("shown_on", Date, nullable=False),
    Column("surface", String(12), nullable=False),
    Column("subject_id", Integer, nullable=False, index=True),
    Column("rank", Integer, nullable=False),
    Column("item_id", Integer, nullable=False),
    Column("fit", Integer, nullable=False),
    Column("components", JSON, nullable=False),
    Column("rules", JSON, nullable=False),
)


def _list(rng: random.Random, n: int, pool: int) -> dict[str, Any]:
    fits = sorted((rng.randint(500, 950) for _ in range(n)), reverse=True)
    return {
        "items": rng.sample(range(1, pool), n),
        "fits": fits,
        "components": bytes(
            value
            for _ in range(n)
            for value in (
                rng.choice((10, 35, 60, 75, 100)),
                100,
                rng.choice((50, 70, 90, 100)),
                rng.choice((30, 53, 77, 100)),
                rng.choice((30, 60, 100)),
            )
        ),
        "rules": [["fresh"] if rng.random() < 0.1 else [] for _ in range(n)],
    }


def _day(rng: random.Random, graduates: int, today: date) -> list[dict[str, Any]]:
    version = matcher_version()
    base = {"shown_on": today, "shown_at": clock.now(), "version": version, "times": 1}
    rows = []
    n = 0

    def add(surface: Surface, **values: Any) -> None:
        nonlocal n
        n += 1
        rows.append({**base, "surface": surface, "digest": f"{n:016x}", **values})

    for g in range(1, graduates + 1):
        for kind in ("job", "public", "training"):
            add(Surface.GRADUATE, graduate_id=g, kind=kind, **_list(rng, LIST, 20_000))
    for g in rng.sample(range(1, graduates + 1), graduates // 5):
        for kind in ("job", "internship", "public", "training", "business"):
            add(Surface.OFFICER, graduate_id=g, kind=kind, **_list(rng, LIST, 20_000))
    for p in rng.sample(range(1, 20_000), 2000):
        add(Surface.EMPLOYER, position_id=p, **_list(rng, 30, graduates))
    plan = _list(rng, graduates // 2, 20_000 * 4)  # half the province unplaced … placed once
    plan["pairs"] = list(range(1, graduates // 2 + 1))
    plan["rules"] = [[f"choice:{rng.randint(1, 30)}"] for _ in plan["pairs"]]
    add(Surface.PLAN, org_id=1, **plan)
    return rows


def _size(session: Session, table: str, postgres: bool) -> float:
    if postgres:
        size = session.scalar(text(f"SELECT pg_total_relation_size('{table}')"))
    else:
        size = session.scalar(
            text("SELECT SUM(pgsize) FROM dbstat WHERE name = :t OR name LIKE :ix"),
            {"t": table, "ix": f"ix_{table}%"},
        )
    return float(size or 0) / 1024 / 1024


def run(graduates: int, url: str | None) -> None:
    engine, factory = prepared(url, "impressions")
    postgres = engine.dialect.name == "postgresql"
    rng = random.Random(2012)
    today = clock.today()
    with factory() as session:
        if postgres:  # the rows name graduates and posts this throwaway database does not hold
            for fk in ("graduate_id_graduate", "position_id_position", "org_id_org"):
                session.execute(text(f"ALTER TABLE impression DROP CONSTRAINT fk_impression_{fk}"))
        else:
            session.execute(text("PRAGMA foreign_keys = OFF"))
        _meta.create_all(session.connection())
        rows = _day(rng, graduates, today)
        started = time.perf_counter()
        for i in range(0, len(rows), 2000):
            session.execute(insert(Impression), rows[i : i + 2000])
        listed = time.perf_counter() - started
        started = time.perf_counter()
        items = []
        for r in rows:
            subject = r.get("graduate_id") or r.get("position_id") or r.get("org_id")
            for k, item in enumerate(r["items"]):
                items.append(
                    {
                        "shown_on": today,
                        "surface": r["surface"].value,
                        "subject_id": subject,
                        "rank": k + 1,
                        "item_id": item,
                        "fit": r["fits"][k],
                        "components": list(r["components"][5 * k : 5 * k + 5]),
                        "rules": r["rules"][k],
                    }
                )
                if len(items) >= 20_000:
                    session.execute(insert(per_item), items)
                    items = []
        if items:
            session.execute(insert(per_item), items)
        itemised = time.perf_counter() - started
        session.commit()
        if postgres:
            session.execute(text("ANALYZE"))
        ours = _size(session, "impression", postgres)
        baseline = _size(session, "bench_impression_item", postgres)
    total_items = sum(len(r["items"]) for r in rows)
    print(
        f"一天的使用：{graduates} 名毕业生，{len(rows)} 个列表，{total_items} 个条目（{len(policy.COMPONENTS)} 个分项）"
    )
    print(f"  每个列表一行（impression）：{ours:.1f} MB，写入 {listed:.1f} 秒")
    print(f"  基线，每个条目一行：{baseline:.1f} MB，写入 {itemised:.1f} 秒")
    print(
        f"  比基线：{ours / baseline:.2f} 倍；目标 < {GOAL_MB} MB：{'达到' if ours < GOAL_MB else '未达到'}"
    )
    engine.dispose()
