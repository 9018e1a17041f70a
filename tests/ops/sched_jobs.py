"""A job list for the two-scheduler test: one job every two seconds with a visible side effect."""

from __future__ import annotations

from matchsvc.jobs.stats import snapshot_tables

from matchsvc.models import AuditEvent
from matchsvc.ops.scheduler import JobContext, JobSpec


def tick(job: JobContext) -> int:
    job.session.add(
        AuditEvent(actor="scheduler-test", action="tick", entity_type="job", details={})
    )
    return 1


JOBS = [JobSpec(id="tick", func=tick, cron={"second": "*/2"}, description="test tick")]

SNAPSHOT_JOBS = [
    JobSpec(
        id="snapshot",
        func=snapshot_tables,
        cron={"second": "*/2"},
        description="test snapshots",
    )
]


def slow_recompute(job: JobContext) -> int:
    """The nightly recompute of one province, slow enough (3 s inside its transaction) that a
    worker can be killed in the middle of it; notes once per unit and fire time that it ran."""
    import time

    from matchsvc.jobs.matching import recompute_recommendations

    rows = recompute_recommendations(job)
    job.session.add(
        AuditEvent(
            actor="queue-test",
            action="unit_done",
            entity_type="job",
            details={"unit": job.unit, "fire": job.now.isoformat()},
        )
    )
    job.session.flush()
    time.sleep(3)
    return rows


def _units(session):  # type: ignore[no-untyped-def]
    from matchsvc.jobs.matching import recompute_units

    return recompute_units(session)


QUEUE_JOBS = [
    JobSpec(
        id="recompute",
        func=slow_recompute,
        cron={"second": "*/30"},
        description="test recompute split by province",
        queued=True,
        units=_units,
    )
]
