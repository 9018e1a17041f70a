"""Every scheduled job of matchsvc, declared in one list with fixed ids.

`matchsvc scheduler` runs them (see matchsvc/scheduler.py). Each job is a small function of
(session, now) that returns how many rows it touched and is safe to run twice. Later features
add their jobs to JOBS.
"""

from matchsvc.ops.scheduler import JobSpec

from .employers import close_expired_positions
from .graduates import anonymise_expired_graduates
from .matching import recompute_recommendations
from .stats import snapshot_open_campaigns

JOBS: list[JobSpec] = [
    JobSpec(
        id="close_expired_positions",
        func=close_expired_positions,
        cron={"hour": 0, "minute": 5},
        description="每日关闭已过截止日期的岗位",
    ),
    JobSpec(
        id="stats_nightly_snapshot",
        func=snapshot_open_campaigns,
        cron={"hour": 0, "minute": 30},
        description="每晚为进行中的活动保存各级组织的统计表快照",
    ),
    JobSpec(
        id="stats_hourly_refresh",
        func=snapshot_open_campaigns,
        cron={"minute": 10},
        description="活动期间每小时刷新当天的统计表快照",
    ),
    JobSpec(
        id="recommendations_nightly",
        func=recompute_recommendations,
        cron={"hour": 1, "minute": 0},
        description="每晚为所有未就业毕业生重新计算推荐列表",
    ),
    JobSpec(
        id="retention_anonymise",
        func=anonymise_expired_graduates,
        cron={"hour": 2, "minute": 0},
        description="超过保存期限的毕业生个人信息匿名化（MATCHSVC_RETENTION_YEARS）",
    ),
]
