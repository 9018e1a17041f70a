"""Jobs on the audit log: the chain verified nightly and its head anchored outside the database."""

from __future__ import annotations

import logging
from pathlib import Path

from matchsvc.audit import verify, write_anchor
from matchsvc.ops.scheduler import JobContext

log = logging.getLogger(__name__)


def anchor_audit_head(job: JobContext) -> int:
    """Verify the chain against the anchors so far; anchor the head if it holds. A broken
    chain fails the job (shown on 定时任务) and adds no anchor over it."""
    anchors = Path(job.settings.get("AUDIT_ANCHOR") or "audit-anchor.log")
    checked, broken = verify(job.session, anchors)
    if broken:
        raise RuntimeError(f"审计日志被改动：{broken[:20]}（共核对 {checked} 条）")
    write_anchor(job.session, anchors)
    return checked
