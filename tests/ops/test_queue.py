"""Long work split into units and run on a job queue (procrastinate over PostgreSQL): the nightly
recompute runs one unit per province, each recorded and done exactly once; in the embedded
default the same units run in the scheduler process. Two workers and a scheduler finish a
national recompute although one worker is killed in the middle of a province."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from matchsvc.jobs import JOBS
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from matchsvc.config import ConfigError, load_config
from matchsvc.db import make_session_factory
from matchsvc.graduates.service import register_graduate
from matchsvc.matching.service import make_policy
from matchsvc.matching.stored import store_recommendations
from matchsvc.models import AuditEvent, JobOutcome, JobRun, Recommendation
from matchsvc.ops.scheduler import JobSpec, run_unit, run_units, unit_key

from ..conftest import (
    TEST_DATA_KEY,
    TEST_SECRET,
    FreshDatabases,
    graduate_input,
    make_id,
    officer_actor,
    seeded_engine,
)
from ..helpers import TODAY, employer, post

ROOT = Path(__file__).resolve().parents[2]
#: Province → a county of it (ID numbers' region) and the city posts are in.
PROVINCES = {
    "11": ("110101", "110100"),
    "31": ("310101", "310100"),
    "42": ("420102", "420100"),
    "44": ("440106", "440100"),
    "51": ("510104", "510100"),
}
RECOMPUTE = next(j for j in JOBS if j.id == "recommendations_nightly")


def national(session: Session, per_province: int = 6) -> None:
    """Graduates homed in five provinces and posts in each, some of them a fit."""
    n = 0
    for prefix, (county, city) in PROVINCES.items():
        officer = officer_actor(session, f"{prefix}0000")
        emp = employer(session, 300 + int(prefix), org_code=f"{prefix}0000")
        for title, majors in (("软件开发", ["计算机科学与技术"]), ("会计", ["会计学"])):
            post(session, emp, f"{title}{prefix}", majors, region=city, headcount=3)
        for i in range(per_province):
            n += 1
            register_graduate(
                session,
                officer,
                graduate_input(
                    make_id(county, seq=f"{n:03d}"), f"{prefix}0000", f"{prefix}0000",
                    name=f"学生{n}", major_text="计算机科学与技术" if i % 2 else "会计学",
                    graduation_year=TODAY.year, registered_on=TODAY,
                ),
            )  # fmt: skip
    session.commit()


def stored(factory: sessionmaker[Session]) -> set[tuple[int, int, int, float]]:
    with factory() as s:
        return {
            (r.graduate_id, p, rank, round(fit, 3))
            for r in s.scalars(select(Recommendation))
            for p, rank, fit in r.lines()
        }


def in_process(factory: sessionmaker[Session]) -> set[tuple[int, int, int, float]]:
    """What one national run in this process writes (rolled back afterwards)."""
    with factory() as s:
        store_recommendations(s, make_policy(s, {}, TODAY), datetime.now(UTC))
        rows = {
            (r.graduate_id, p, rank, round(fit, 3))
            for r in s.scalars(select(Recommendation))
            for p, rank, fit in r.lines()
        }
        s.rollback()
    return rows


def test_the_recompute_runs_by_province_once_each(databases: FreshDatabases, backend: str) -> None:
    engine = seeded_engine(databases.new(backend))
    factory = make_session_factory(engine)
    with factory() as s:
        national(s)
    reference = in_process(factory)
    assert reference, "the data gives some recommendations"
    fire = datetime.now(UTC).replace(microsecond=0)
    rows = run_units(factory, RECOMPUTE, fire, "test")
    assert rows == len(reference) and stored(factory) == reference
    with factory() as s:
        runs = s.scalars(select(JobRun).order_by(JobRun.job_id)).all()
    assert [r.job_id for r in runs] == [unit_key(RECOMPUTE, p) for p in sorted(PROVINCES)]
    assert all(r.outcome == JobOutcome.SUCCESS and r.rows for r in runs)
    # a unit already done for this fire time is not done again (a queue's retry after a commit)
    assert run_unit(factory, RECOMPUTE, "44", fire, "again") is None
    engine.dispose()


def test_a_failing_unit_is_recorded_and_the_others_still_run(
    databases: FreshDatabases, backend: str
) -> None:
    engine = seeded_engine(databases.new(backend))
    factory = make_session_factory(engine)

    def work(job):  # type: ignore[no-untyped-def]
        if job.unit == "42":
            raise ValueError("湖北的数据坏了")
        return 1

    spec = JobSpec(
        id="split", func=work, cron={"hour": 1}, description="", units=lambda s: ["11", "42", "44"]
    )
    fire = datetime.now(UTC).replace(microsecond=0)
    with pytest.raises(RuntimeError, match="1 个单元失败：42"):
        run_units(factory, spec, fire, "test")
    with factory() as s:
        runs = {r.job_id: r for r in s.scalars(select(JobRun))}
    assert runs["split/11"].outcome == runs["split/44"].outcome == JobOutcome.SUCCESS
    failed = runs["split/42"]
    assert failed.outcome == JobOutcome.FAILED and "湖北的数据坏了" in (failed.message or "")
    # the retry takes the failed record over and, once it works, marks it done
    spec_ok = JobSpec(id="split", func=lambda job: 7, cron={"hour": 1}, description="")
    assert run_unit(factory, spec_ok, "42", fire, "retry") == 7
    with factory() as s:
        again = s.scalar(select(JobRun).where(JobRun.job_id == "split/42"))
    assert again is not None and again.outcome == JobOutcome.SUCCESS and again.runner == "retry"
    engine.dispose()


def test_the_queue_needs_postgresql(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="需要 PostgreSQL"):
        load_config(tmp_path, {"MATCHSVC_JOB_QUEUE": "procrastinate"})
    with pytest.raises(ConfigError, match="MATCHSVC_JOB_QUEUE"):
        load_config(tmp_path, {"MATCHSVC_JOB_QUEUE": "redis"})
    assert load_config(tmp_path, {})["JOB_QUEUE"] == "inline"  # the two commands: no worker


def _start(url: str, tmp_path: Path, *args: str) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "MATCHSVC_DATABASE_URL": url,
        "MATCHSVC_SECRET_KEY": TEST_SECRET,
        "MATCHSVC_DATA_KEY": TEST_DATA_KEY,
        "MATCHSVC_JOB_QUEUE": "procrastinate",
        "PYTHONPATH": str(ROOT),
    }
    cmd = [sys.executable, "-m", "matchsvc", *args, "--jobs", "tests.ops.sched_jobs:QUEUE_JOBS"]
    with (tmp_path / f"{args[0]}-{time.monotonic_ns()}.log").open("wb") as log:
        return subprocess.Popen(cmd, env=env, cwd=tmp_path, stdout=log, stderr=subprocess.STDOUT)


def _wait(what: str, check, seconds: float = 120):  # type: ignore[no-untyped-def]
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if (found := check()) is not None:
            return found
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.mark.system
def test_two_workers_finish_a_national_recompute_though_one_is_killed(
    databases: FreshDatabases, tmp_path: Path
) -> None:
    url = databases.new("postgresql")
    engine: Engine = seeded_engine(url)
    factory = make_session_factory(engine)
    with factory() as s:
        national(s)
    reference = in_process(factory)
    workers = [_start(url, tmp_path, "worker", "--heartbeat", "1", "--stalled", "3") for _ in "ab"]
    scheduler = _start(url, tmp_path, "scheduler", "--poll", "0.5", "--stalled", "3")
    procs = [*workers, scheduler]
    try:
        # the first fire time's units, as the workers start them
        def running_on_a_worker():  # type: ignore[no-untyped-def]
            with factory() as s:
                for run in s.scalars(select(JobRun).where(JobRun.job_id.like("recompute/%"))):
                    pid = int(run.runner.rsplit(":", 1)[-1])
                    if run.outcome == JobOutcome.RUNNING and pid in (w.pid for w in workers):
                        return run.scheduled_for, pid, run.job_id
            return None

        fire, victim, unit = _wait("a unit running on a worker", running_on_a_worker)
        killed = next(w for w in workers if w.pid == victim)
        killed.send_signal(signal.SIGKILL)
        killed.wait(timeout=10)

        def all_done():  # type: ignore[no-untyped-def]
            with factory() as s:
                runs = s.scalars(
                    select(JobRun).where(
                        JobRun.job_id.like("recompute/%"), JobRun.scheduled_for == fire
                    )
                ).all()
            done = [r for r in runs if r.outcome == JobOutcome.SUCCESS]
            return runs if len(done) == len(PROVINCES) else None

        runs = _wait("every province done", all_done)
    finally:
        for p in procs:
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
        for p in procs:
            try:
                p.wait(timeout=30)
            except subprocess.TimeoutExpired:
                p.kill()
    logs = "\n".join(f.read_text(errors="replace")[-6000:] for f in tmp_path.glob("*.log"))
    assert sorted(r.job_id for r in runs) == sorted(f"recompute/{p}" for p in PROVINCES), logs
    assert "of a stalled worker handed back" in logs, logs  # the scheduler's housekeeping
    retried = next(r for r in runs if r.job_id == unit)
    assert int(retried.runner.rsplit(":", 1)[-1]) != victim  # the other worker finished it
    with factory() as s:
        notes = [
            e.details["unit"]
            for e in s.scalars(select(AuditEvent).where(AuditEvent.action == "unit_done"))
            if e.details["fire"] == fire.isoformat()
        ]
    assert sorted(notes) == sorted(PROVINCES), logs  # every province exactly once
    assert stored(factory) == reference  # the same as one run in this process
    engine.dispose()
