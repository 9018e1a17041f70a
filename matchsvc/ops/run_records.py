"""Keeping 定时任务's run records readable: the every-minute jobs write a record each minute
whether or not they found work (the record is what makes a fire time run once), so the records
of runs that found nothing are deleted after `IDLE_KEPT`; every other record is kept."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, func
from sqlalchemy.orm import Session

from ..models import JobOutcome, JobRun

IDLE_KEPT = timedelta(days=7)


def purge_idle(session: Session, now: datetime) -> int:
    """Delete the successful runs that touched no row, older than `IDLE_KEPT`; how many."""
    result = session.execute(
        delete(JobRun).where(
            JobRun.outcome == JobOutcome.SUCCESS,
            func.coalesce(JobRun.rows, 0) == 0,
            JobRun.started_at < now - IDLE_KEPT,
        )
    )
    return result.rowcount or 0  # type: ignore[attr-defined]
