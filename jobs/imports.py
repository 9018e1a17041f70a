"""Jobs on imports: previews nobody confirmed within the hour are deleted."""

from __future__ import annotations

from matchsvc.imports.pending import purge_expired
from matchsvc.ops.scheduler import JobContext


def purge_pending_imports(job: JobContext) -> int:
    return purge_expired(job.session, job.now)
