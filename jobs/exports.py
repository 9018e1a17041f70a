"""Jobs on large exports: built one unit per export; files past their day deleted."""

from __future__ import annotations

from sqlalchemy.orm import Session

from matchsvc.export_runs import service
from matchsvc.ops.scheduler import JobContext

from .queued import each_request


def run_queued_exports(job: JobContext) -> int:
    """One queued export (the unit: its id), or every queued export when run whole; the file
    and the export's audit commit with the job's record."""
    return each_request(job, service.queued_units, service.run_one, service.fail)


def export_units(session: Session) -> list[str]:
    """The export queue's units: one per export waiting."""
    return service.queued_units(session)


def purge_exports(job: JobContext) -> int:
    return service.purge(job.session, job.now)
