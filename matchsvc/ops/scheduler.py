"""The scheduler process: one leader per database, one run per job and fire time, every run recorded.

`matchsvc scheduler` runs this in a process of its own (never inside web workers). The process
that holds the database lease (`scheduler_lease`) runs jobs; any other waits, renewing its claim,
and takes over when the lease expires. Each run first inserts its `job_run` row keyed by
(job id, fire time), so even two leaders could not run the same fire time twice.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from ..clock import CHINA, china_date
from ..db import session_scope
from ..logsafe import scrub
from ..models import JobOutcome, JobRun, SchedulerLease, utcnow

log = logging.getLogger(__name__)

#: Jobs fire on China Standard Time.
TIMEZONE = CHINA
LEASE_NAME = "scheduler"
LEASE_TTL = timedelta(seconds=30)
LEASE_POLL_SECONDS = 5.0


@dataclass(frozen=True)
class JobContext:
    """What a job is given: its transaction, the instant it runs for, the app's settings."""

    session: Session
    #: The fire time's instant, UTC.
    now: datetime
    settings: Mapping[str, Any] = field(default_factory=dict)
    #: The part of the work this run does (a province prefix), for a job split into units.
    unit: str | None = None

    @property
    def today(self) -> date:
        """The date in China at that instant (01:00 北京时间 is already today there)."""
        return china_date(self.now)


def schedule_words(cron: dict[str, Any]) -> str:
    """Cron fields as the 定时任务 page says them (北京时间)."""
    hour, minute, second = cron.get("hour"), cron.get("minute"), cron.get("second")
    if second is not None and hour is None and minute is None:
        step = str(second).removeprefix("*/")
        return "每秒" if step == "*" else f"每{step}秒"
    if isinstance(hour, int) and isinstance(minute, int):
        return f"每天 {hour:02d}:{minute:02d}"
    if hour is None and isinstance(minute, int):
        return f"每小时第{minute}分"
    if hour is None and minute == "*":
        return "每分钟"
    if hour is None and isinstance(minute, str) and minute.startswith("*/"):
        return f"每{minute[2:]}分钟"
    return "，".join(f"{k}={v}" for k, v in cron.items())


@dataclass(frozen=True)
class JobSpec:
    """A scheduled job: a fixed id, cron fields, and a function of its context → rows touched."""

    id: str
    func: Callable[[JobContext], int]
    cron: dict[str, Any]
    description: str
    #: What the 定时任务 page calls it (the id stays the key of its run records).
    title: str = ""
    #: Long work a job queue may run on workers (MATCHSVC_JOB_QUEUE=procrastinate, queue.py).
    queued: bool = False
    #: A job split into units (one run each, e.g. per province): the units as of a session.
    units: Callable[[Session], list[str]] | None = None
    trigger: CronTrigger = field(init=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "trigger", CronTrigger(timezone=TIMEZONE, **self.cron))

    @property
    def schedule(self) -> str:
        """The cron fields in words, 北京时间: 每天 00:05, 每小时第10分, 每15分钟, 每分钟."""
        return schedule_words(self.cron)

    def next_run(self, now: datetime) -> datetime | None:
        return self.trigger.get_next_fire_time(None, now.astimezone(TIMEZONE))

    def run(
        self,
        session: Session,
        now: datetime,
        settings: Mapping[str, Any] | None = None,
        unit: str | None = None,
    ) -> int:
        """Run the job's function once in this session (the scheduler records the run)."""
        return self.func(JobContext(session, now, settings or {}, unit))

    def fire_time(self, now: datetime) -> datetime:
        """The latest fire time at or before `now`: the run this execution stands for."""
        for lookback in (timedelta(minutes=1), timedelta(hours=2), timedelta(days=32)):
            t = self.trigger.get_next_fire_time(None, now - lookback)
            if t is not None and t <= now:
                while True:
                    nxt = self.trigger.get_next_fire_time(t, t + timedelta(microseconds=1))
                    if nxt is None or nxt > now:
                        return t.astimezone(UTC)
                    t = nxt
        return now.replace(microsecond=0)


def runner_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def try_acquire_lease(factory: sessionmaker[Session], holder: str) -> bool:
    """Take or renew the lease; False while another live scheduler holds it."""
    now = utcnow()
    try:
        with session_scope(factory) as session:
            lease = session.scalar(
                select(SchedulerLease).where(SchedulerLease.name == LEASE_NAME).with_for_update()
            )
            if lease is None:
                session.add(
                    SchedulerLease(name=LEASE_NAME, holder=holder, expires_at=now + LEASE_TTL)
                )
            elif lease.holder == holder or lease.expires_at <= now:
                lease.holder, lease.expires_at = holder, now + LEASE_TTL
            else:
                return False
    except IntegrityError:
        return False
    return True


def release_lease(factory: sessionmaker[Session], holder: str) -> None:
    with session_scope(factory) as session:
        session.execute(
            update(SchedulerLease)
            .where(SchedulerLease.name == LEASE_NAME, SchedulerLease.holder == holder)
            .values(expires_at=utcnow() - timedelta(seconds=1))
        )


#: Hands a queued job to a job queue for its fire time; returns how many jobs it deferred.
Enqueue = Callable[[JobSpec, datetime], int]


def execute(
    factory: sessionmaker[Session],
    spec: JobSpec,
    holder: str,
    settings: Mapping[str, Any] | None = None,
    enqueue: Enqueue | None = None,
) -> JobRun | None:
    """Run one job for its current fire time, once; record the run and its outcome. With a job
    queue (`enqueue`), a queued job is handed to the workers instead: its record counts the jobs
    deferred, and each unit's run is recorded by the worker that runs it."""
    now = utcnow()
    scheduled_for = spec.fire_time(now)
    try:
        with session_scope(factory) as session:
            run = JobRun(job_id=spec.id, scheduled_for=scheduled_for, runner=holder)
            session.add(run)
    except IntegrityError:
        log.info("job %s for %s already ran elsewhere; skipped", spec.id, scheduled_for)
        return None
    try:
        if enqueue is not None and spec.queued:
            rows = enqueue(spec, scheduled_for)
        elif spec.units is not None:
            rows = run_units(factory, spec, scheduled_for, holder, settings)
        else:
            with session_scope(factory) as session:
                rows = spec.run(session, now, settings)
        outcome, message = JobOutcome.SUCCESS, None
    except Exception as exc:  # recorded and logged; the scheduler goes on
        log.exception("job %s failed", spec.id)
        rows, outcome, message = None, JobOutcome.FAILED, error_words(exc)
    with session_scope(factory) as session:
        session.execute(
            update(JobRun)
            .where(JobRun.id == run.id)
            .values(finished_at=utcnow(), outcome=outcome, rows=rows, message=message)
        )
    run.outcome, run.rows, run.message = outcome, rows, message
    log.info("job %s for %s: %s, %s rows", spec.id, scheduled_for, outcome.value, rows)
    return run


#: The unit of a job not split: the whole of it (its run record is notices_send/*).
WHOLE = "*"


def unit_key(spec: JobSpec, unit: str) -> str:
    """The run records' key of one unit of a split job: recommendations_nightly/44."""
    return f"{spec.id}/{unit}"


def error_words(exc: BaseException) -> str:
    """An exception as a run record keeps it: its kind and message, personal data scrubbed."""
    return scrub(f"{type(exc).__name__}: {exc}")[:2000]


def run_unit(
    factory: sessionmaker[Session],
    spec: JobSpec,
    unit: str,
    scheduled_for: datetime,
    holder: str,
    settings: Mapping[str, Any] | None = None,
) -> int | None:
    """Run one unit of a split job for one fire time, exactly once: its work and its run
    record's 成功 commit in one transaction, so a run killed before the commit leaves nothing
    but a record still 运行中 (taken over by the retry), and a retry of a unit already done is
    skipped (None). A failure is recorded with its error and raised again (a queue retries it)."""
    key = unit_key(spec, unit)
    with session_scope(factory) as session:
        run = session.scalar(
            select(JobRun)
            .where(JobRun.job_id == key, JobRun.scheduled_for == scheduled_for)
            .with_for_update()
        )
        if run is not None and run.outcome == JobOutcome.SUCCESS:
            log.info("job %s for %s already done; skipped", key, scheduled_for)
            return None
        if run is None:
            run = JobRun(job_id=key, scheduled_for=scheduled_for, runner=holder)
            session.add(run)
        else:  # an earlier attempt failed or its worker died: this attempt takes it over
            run.runner, run.outcome, run.started_at = holder, JobOutcome.RUNNING, utcnow()
            run.finished_at = run.message = None
        session.flush()
        run_id = run.id
    try:
        with session_scope(factory) as session:
            rows = spec.run(session, scheduled_for, settings, unit)
            session.execute(
                update(JobRun)
                .where(JobRun.id == run_id)
                .values(finished_at=utcnow(), outcome=JobOutcome.SUCCESS, rows=rows)
            )
    except Exception as exc:
        with session_scope(factory) as session:
            session.execute(
                update(JobRun)
                .where(JobRun.id == run_id)
                .values(finished_at=utcnow(), outcome=JobOutcome.FAILED, message=error_words(exc))
            )
        raise
    log.info("job %s for %s: success, %s rows", key, scheduled_for, rows)
    return rows


def run_units(
    factory: sessionmaker[Session],
    spec: JobSpec,
    scheduled_for: datetime,
    holder: str,
    settings: Mapping[str, Any] | None = None,
) -> int:
    """Every unit of a split job in this process, one after another (the embedded default, and
    the reference a queue's run is compared with); the rows they wrote."""
    assert spec.units is not None
    with session_scope(factory) as session:
        units = spec.units(session)
    rows, failed = 0, []
    for unit in units:
        try:
            rows += run_unit(factory, spec, unit, scheduled_for, holder, settings) or 0
        except Exception:  # recorded on its own run; the other units still run
            log.exception("job %s failed", unit_key(spec, unit))
            failed.append(unit)
    if failed:
        raise RuntimeError(f"{len(failed)} 个单元失败：{'、'.join(failed)}（见各单元的运行记录）")
    return rows


def run_scheduler(
    factory: sessionmaker[Session],
    jobs: list[JobSpec],
    stop: threading.Event,
    *,
    holder: str | None = None,
    poll_seconds: float = LEASE_POLL_SECONDS,
    settings: Mapping[str, Any] | None = None,
    enqueue: Enqueue | None = None,
    housekeep: Callable[[], object] | None = None,
) -> None:
    """Run until `stop` is set: jobs fire only while this process holds the lease. With a job
    queue, queued jobs are enqueued (`enqueue`) and the leader runs `housekeep` at every poll
    (the queue's jobs of dead workers are retried)."""
    holder = holder or runner_id()
    scheduler = BackgroundScheduler(
        timezone=TIMEZONE,
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 600},
    )
    for spec in jobs:
        scheduler.add_job(
            execute,
            spec.trigger,
            id=spec.id,
            name=spec.id,
            args=[factory, spec, holder, settings, enqueue],
        )
    scheduler.start(paused=True)
    leader = False
    try:
        while True:
            holds = try_acquire_lease(factory, holder)
            if holds and not leader:
                log.info("scheduler %s holds the lease; running %d jobs", holder, len(jobs))
                scheduler.resume()
            elif leader and not holds:
                log.warning("scheduler %s lost the lease; pausing", holder)
                scheduler.pause()
            leader = holds
            if leader and housekeep is not None:
                try:
                    housekeep()
                except Exception:  # the clock goes on; the next poll tries again
                    log.exception("queue housekeeping failed")
            if stop.wait(poll_seconds):
                break
    finally:
        scheduler.shutdown(wait=True)
        if leader:
            release_lease(factory, holder)
