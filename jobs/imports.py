"""Jobs on imports: previews nobody confirmed within the hour are deleted (and the reports of
queued imports after 30 days); large confirmed sheets are imported, one unit per sheet."""

from __future__ import annotations

from sqlalchemy.orm import Session

from matchsvc.imports import queued
from matchsvc.imports.pending import purge_expired
from matchsvc.ops.scheduler import JobContext

from .queued import each_request


def purge_pending_imports(job: JobContext) -> int:
    return purge_expired(job.session, job.now) + queued.purge(job.session, job.now)


def run_queued_imports(job: JobContext) -> int:
    """One queued sheet (the unit: its run's id), or every queued sheet when run whole; the
    import commits with the job's record. A fault ends the run 导入未完成 (nothing of the sheet
    was written)."""
    return each_request(job, queued.queued_units, queued.run_one, queued.fail)


def import_units(session: Session) -> list[str]:
    """The import queue's units: one per sheet waiting."""
    return queued.queued_units(session)
