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
    """One placement plan an officer queued (the unit: its id), or every queued plan when run
    whole. Each commits its own progress, so the job's session stays unused and holds no lock;
    on the job queue a retry takes over a plan its dead worker left running."""
    bind = job.session.get_bind()
    assert isinstance(bind, Engine)
    take_over = job.settings.get("JOB_QUEUE") == "procrastinate"
    return plans.run_queued(
        bind, job.settings, job.today, job.now, unit=job.unit, take_over=take_over
    )


def placement_units(session: Session) -> list[str]:
    """The placement queue's units: one per plan waiting (runs that died are failed first)."""
    return plans.queued_units(session)
