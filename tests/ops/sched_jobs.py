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
