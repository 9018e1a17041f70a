"""Jobs on the statistics table."""

from __future__ import annotations

from matchsvc.ops.scheduler import JobContext
from matchsvc.stats.snapshots import snapshot_open_campaigns


def snapshot_tables(job: JobContext) -> int:
    """Store (or refresh) today's table of every org for each campaign between start and due."""
    return snapshot_open_campaigns(job.session, job.today)
