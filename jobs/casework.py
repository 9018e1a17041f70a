"""The nightly casework reminders: employers of referrals past the answer deadline (待反馈), home
orgs of follow-ups that fell due, and — on Mondays — of archives not verified for a year. Each
item is told once (its marker is set), so a second run tells nobody again; the archives weekly."""

from __future__ import annotations

from matchsvc.followups.service import remind_due
from matchsvc.ops.scheduler import JobContext
from matchsvc.referrals.deadlines import notify_overdue
from matchsvc.worklist.service import remind_unverified


def casework_reminders(job: JobContext) -> int:
    return (
        notify_overdue(job.session, job.today)
        + remind_due(job.session, job.today)
        + remind_unverified(job.session, job.today)
    )
