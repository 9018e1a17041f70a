"""Jobs of 推荐效果: the replay of recorded hires officers asked for, one unit per replay."""

from __future__ import annotations

from functools import partial

from sqlalchemy.orm import Session

from matchsvc.ops.scheduler import JobContext
from matchsvc.outcomes import replay_runs

from .queued import each_request


def run_queued_replays(job: JobContext) -> int:
    run_one = partial(replay_runs.run_one, settings=job.settings)
    return each_request(job, replay_runs.queued_units, run_one, replay_runs.fail)


def replay_units(session: Session) -> list[str]:
    """The replay queue's units: one per replay waiting."""
    return replay_runs.queued_units(session)
