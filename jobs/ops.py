"""Jobs on the scheduler's own records."""

from __future__ import annotations

from matchsvc.ops import run_records
from matchsvc.ops.scheduler import JobContext


def purge_idle_runs(job: JobContext) -> int:
    return run_records.purge_idle(job.session, job.now)
