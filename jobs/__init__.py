"""Every scheduled job of matchsvc, declared in one list with fixed ids.

`matchsvc scheduler` runs them (see matchsvc/scheduler.py). Each job is a small function of
(session, now) that returns how many rows it touched and is safe to run twice. Later features
add their jobs to JOBS.
"""

from matchsvc.scheduler import JobSpec

from .positions import close_expired_positions

JOBS: list[JobSpec] = [
    JobSpec(
        id="close_expired_positions",
        func=close_expired_positions,
        cron={"hour": 0, "minute": 5},
        description="每日关闭已过截止日期的岗位",
    ),
]
