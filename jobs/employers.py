"""Jobs on employers' positions."""

from __future__ import annotations

from matchsvc.employers.service import close_expired_positions
from matchsvc.ops.scheduler import JobContext


def close_expired(job: JobContext) -> int:
    """Close open positions whose closing date has passed (China's date); safe to run twice."""
    return close_expired_positions(job.session, job.today)
