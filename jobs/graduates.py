"""Jobs on graduates' records: retention (MATCHSVC_RETENTION_YEARS; off when unset) and
archives 撤档 more than MATCHSVC_CLOSED_ARCHIVE_YEARS (10) years ago, and the matcher's
impressions older than MATCHSVC_IMPRESSION_YEARS (2)."""

from __future__ import annotations

from matchsvc.graduates.retention import anonymise_closed, anonymise_expired
from matchsvc.ops.scheduler import JobContext
from matchsvc.outcomes import impressions


def anonymise_expired_graduates(job: JobContext) -> int:
    expired = anonymise_expired(job.session, job.settings.get("RETENTION_YEARS"), job.today)
    closed_years = job.settings.get("CLOSED_ARCHIVE_YEARS") or 10
    closed = anonymise_closed(job.session, closed_years, job.today)
    # what the matcher showed is kept for the measurement only as long as MATCHSVC_IMPRESSION_YEARS
    purged = impressions.purge(job.session, job.settings.get("IMPRESSION_YEARS"), job.today)
    return expired + closed + purged
