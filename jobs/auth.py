"""Jobs on sign-in: failure counters whose window and pause have run out are removed."""

from __future__ import annotations

from matchsvc.auth import throttle
from matchsvc.ops.scheduler import JobContext


def purge_throttles(job: JobContext) -> int:
    return throttle.purge(job.session, job.now)
