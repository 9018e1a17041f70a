"""Jobs on graduates' records: retention (MATCHSVC_RETENTION_YEARS; off when unset) and
archives 撤档 more than MATCHSVC_CLOSED_ARCHIVE_YEARS (10) years ago."""

from __future__ import annotations

from matchsvc.graduates.retention import anonymise_closed, anonymise_expired
from matchsvc.ops.scheduler import JobContext


def anonymise_expired_graduates(job: JobContext) -> int:
    expired = anonymise_expired(job.session, job.settings.get("RETENTION_YEARS"), job.today)
    closed_years = job.settings.get("CLOSED_ARCHIVE_YEARS") or 10
    return expired + anonymise_closed(job.session, closed_years, job.today)
