"""Jobs on notices."""

from __future__ import annotations

from matchsvc.notices.senders import Senders
from matchsvc.notices.service import send_due
from matchsvc.ops.scheduler import JobContext


def send_outbox(job: JobContext) -> int:
    """Send the e-mail and SMS notices that are due; a failed one is tried again later."""
    return send_due(job.session, Senders(job.settings), job.now)
