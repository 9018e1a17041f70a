"""Jobs of the matcher."""

from __future__ import annotations

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from matchsvc.matching import plans
from matchsvc.matching.service import make_policy
from matchsvc.matching.stored import store_recommendations, units
from matchsvc.ops.scheduler import JobContext


def recompute_recommendations(job: JobContext) -> int:
    """The top 20 of every graduate looking for work, recomputed and stored (what is new since a
    visit) — of one province when the job runs split into units (the queue's workers do one
    province each; the embedded default runs them one after another)."""
    policy = make_policy(job.session, job.settings, job.today)
    return store_recommendations(job.session, policy, job.now, job.unit)


def recompute_units(session: Session) -> list[str]:
    """The recompute's units: one per province graduates are homed in."""
    return units(session)


def run_queued_plans(job: JobContext) -> int:
    """The placement plans officers queued, computed oldest first (each commits its own
    progress, so the job's session stays unused and holds no lock)."""
    bind = job.session.get_bind()
    assert isinstance(bind, Engine)
    return plans.run_queued(bind, job.settings, job.today, job.now)
