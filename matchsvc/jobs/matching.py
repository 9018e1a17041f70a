"""Jobs of the matcher."""

from __future__ import annotations

from ..matching.service import make_policy, store_recommendations
from ..ops.scheduler import JobContext


def recompute_recommendations(job: JobContext) -> int:
    """Every unemployed graduate's top 20, recomputed and stored (what is new since a visit)."""
    policy = make_policy(job.session, job.settings, job.today)
    return store_recommendations(job.session, policy, job.now)
