"""Jobs on graduates' records: retention (MATCHSVC_RETENTION_YEARS; off when unset)."""

from __future__ import annotations

from matchsvc.graduates.retention import anonymise_expired
from matchsvc.ops.scheduler import JobContext


def anonymise_expired_graduates(job: JobContext) -> int:
    return anonymise_expired(job.session, job.settings.get("RETENTION_YEARS"), job.today)
