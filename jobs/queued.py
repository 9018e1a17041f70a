"""What the jobs of queued requests share (large imports, large exports): one request per unit."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy.orm import Session

from matchsvc.ops.scheduler import JobContext

RunOne = Callable[[Session, str, datetime], int]
Fail = Callable[[Session, str, BaseException], None]


def each_request(
    job: JobContext, units: Callable[[Session], list[str]], run_one: RunOne, fail: Fail
) -> int:
    """The job's unit (one request's id), or every waiting request when run whole, each done
    in a savepoint of the job's transaction: its work commits with the job's record. A fault
    rolls its work back and ends the request as failed (`fail`), so it is told, not retried
    every minute; how many requests ended."""
    ids = [job.unit] if job.unit is not None else units(job.session)
    ended = 0
    for unit in ids:
        try:
            with job.session.begin_nested():
                ended += run_one(job.session, unit, job.now)
        except Exception as err:
            fail(job.session, unit, err)
            ended += 1
    return ended
