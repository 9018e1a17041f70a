"""The scheduler: fire times, one run per fire time, recorded outcomes, the lease, and two processes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from matchsvc.jobs import JOBS
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from matchsvc.actors import Actor
from matchsvc.db import make_engine, make_session_factory
from matchsvc.employers.service import PositionInput, create_position, register_employer
from matchsvc.migrate import upgrade
from matchsvc.models import (
    AuditEvent,
    EmployerKind,
    JobOutcome,
    JobRun,
    PositionKind,
    PositionStatus,
    SchedulerLease,
)
from matchsvc.ops.scheduler import JobContext, JobSpec, execute, try_acquire_lease

from ..conftest import TEST_DATA_KEY, TEST_SECRET, FreshDatabases, seeded_engine

ROOT = Path(__file__).resolve().parents[2]


def test_job_list_has_fixed_unique_ids() -> None:
    ids = [job.id for job in JOBS]
    assert len(ids) == len(set(ids)) and "close_expired_positions" in ids


def test_fire_time_is_the_latest_at_or_before_now() -> None:
    spec = JobSpec(id="x", func=lambda job: 0, cron={"hour": 0, "minute": 5}, description="")
    # 00:05:30 China time on 1 September is 16:05:30 UTC on 31 August.
    now = datetime(2012, 8, 31, 16, 5, 30, tzinfo=UTC)
    assert spec.fire_time(now) == datetime(2012, 8, 31, 16, 5, tzinfo=UTC)
    assert spec.fire_time(now - timedelta(minutes=1)) == datetime(2012, 8, 30, 16, 5, tzinfo=UTC)
    every2 = JobSpec(id="y", func=lambda job: 0, cron={"second": "*/2"}, description="")
    assert every2.fire_time(datetime(2012, 1, 1, 0, 0, 5, 500, tzinfo=UTC)).second == 4


def factory_on(connection: object):  # type: ignore[no-untyped-def]
    return make_session_factory(connection, join_transaction_mode="create_savepoint")


def test_a_fire_time_runs_once_and_outcomes_are_recorded(
    connection: object, session: Session
) -> None:
    factory = factory_on(connection)
    calls: list[datetime] = []
    spec = JobSpec(
        id="once",
        func=lambda job: calls.append(job.now) or 3,
        cron={"hour": 0, "minute": 5},
        description="",
    )
    run = execute(factory, spec, "a")
    assert run is not None and run.outcome == JobOutcome.SUCCESS and run.rows == 3
    assert execute(factory, spec, "b") is None  # same fire time: already ran
    assert len(calls) == 1

    def broken(job: JobContext) -> int:
        raise RuntimeError("boom for 11010519491231002X")

    failed = execute(
        factory,
        JobSpec(id="broken", func=broken, cron={"hour": 0, "minute": 5}, description=""),
        "a",
    )
    assert failed is not None and failed.outcome == JobOutcome.FAILED
    stored = session.scalar(select(JobRun).where(JobRun.job_id == "broken"))
    assert stored is not None and stored.outcome == JobOutcome.FAILED and stored.finished_at
    assert "boom" in (stored.message or "") and "11010519491231002X" not in (stored.message or "")


def test_lease_is_held_by_one_scheduler(connection: object, session: Session) -> None:
    factory = factory_on(connection)
    assert try_acquire_lease(factory, "a")
    assert not try_acquire_lease(factory, "b")
    assert try_acquire_lease(factory, "a")  # renewal
    lease = session.get(SchedulerLease, "scheduler")
    assert lease is not None
    lease.expires_at = datetime.now(UTC) - timedelta(seconds=1)
    session.commit()
    assert try_acquire_lease(factory, "b")  # a dead holder's lease is taken over
    assert not try_acquire_lease(factory, "a")


def test_close_expired_positions(session: Session, hq_actor: Actor) -> None:
    employer = register_employer(
        session,
        hq_actor,
        name="测试",
        uscc="91350100M000100Y43",
        kind=EmployerKind.SOE,
        org_code="440100",
        approve=True,
    )

    def post(title: str, closes: date | None):  # type: ignore[no-untyped-def]
        return create_position(
            session,
            hq_actor,
            employer,
            PositionInput(
                kind=PositionKind.JOB,
                title=title,
                work_region_code="440100",
                headcount=1,
                published_on=date(2012, 7, 1),
                closes_on=closes,
            ),
        )

    old, today, never = (
        post("旧", date(2012, 8, 1)),
        post("今日", date(2012, 9, 1)),
        post("长期", None),
    )
    now = datetime(2012, 8, 31, 17, 0, tzinfo=UTC)  # 01:00 on 1 September, China time
    job = next(j for j in JOBS if j.id == "close_expired_positions")
    assert job.run(session, now) == 1
    assert job.run(session, now) == 0
    assert (old.status, today.status, never.status) == (
        PositionStatus.CLOSED,
        PositionStatus.OPEN,
        PositionStatus.OPEN,
    )


def run_two_schedulers(url: str, jobs: str, tmp_path: Path, seconds: float = 9) -> list[str]:
    env = {
        **os.environ,
        "MATCHSVC_DATABASE_URL": url,
        "MATCHSVC_SECRET_KEY": TEST_SECRET,
        "MATCHSVC_DATA_KEY": TEST_DATA_KEY,
        "PYTHONPATH": str(ROOT),
    }
    cmd = [sys.executable, "-m", "matchsvc", "scheduler", "--jobs", jobs, "--poll", "0.5"]
    procs = [
        subprocess.Popen(
            cmd, env=env, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
        )
        for _ in range(2)
    ]
    time.sleep(seconds)
    for p in procs:
        p.send_signal(signal.SIGTERM)
    outputs = [p.communicate(timeout=30)[0].decode() for p in procs]
    assert all(p.returncode == 0 for p in procs), outputs
    return outputs


@pytest.mark.system
def test_two_schedulers_store_each_snapshot_once(
    databases: FreshDatabases, backend: str, tmp_path: Path
) -> None:
    from matchsvc.models import Campaign, Org, StatsSnapshot

    url = databases.new(backend)
    engine = seeded_engine(url)
    today = datetime.now(UTC).date()
    with make_session_factory(engine)() as s:
        s.add(
            Campaign(
                year=2030,
                starts_on=today - timedelta(days=10),
                ends_on=today + timedelta(days=10),
                cutoff_on=today + timedelta(days=10),
                report_due_on=today + timedelta(days=20),
            )
        )
        s.commit()
    outputs = run_two_schedulers(url, "tests.ops.sched_jobs:SNAPSHOT_JOBS", tmp_path)
    with make_session_factory(engine)() as s:
        runs = s.scalars(select(JobRun).where(JobRun.job_id == "snapshot")).all()
        snapshots = s.scalar(select(func.count()).select_from(StatsSnapshot))
        orgs = s.scalar(select(func.count()).select_from(Org))
    engine.dispose()
    assert len(runs) >= 2 and all(r.outcome == JobOutcome.SUCCESS for r in runs), outputs
    assert snapshots == orgs  # every org once for the day, however many runs
    assert len({r.runner for r in runs}) == 1


@pytest.mark.system
def test_two_scheduler_processes_run_each_fire_time_once(
    databases: FreshDatabases, backend: str, tmp_path: Path
) -> None:
    url = databases.new(backend)
    engine = make_engine(url)
    upgrade(engine)
    outputs = run_two_schedulers(url, "tests.ops.sched_jobs:JOBS", tmp_path)
    with make_session_factory(engine)() as s:
        runs = s.scalars(select(JobRun).where(JobRun.job_id == "tick")).all()
        ticks = s.scalar(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "tick")
        )
    engine.dispose()
    assert len(runs) >= 2, outputs
    assert len({r.scheduled_for for r in runs}) == len(runs)  # once per fire time
    assert ticks == len(runs)  # and the job's effect happened once per run
    assert all(r.outcome == JobOutcome.SUCCESS for r in runs)
    assert len({r.runner for r in runs}) == 1  # only the lease holder ran jobs


def test_schedules_in_words_and_the_next_run() -> None:
    from datetime import UTC, datetime

    from matchsvc.jobs import JOBS

    from matchsvc.ops.scheduler import schedule_words

    assert schedule_words({"hour": 0, "minute": 5}) == "每天 00:05"
    assert schedule_words({"minute": 10}) == "每小时第10分"
    assert schedule_words({"minute": "*/15"}) == "每15分钟"
    assert schedule_words({"minute": "*"}) == "每分钟"
    job = next(j for j in JOBS if j.id == "close_expired_positions")
    after = job.next_run(datetime(2012, 8, 1, 12, 0, tzinfo=UTC))  # 20:00 北京时间
    assert after is not None and after.isoformat() == "2012-08-02T00:05:00+08:00"
    assert all(j.title for j in JOBS)


def test_hq_sees_every_run(app, connection: object, session: Session, hq_actor: Actor) -> None:  # type: ignore[no-untyped-def]
    from matchsvc.auth.service import create_user
    from matchsvc.models import Role

    from ..helpers import login

    def broken(job: JobContext) -> int:
        raise ValueError("磁盘已满")

    execute(
        factory_on(connection),
        JobSpec(id="broken_job", func=broken, cron={"hour": 1}, description=""),
        "host:1",
    )
    from matchsvc.ops.scheduler import run_unit

    # one province of a split job fails on a worker: its own record, named by province
    nightly = JobSpec(id="recommendations_nightly", func=broken, cron={"hour": 1}, description="")
    with pytest.raises(ValueError):
        run_unit(factory_on(connection), nightly, "44", datetime.now(UTC), "worker:7")
    create_user(session, hq_actor, role=Role.HQ, username="boss", password="Passw0rd!")
    create_user(
        session, hq_actor, role=Role.OFFICER, username="gz", password="Passw0rd!", org_code="440100"
    )
    session.commit()
    boss = app.test_client()
    login(boss, "boss", "Passw0rd!")
    page = boss.get("/admin/jobs").get_data(as_text=True)
    assert (
        "broken_job" in page
        and "失败" in page
        and "磁盘已满" in page
        and "统计表每晚快照" in page  # the job's Chinese name
        and "每天 00:30" in page  # its schedule in words
        and "时间为 UTC" not in page
    )
    assert "没有正在运行的定时任务进程" in page  # no lease held
    assert "重新计算推荐（广东省）" in page and "worker:7" in page
    from datetime import timedelta

    from matchsvc.models import SchedulerLease, utcnow
    from matchsvc.ops.scheduler import LEASE_NAME

    session.add(
        SchedulerLease(
            name=LEASE_NAME, holder="host:1", expires_at=utcnow() + timedelta(seconds=30)
        )
    )
    session.commit()
    running = boss.get("/admin/jobs").get_data(as_text=True)
    assert "定时任务进程正在运行" in running and "没有正在运行" not in running
    officer = app.test_client()
    login(officer, "gz", "Passw0rd!")
    assert officer.get("/admin/jobs").status_code == 403


def test_the_runs_list_leaves_out_idle_every_minute_runs(
    app,
    session: Session,
    hq_actor: Actor,  # type: ignore[no-untyped-def]
) -> None:
    from datetime import timedelta

    from matchsvc.auth.service import create_user
    from matchsvc.models import JobOutcome, JobRun, Role, utcnow

    from ..helpers import login

    start = utcnow() - timedelta(minutes=10)
    for minute, rows in ((1, 0), (2, 0), (3, 4)):
        at = start + timedelta(minutes=minute)
        session.add(
            JobRun(
                job_id="notices_send", scheduled_for=at, started_at=at, finished_at=at,
                outcome=JobOutcome.SUCCESS, rows=rows, runner="host:1",
            )
        )  # fmt: skip
    session.add(
        JobRun(
            job_id="close_expired_positions", scheduled_for=start, started_at=start,
            finished_at=start, outcome=JobOutcome.SUCCESS, rows=0, runner="host:1",
        )
    )  # fmt: skip
    create_user(session, hq_actor, role=Role.HQ, username="boss", password="Passw0rd!")
    session.commit()
    boss = app.test_client()
    login(boss, "boss", "Passw0rd!")
    page = boss.get("/admin/jobs").get_data(as_text=True)
    runs = page[page.index("最近运行记录") :]
    assert runs.count("<td>发送邮件和短信通知</td>") == 1  # the run that sent something
    assert "<td>关闭过期岗位</td>" in runs  # a daily run stays, even with nothing to do
    assert ">notices_send<" not in page and 'title="任务编号 notices_send"' in page
    everything = boss.get("/admin/jobs?idle=1").get_data(as_text=True)
    assert everything[everything.index("最近运行记录") :].count("<td>发送邮件和短信通知</td>") == 3
    one = boss.get("/admin/jobs?job=close_expired_positions&idle=1").get_data(as_text=True)
    listed = one[one.index("最近运行记录") :]
    assert "<td>关闭过期岗位</td>" in listed and "<td>发送邮件和短信通知</td>" not in listed


def test_idle_run_records_are_purged_after_a_week(session: Session) -> None:
    """The every-minute jobs leave a record each minute: those that found nothing go after a
    week; failures, runs that did work, and the last week's stay."""
    now = datetime.now(UTC)
    old, recent = now - timedelta(days=8), now - timedelta(days=1)
    cases = {
        "idle_old": (old, JobOutcome.SUCCESS, 0),
        "idle_null_old": (old, JobOutcome.SUCCESS, None),
        "idle_recent": (recent, JobOutcome.SUCCESS, 0),
        "worked_old": (old, JobOutcome.SUCCESS, 3),
        "failed_old": (old, JobOutcome.FAILED, None),
    }
    for job_id, (at, outcome, rows) in cases.items():
        session.add(
            JobRun(job_id=job_id, scheduled_for=at, started_at=at, outcome=outcome, rows=rows,
                   runner="test")
        )  # fmt: skip
    session.flush()
    job = next(j for j in JOBS if j.id == "ops_purge_idle_runs")
    assert job.run(session, now) == 2
    left = set(session.scalars(select(JobRun.job_id)))
    assert left == {"idle_recent", "worked_old", "failed_old"}
