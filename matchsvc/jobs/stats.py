"""Jobs on the statistics table."""

from __future__ import annotations

from ..ops.scheduler import JobContext
from ..stats.snapshots import snapshot_open_campaigns


def snapshot_tables(job: JobContext) -> int:
    """Store (or refresh) today's table of every org for each campaign between start and due."""
    return snapshot_open_campaigns(job.session, job.today)
