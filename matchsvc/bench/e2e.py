"""`matchsvc bench e2e`: what users wait for, from the database to the answer, at national scale in
PostgreSQL — the nightly recompute on the job queue with two `matchsvc worker` processes (the
in-process run of the embedded default as its baseline, and the two runs' stored lists compared),
the start of `serve`, one graduate's recommendations page cold (the first request after the
start) and warm, the page after one of its posts is edited, and a province's placement plan —
each beside a baseline measured in the same run, at two sizes with the growth's exponent."""

from __future__ import annotations

import math
import os
import platform
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import click
from flask import current_app
from sqlalchemy import Engine, create_engine, func, select, text, update
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker
from werkzeug.security import generate_password_hash

from .. import clock, pii
from ..actors import Actor
from ..db import make_engine, make_session_factory
from ..jobs import JOBS
from ..jurisdiction import subtree_ids
from ..matching import loader
from ..matching.service import _plan_graduates, _plan_reach, make_policy, placement_plan
from ..migrate import upgrade
from ..models import (
    Employer,
    Graduate,
    JobOutcome,
    JobRun,
    Org,
    OrgLevel,
    Position,
    Role,
    User,
)
from ..models import Recommendation as StoredRecommendation
from ..ops import queue
from ..ops.scheduler import run_units
from ..orgs.service import seed_orgs
from ..validators import id_check_char
from . import nation
from .server import Browser, running_server, wait_ready

PASSWORD = "Bench-e2e-2012"
#: A post's title as the generated market writes it: “（12345号）”.
_POST_ID = re.compile(r"（(\d+)号）")
USER = "e2e_graduate"
GOALS = {
    "recompute": 120.0,
    "cold": 2.0,
    "warm_p95": 0.150,
    "edited": 0.500,
    "plan": 10.0,
    "serve": 20.0,
}


@dataclass
class Figures:
    graduates: int
    positions: int
    seconds: dict[str, float] = field(default_factory=dict)
    baseline: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def _database(server_url: str, name: str) -> str:
    """A fresh database `name` on the server of `server_url` (dropped first if it is there)."""
    url = make_url(server_url)
    if not url.drivername.startswith("postgresql"):
        raise click.UsageError("bench e2e 需要 PostgreSQL（--database-url postgresql://…）")
    admin = create_engine(url.set(drivername="postgresql+psycopg"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


def _drop(server_url: str, name: str) -> None:
    url = make_url(server_url)
    admin = create_engine(url.set(drivername="postgresql+psycopg"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _timed(what: Callable[[], object]) -> float:
    started = time.perf_counter()
    what()
    return time.perf_counter() - started


def _stored(factory: sessionmaker[Session]) -> tuple[int, int]:
    """The stored lists' lines and a checksum of what they hold (equal for equal results)."""
    lines = total = 0
    with factory() as s:
        for gid, posts in s.execute(
            select(StoredRecommendation.graduate_id, StoredRecommendation.position_ids)
        ).yield_per(50_000):
            lines += len(posts)
            total += sum(gid * 7 + p * 13 + rank for rank, p in enumerate(posts, 1))
    return lines, total


def _peak_kb(pid: int) -> int:
    """The process's peak resident memory (VmHWM) in KiB, 0 once it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _keys() -> dict[str, str]:
    """The app's keys for the workers and `serve` the bench starts (the page decrypts the
    graduate's own number with the data key the bench sealed it with). Passed to each child,
    never set in this process's environment, where every later child would inherit them."""
    return {
        "MATCHSVC_SECRET_KEY": current_app.config["SECRET_KEY"],
        "MATCHSVC_DATA_KEY": current_app.config["DATA_KEY"],
    }


def _recompute(url: str, factory: sessionmaker[Session], workdir: Path, f: Figures) -> None:
    spec = next(j for j in JOBS if j.id == "recommendations_nightly")
    holder = "bench:in-process"
    settings: dict[str, object] = {}
    fire = datetime.now(UTC).replace(microsecond=0)
    f.baseline["recompute"] = _timed(lambda: run_units(factory, spec, fire, holder, settings))
    reference = _stored(factory)
    env = {
        **os.environ,
        **_keys(),
        "MATCHSVC_DATABASE_URL": url,
        "MATCHSVC_JOB_QUEUE": "procrastinate",
    }
    workers = []
    for n in range(2):
        # the child writes to its own copy of the file: this process closes its handle at once
        with (workdir / f"worker-{n}.log").open("wb") as log:
            workers.append(
                subprocess.Popen(
                    [sys.executable, "-m", "matchsvc", "worker"],
                    env=env,
                    cwd=workdir,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            )
    try:
        time.sleep(8)  # the workers import, connect and load the kernels before the clock starts
        app = queue.make_app(url).open()
        fire = datetime.now(UTC).replace(microsecond=0)
        started = time.perf_counter()
        units = queue.enqueue(app, factory, spec, fire)
        peaks = [0, 0]
        while True:
            peaks = [max(p, _peak_kb(w.pid)) for p, w in zip(peaks, workers, strict=True)]
            with factory() as s:
                runs = s.scalars(
                    select(JobRun.outcome).where(
                        JobRun.job_id.like(f"{spec.id}/%"), JobRun.scheduled_for == fire
                    )
                ).all()
            if sum(o == JobOutcome.SUCCESS for o in runs) == units:
                break
            if any(o == JobOutcome.FAILED for o in runs) or any(
                w.poll() is not None for w in workers
            ):
                raise RuntimeError(f"重算失败，见 {workdir}/worker-*.log")
            time.sleep(0.2)
        f.seconds["recompute"] = time.perf_counter() - started
        app.close()
    finally:
        for w in workers:
            w.send_signal(signal.SIGTERM)
        for w in workers:
            w.wait(timeout=60)
    f.seconds["worker_peak_mb"] = max(peaks) / 1024
    queued = _stored(factory)
    same = "一致" if queued == reference else f"不一致：{queued} ≠ {reference}"
    f.notes.append(f"{units} 个省级单元；两次重算写入推荐 {queued[0]:,} 条，结果{same}")


def _serve(url: str, workdir: Path, factory: sessionmaker[Session], f: Figures) -> None:
    f.baseline["serve"] = _timed(
        lambda: subprocess.run(
            [sys.executable, "-m", "matchsvc", "--help"], check=True, capture_output=True
        )
    )
    started = time.perf_counter()
    with running_server(url, workdir, workers=2, env=_keys(), wait=False, capture=True) as served:
        if not wait_ready(served.port, seconds=300, proc=served.proc):
            raise RuntimeError("serve 没有启动")
        f.seconds["serve"] = time.perf_counter() - started
        b = Browser(served.port)
        b.login(USER, PASSWORD)
        t = time.perf_counter()
        status, page = b.request("GET", "/me")
        f.seconds["cold"] = time.perf_counter() - t
        if status != 200:
            raise RuntimeError(f"/me 返回 {status}，见 {workdir}/server-*.log")
        for _ in range(10):  # each gunicorn worker's first request is its own cold start
            b.request("GET", "/me")
        warm = []
        for _ in range(60):
            t = time.perf_counter()
            status, page = b.request("GET", "/me")
            warm.append(time.perf_counter() - t)
        f.seconds["warm_p95"] = statistics.quantiles(warm, n=20)[18]
        f.seconds["warm_p50"] = statistics.median(warm)
        login = []
        for _ in range(60):
            t = time.perf_counter()
            b.request("GET", "/login")
            login.append(time.perf_counter() - t)
        f.baseline["warm_p95"] = statistics.quantiles(login, n=20)[18]
        f.baseline["cold"] = f.baseline["edited"] = f.seconds["warm_p50"]
        edits = []
        for n in range(3):
            shown = [int(x) for x in _POST_ID.findall(page)]
            if not shown:
                raise RuntimeError("推荐页没有岗位")
            marker = f"已修改{n}"
            with factory() as s:
                s.execute(
                    update(Position)
                    .where(Position.id == shown[0])
                    .values(title=Position.title + marker, updated_at=datetime.now(UTC))
                )
                s.commit()
            t = time.perf_counter()
            status, page = b.request("GET", "/me")
            edits.append(time.perf_counter() - t)
            if marker not in page:
                f.notes.append(f"修改岗位后第一次请求没有显示修改（第 {n + 1} 次）")
        f.seconds["edited"] = max(edits)


def _plan(factory: sessionmaker[Session], f: Figures) -> None:
    with factory() as s:
        per_org = s.execute(
            select(Org.code, func.count())
            .join(Graduate, Graduate.home_org_id == Org.id)
            .group_by(Org.code)
        ).all()
        provinces: Counter[str] = Counter()
        for code, n in per_org:
            provinces[code[:2]] += n
        biggest = provinces.most_common(1)[0][0]
        org = s.scalar(select(Org).where(Org.code == f"{biggest}0000"))
        assert org is not None and org.level == OrgLevel.PROVINCE
        actor = Actor.command_line(org)
        policy = make_policy(s, {}, clock.today())

        def load() -> None:
            loader.graduate_profiles(s, _plan_graduates(_plan_reach(actor, org), policy))
            loader.load_positions(s, policy.today, Employer.org_id.in_(subtree_ids(org.path)))

        f.baseline["plan"] = _timed(load)
        started = time.perf_counter()
        plan = placement_plan(s, actor, org, policy)
        f.seconds["plan"] = time.perf_counter() - started
        f.notes.append(f"安置方案：{org.name}，安置 {len(plan.lines):,} 人")


def measure(server_url: str, graduates: int, positions: int, keep: bool) -> Figures:
    f = Figures(graduates, positions)
    name = f"matchsvc_bench_e2e_{graduates}"
    url = _database(server_url, name)
    workdir = Path(tempfile.mkdtemp(prefix="matchsvc-bench-e2e-"))
    engine: Engine = make_engine(url)
    try:
        upgrade(engine)
        factory = make_session_factory(engine)
        started = time.perf_counter()
        with factory() as s:
            seed_orgs(s)
            s.commit()
            nation.build(s, graduates, positions)
            gid = s.scalar(select(func.min(Graduate.id)))
            first17 = "110101" + "20020101" + "001"  # the page shows the graduate's own number
            sealed = pii.keyring().seal(first17 + id_check_char(first17))
            s.execute(
                update(Graduate)
                .where(Graduate.id == gid)
                .values(
                    id_number_enc=sealed.ciphertext,
                    id_number_hash=sealed.digest,
                    id_last4_hash=sealed.last4_digest,
                )
            )
            s.add(
                User(
                    username=USER,
                    role=Role.GRADUATE,
                    graduate_id=gid,
                    password_hash=generate_password_hash(PASSWORD),
                )
            )
            s.commit()
            s.connection().exec_driver_sql("ANALYZE")
            s.commit()
        click.echo(
            f"  生成 {graduates:,} 名毕业生、{positions:,} 个岗位：{time.perf_counter() - started:.0f} 秒"
        )
        _recompute(url, factory, workdir, f)
        _serve(url, workdir, factory, f)
        _plan(factory, f)
    finally:
        engine.dispose()
        if not keep:
            _drop(server_url, name)
    return f


LABELS = {
    "recompute": ("每晚重算（数据库 → 存储的推荐，两个 worker）", "同一进程逐省重算"),
    "serve": ("serve 启动到能应答", "python -m matchsvc --help"),
    "cold": ("推荐页冷启动（启动后第一次请求）", "推荐页热请求中位数"),
    "warm_p95": ("推荐页热请求 p95", "登录页热请求 p95"),
    "edited": ("修改岗位后下一次推荐页请求（三次最慢）", "推荐页热请求中位数"),
    "plan": ("省级安置方案（从数据库）", "只读取该省毕业生和岗位"),
}


def report(results: list[Figures]) -> None:
    small, big = results[0], results[-1]
    ratio = big.graduates / small.graduates if len(results) > 1 else 1.0
    for r in results:
        click.echo(f"\n{r.graduates:,} 名毕业生 × {r.positions:,} 个岗位：")
        for key, (label, base) in LABELS.items():
            goal = GOALS[key]
            value, baseline = r.seconds[key], r.baseline[key]
            verdict = "达标" if value <= goal else "未达标"
            click.echo(
                f"  {label}：{value:.3f} 秒（目标 ≤ {goal:g} 秒，{verdict}）；"
                f"基线（{base}）{baseline:.3f} 秒，是基线的 {value / baseline:.2f} 倍"
            )
        peak = r.seconds["worker_peak_mb"]
        click.echo(
            f"  每个 worker 的内存峰值：{peak:,.0f} MB（目标 ≤ 2048 MB，{'达标' if peak <= 2048 else '未达标'}）"
        )
        for note in r.notes:
            click.echo(f"  {note}")
    if len(results) > 1:
        click.echo(f"\n增长（规模 ×{ratio:g}，指数 = log(时间比) / log(规模比)）：")
        for key, (label, _) in LABELS.items():
            grow = big.seconds[key] / max(small.seconds[key], 1e-6)
            click.echo(f"  {label}：×{grow:.2f}，指数 {math.log(grow) / math.log(ratio):.2f}")


def run(server_url: str, graduates: int, positions: int, small: float, keep: bool) -> list[Figures]:
    """Runs in the app's context: the workers and `serve` it starts get the app's keys (`_keys`)."""
    click.echo(
        f"机器：{platform.machine()}，{os.cpu_count()} 核，Python {platform.python_version()}，PostgreSQL"
    )
    sizes = [(graduates, positions)]
    if 0 < small < 1:
        sizes.insert(0, (max(1, int(graduates * small)), max(1, int(positions * small))))
    results = []
    for g, p in sizes:
        click.echo(f"\n规模 {g:,} × {p:,}：")
        results.append(measure(server_url, g, p, keep))
    report(results)
    return results
