"""Jobs of the matcher."""

from __future__ import annotations

from sqlalchemy import Engine

from matchsvc.matching import plans
from matchsvc.matching.service import make_policy, store_recommendations
from matchsvc.ops.scheduler import JobContext


def recompute_recommendations(job: JobContext) -> int:
    """Every unemployed graduate's top 20, recomputed and stored (what is new since a visit)."""
    policy = make_policy(job.session, job.settings, job.today)
    return store_recommendations(job.session, policy, job.now)


def run_queued_plans(job: JobContext) -> int:
    """The placement plans officers queued, computed oldest first (each commits its own
    progress, so the job's session stays unused and holds no lock)."""
    bind = job.session.get_bind()
    assert isinstance(bind, Engine)
    return plans.run_queued(bind, job.settings, job.today, job.now)
