"""Work a page queued (a placement plan, a large import or export, a replay), handed to the job
queue's workers as soon as the request has committed its row — not at the job's next minute.
Without a queue (the embedded default) the scheduler process finds the row at that minute."""

from __future__ import annotations

from functools import partial

from flask import current_app

from ..jobs import job_spec
from ..ops import queue
from .later import later


def defer_when_committed(job_id: str, unit: int | str) -> None:
    """Defer one unit of a queued job once this response is sent (its transaction committed);
    a failure there is logged, and the scheduler's next minute defers the unit instead."""
    if current_app.config["JOB_QUEUE"] != "procrastinate":
        return
    later(partial(_defer, current_app.config["DATABASE_URL"], job_id, str(unit)))


def _defer(database_url: str, job_id: str, unit: str, _session: object) -> None:
    queue.defer_now(database_url, job_spec(job_id), [unit])
