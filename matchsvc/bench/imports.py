"""`matchsvc bench import`: import speed and memory at 50,000 rows, and the list page at 100,000.

Figures are printed beside a baseline measured in the same run (registering graduates one by
one through the service, the way a first version would import), with the machine they ran on.
"""

from __future__ import annotations

import multiprocessing
import os
import platform
import resource
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .. import audit, pii
from ..actors import Actor
from ..app import create_app
from ..auth.service import create_user
from ..db import make_engine, make_session_factory
from ..extensions import db
from ..graduates.service import GraduateInput, register_graduate
from ..imports.engine import run_import
from ..imports.graduates import GraduateImporter
from ..migrate import upgrade
from ..models import Campaign, Degree, Role
from ..orgs.service import get_org, seed_orgs
from .data import HEADER, graduate_rows, write_xlsx

BENCH_KEY = "matchsvc-benchmark-data-key-0123456789"


def _prepare(url: str) -> None:
    pii.configure(BENCH_KEY)
    audit.configure(BENCH_KEY)
    engine = make_engine(url)
    upgrade(engine)

    with make_session_factory(engine)() as session:
        seed_orgs(session)
        session.add(Campaign(year=2012, **Campaign.default_dates(2012)))  # fresh = class of 2012
        session.commit()
    engine.dispose()


def _import_in_child(url: str, path: str, queue: Any) -> None:
    """Runs in a fresh process so that its peak memory is the import's own."""

    pii.configure(BENCH_KEY)
    audit.configure(BENCH_KEY)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    engine = make_engine(url)
    with make_session_factory(engine)() as session:
        actor = Actor.command_line(get_org(session, "000000"))
        started = time.perf_counter()
        report = run_import(
            session, actor, GraduateImporter, Path(path).read_bytes(), "bench.xlsx", dry_run=False
        )
        session.commit()
        elapsed = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    queue.put(
        {
            "rows": report.created,
            "errors": report.error_count,
            "seconds": elapsed,
            "peak_mb": peak / 1024,
            "start_mb": before / 1024,
        }
    )


def _run_child(url: str, path: Path) -> dict[str, Any]:
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=_import_in_child, args=(url, str(path), queue))
    proc.start()
    result = queue.get()
    proc.join()
    return dict(result)


def _baseline(url: str, rows: list[list[str]]) -> float:
    """Rows per second registering one graduate at a time through the service (the naive way)."""
    from datetime import date

    engine = make_engine(url)
    with make_session_factory(engine)() as session:
        actor = Actor.command_line(get_org(session, "000000"))
        started = time.perf_counter()
        for row in rows:
            values = dict(zip(HEADER, row, strict=True))
            register_graduate(
                session,
                actor,
                GraduateInput(
                    name=values["姓名"],
                    id_number=values["身份证号"],
                    home_org_code=values["建档单位代码"],
                    school_name=values["毕业院校"],
                    school_region_code=values["院校所在地代码"],
                    major_text=values["专业"],
                    degree=Degree.BENKE,
                    graduation_year=int(values["毕业年份"]),
                    registered_on=date.fromisoformat(values["登记日期"]),
                    phone=values["手机号"],
                ),
            )
            session.commit()
        elapsed = time.perf_counter() - started
        session.rollback()
    engine.dispose()
    return len(rows) / elapsed


def _timings(fn: Callable[[], Any], runs: int = 20) -> tuple[float, float]:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


def _list_page(url: str) -> list[tuple[str, float, float]]:
    """Time the officer's list page (search + render) for a province officer and for HQ."""

    app = create_app(
        {
            "ENVIRON": {
                "MATCHSVC_DATABASE_URL": url,
                "MATCHSVC_SECRET_KEY": "bench",
                "MATCHSVC_DATA_KEY": BENCH_KEY,
            },
            "WTF_CSRF_ENABLED": False,
        }
    )
    with app.app_context():
        session = db.factory()
        actor = Actor.command_line(get_org(session, "000000"))
        for username, role, org in (
            ("bench_gd", Role.OFFICER, "440000"),
            ("bench_hq", Role.HQ, "000000"),
        ):
            create_user(
                session, actor, role=role, username=username, password="Bench-pass-1", org_code=org
            )
        session.commit()
        session.close()
    results = []
    for username in ("bench_gd", "bench_hq"):
        client = app.test_client()
        client.post("/login", data={"username": username, "password": "Bench-pass-1"})
        for label, query in (
            ("首页", ""),
            ("拼音 zhang", "?q=zhang"),
            ("应届·未就业·低保", "?cohort=fresh&status=unemployed&hardship=dibao"),
            ("按姓名排序第20页", "?sort=name&dir=asc&page=20"),
        ):

            def fetch(q: str = query, client: Any = client) -> None:
                response = client.get("/graduates/" + q)
                assert response.status_code == 200

            fetch()
            p50, p95 = _timings(fetch)
            results.append((f"{username[6:]} {label}", p50, p95))
    return results


def run(rows: int, url: str | None) -> None:
    workdir = Path(tempfile.mkdtemp(prefix="matchsvc-bench-"))
    url = url or f"sqlite:///{workdir / 'bench.sqlite3'}"
    print(
        f"机器：{platform.machine()}，{os.cpu_count()} 核，Python {platform.python_version()}，数据库 {url.split(':')[0]}"
    )
    _prepare(url)
    small, large, second = workdir / "small.xlsx", workdir / "large.xlsx", workdir / "second.xlsx"
    started = time.perf_counter()
    write_xlsx(large, graduate_rows(rows, seed=1))
    print(
        f"生成 {rows} 行 .xlsx：{time.perf_counter() - started:.1f} 秒，{large.stat().st_size / 1e6:.1f} MB"
    )
    write_xlsx(small, graduate_rows(rows // 10, seed=3))
    baseline_rows = list(graduate_rows(500, seed=4))
    base = _baseline(url, baseline_rows)
    small_result = _run_child(url, small)
    result = _run_child(url, large)
    rate = result["rows"] / result["seconds"]
    print(
        f"导入 {result['rows']} 行：{result['seconds']:.1f} 秒，{rate:.0f} 行/秒（目标：50,000 行 < 60 秒）"
    )
    print(
        f"基线（逐条通过服务登记 500 行）：{base:.0f} 行/秒；批量导入是基线的 {rate / base:.1f} 倍"
    )
    print(
        f"峰值内存：{rows // 10} 行 {small_result['peak_mb']:.0f} MB，{rows} 行 {result['peak_mb']:.0f} MB（进程起始 {result['start_mb']:.0f} MB）"
        f"；行数 ×10，内存 ×{result['peak_mb'] / small_result['peak_mb']:.2f}"
    )
    write_xlsx(second, graduate_rows(100_000 - rows - rows // 10 - 500, seed=2))
    _run_child(url, second)
    print("列表页（含查询与渲染，共 100,000 名毕业生，每项 20 次）：")
    for label, p50, p95 in _list_page(url):
        print(f"  {label:<24} p50 {p50:6.1f} ms  p95 {p95:6.1f} ms（目标 < 200 ms）")
