"""Jobs on imports: previews nobody confirmed within the hour are deleted (and the reports of
queued imports after 30 days); large confirmed sheets are imported, one unit per sheet."""

from __future__ import annotations

from sqlalchemy.orm import Session

from matchsvc.imports import queued
from matchsvc.imports.pending import purge_expired
from matchsvc.ops.scheduler import JobContext


def purge_pending_imports(job: JobContext) -> int:
    return purge_expired(job.session, job.now) + queued.purge(job.session, job.now)


def run_queued_imports(job: JobContext) -> int:
    """One queued sheet (the unit: its run's id), or every queued sheet when run whole; the
    import commits with the job's record. A fault ends the run 导入未完成 in a transaction of
    its own (nothing of the sheet was written), so it is told, not retried every minute."""
    units = [job.unit] if job.unit is not None else queued.queued_units(job.session)
    done = 0
    for unit in units:
        try:
            with job.session.begin_nested():
                done += queued.run_one(job.session, unit, job.now)
        except Exception as err:
            queued.fail(job.session, unit, err)
            done += 1
    return done


def import_units(session: Session) -> list[str]:
    """The import queue's units: one per sheet waiting."""
    return queued.queued_units(session)
