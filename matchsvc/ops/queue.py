"""Long work on workers: procrastinate, a maintained job queue over the PostgreSQL the deployment
already has (no Redis or other server).

With `MATCHSVC_JOB_QUEUE=procrastinate`, the scheduler (APScheduler keeps the clock) does not run
the jobs marked `queued` itself: it defers them here, and `matchsvc worker` processes — any number,
on any machines — run them. A job split into units (the nightly recompute: one unit per
province) is deferred as one queue job per unit, each with a lock of its unit (no two run at
once for the same province) and a queueing lock (a unit waits in the queue once). A failure is
retried at most `RETRIES` times; a worker that dies mid-job stops sending heartbeats, and the
scheduler's housekeeping hands its job to another worker. Each unit's run record (job_run) is
written by `scheduler.run_unit` in the transaction of its work, so a unit finishes exactly once
whatever dies when, and 定时任务 shows every failure with its error.

On SQLite (the embedded default) there is no queue: the same jobs run in the scheduler process.
The queue's tables (procrastinate_*) are created by migration 0023 on PostgreSQL only.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import procrastinate
from procrastinate import exceptions as queue_errors
from procrastinate.sql import queries
from sqlalchemy.orm import Session, sessionmaker

from ..db import session_scope
from .scheduler import WHOLE, JobSpec, run_unit, runner_id, unit_key

log = logging.getLogger(__name__)

#: The queue matchsvc's jobs go to.
QUEUE = "matchsvc"
#: A failed unit is tried again at most this many times.
RETRIES = 3
#: A worker's heartbeat, and how long without one before its job is handed to another worker.
HEARTBEAT_SECONDS = 10.0
STALLED_SECONDS = 30.0

#: The one task: a unit of a queued job (registered on each app `make_app` makes).
TASK = "matchsvc:run_unit"


@dataclass
class WorkerState:
    """What a worker process runs jobs with: its sessions, the job list, the app's settings."""

    factory: sessionmaker[Session]
    jobs: Mapping[str, JobSpec]
    settings: Mapping[str, Any]


_state: WorkerState | None = None


def serve_jobs(factory: sessionmaker[Session], jobs: Sequence[JobSpec], settings: Mapping[str, Any]) -> None:  # fmt: skip
    """Tell this process's worker which jobs it runs and with what."""
    global _state
    _state = WorkerState(factory, {j.id: j for j in jobs}, settings)


def run_unit_task(job_id: str, unit: str, scheduled_for: str) -> int:
    """One unit (or the whole: WHOLE) of a queued job, for one fire time, run by a worker."""
    if _state is None:
        raise RuntimeError("worker not configured: serve_jobs was not called")
    spec = _state.jobs[job_id]
    fire = datetime.fromisoformat(scheduled_for)
    return run_unit(_state.factory, spec, unit, fire, runner_id(), _state.settings) or 0


def libpq_url(database_url: str) -> str:
    """The database URL as libpq reads it (SQLAlchemy's driver suffix dropped)."""
    return database_url.replace("postgresql+psycopg://", "postgresql://", 1)


def make_app(database_url: str) -> procrastinate.App:
    """A procrastinate app over the deployment's PostgreSQL, with matchsvc's tasks."""
    if not database_url.startswith("postgresql"):
        raise ValueError("任务队列需要 PostgreSQL；SQLite 部署的任务在定时任务进程内运行")
    app = procrastinate.App(
        connector=procrastinate.PsycopgConnector(
            conninfo=libpq_url(database_url), min_size=1, max_size=4
        )
    )
    # the task registered on this app (not copied from a shared blueprint: procrastinate
    # renames a blueprint's tasks when an app takes them, so a second app would find none)
    app.task(name=TASK, retry=RETRIES, queue=QUEUE)(run_unit_task)
    return app


def enqueue(
    app: procrastinate.App, factory: sessionmaker[Session], spec: JobSpec, fire: datetime
) -> int:
    """Defer a queued job for its fire time: one queue job per unit (or one for the whole);
    returns how many were deferred (a unit already waiting is not deferred twice)."""
    units = [WHOLE]  # a job not split runs as its one unit, recorded like the others
    if spec.units is not None:
        with session_scope(factory) as session:
            units = spec.units(session)
    return defer(app, spec, units, fire)


def defer(app: procrastinate.App, spec: JobSpec, units: Sequence[str], fire: datetime) -> int:
    """Defer the named units of a job for a fire time, each with its lock and queueing lock;
    returns how many were deferred (a unit already waiting is not deferred twice)."""
    task = app.tasks[TASK]
    deferred = 0
    for unit in units:
        key = unit_key(spec, unit)
        try:
            task.configure(lock=key, queueing_lock=key).defer(
                job_id=spec.id, unit=unit, scheduled_for=fire.astimezone(UTC).isoformat()
            )
            deferred += 1
        except queue_errors.AlreadyEnqueued:
            log.info("job %s is already waiting in the queue", key)
    return deferred


def defer_now(database_url: str, spec: JobSpec, units: Sequence[str]) -> int:
    """Hand units to the workers at once, not at the job's next fire time (a placement plan an
    officer just queued): deferred for the fire time that has just passed, as if the scheduler
    had found them then. The scheduler still defers whatever this missed."""
    fire = spec.fire_time(datetime.now(UTC))
    app = make_app(database_url).open()
    try:
        return defer(app, spec, units, fire)
    finally:
        app.close()


def retry_stalled(app: procrastinate.App, seconds: float = STALLED_SECONDS) -> int:
    """Hand the jobs of workers that stopped sending heartbeats (killed, lost) back to the
    queue, within their retries; returns how many."""
    connector = app.connector.get_sync_connector()
    stalled = connector.execute_query_all(
        query=queries["select_stalled_jobs_by_heartbeat"],
        seconds_since_heartbeat=seconds,
        queue=QUEUE,
        task_name=None,
    )
    handed = 0
    for row in stalled:
        if row["attempts"] > RETRIES:
            continue
        app.job_manager.retry_job_by_id(job_id=row["id"], retry_at=datetime.now(UTC))
        log.warning("queue job %s of a stalled worker handed back", row["id"])
        handed += 1
    return handed


def run_worker(
    app: procrastinate.App,
    *,
    concurrency: int = 1,
    heartbeat: float = HEARTBEAT_SECONDS,
    stalled: float = STALLED_SECONDS,
) -> None:
    """Run a worker until SIGTERM or SIGINT (procrastinate's own signal handling)."""
    app.run_worker(
        queues=[QUEUE],
        concurrency=concurrency,
        update_heartbeat_interval=heartbeat,
        stalled_worker_timeout=stalled,
        install_signal_handlers=True,
    )
