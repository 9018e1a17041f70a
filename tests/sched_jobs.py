"""A job list for the two-scheduler test: one job every two seconds with a visible side effect."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from matchsvc.jobs.stats import snapshot_open_campaigns
from matchsvc.models import AuditEvent
from matchsvc.ops.scheduler import JobSpec


def tick(session: Session, now: datetime) -> int:
    session.add(AuditEvent(actor="scheduler-test", action="tick", entity_type="job", details={}))
    return 1


JOBS = [JobSpec(id="tick", func=tick, cron={"second": "*/2"}, description="test tick")]

SNAPSHOT_JOBS = [
    JobSpec(
        id="snapshot",
        func=snapshot_open_campaigns,
        cron={"second": "*/2"},
        description="test snapshots",
    )
]
