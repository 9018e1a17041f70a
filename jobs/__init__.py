"""Every scheduled job of matchsvc, declared in one list with fixed ids.

`matchsvc scheduler` runs them (see matchsvc/ops/scheduler.py). Each job is a thin function of its
`JobContext` (session, the instant it runs for, the app's settings, the unit of a split job) over
one service function; it returns how many rows it touched and is safe to run twice. Jobs marked
`queued` run on `matchsvc worker` processes when MATCHSVC_JOB_QUEUE=procrastinate
(matchsvc/ops/queue.py), else in the scheduler process. Each feature's jobs live in
`jobs/<feature>.py`.
"""

from matchsvc.ops.scheduler import JobSpec

from .audit import anchor_audit_head
from .auth import purge_throttles
from .casework import casework_reminders
from .employers import close_expired
from .exports import export_units, purge_exports, run_queued_exports
from .graduates import anonymise_expired_graduates
from .imports import import_units, purge_pending_imports, run_queued_imports
from .matching import (
    placement_units,
    recompute_recommendations,
    recompute_units,
    run_queued_plans,
)
from .notices import send_outbox
from .ops import purge_idle_runs
from .outcomes import replay_units, run_queued_replays
from .stats import snapshot_tables

JOBS: list[JobSpec] = [
    JobSpec(
        id="notices_send",
        title="发送邮件和短信通知",
        func=send_outbox,
        cron={"minute": "*"},
        description="每分钟发送待发的邮件和短信通知（仅限同意接收的用户），失败的稍后重试",
        queued=True,
    ),
    JobSpec(
        id="close_expired_positions",
        title="关闭过期岗位",
        func=close_expired,
        cron={"hour": 0, "minute": 5},
        description="每日关闭已过截止日期的岗位",
    ),
    JobSpec(
        id="stats_nightly_snapshot",
        title="统计表每晚快照",
        func=snapshot_tables,
        cron={"hour": 0, "minute": 30},
        description="每晚为进行中的活动保存各级组织的统计表快照",
        queued=True,
    ),
    JobSpec(
        id="stats_hourly_refresh",
        title="统计表每小时刷新",
        func=snapshot_tables,
        cron={"minute": 10},
        description="活动期间每小时刷新当天的统计表快照",
    ),
    JobSpec(
        id="recommendations_nightly",
        title="重新计算推荐",
        func=recompute_recommendations,
        cron={"hour": 1, "minute": 0},
        description="每晚为所有未就业毕业生重新计算推荐列表（按省分为单元，各单元一条运行记录）",
        queued=True,
        units=recompute_units,
    ),
    JobSpec(
        id="placement_queue",
        title="计算排队的安置方案",
        func=run_queued_plans,
        cron={"minute": "*"},
        description="每分钟计算工作人员排队的大型安置方案（每个方案一条运行记录，进度写在方案记录里；使用任务队列时排队后立即交给 worker）",
        queued=True,
        units=placement_units,
    ),
    JobSpec(
        id="outcomes_replay",
        title="回放历史录用",
        func=run_queued_replays,
        cron={"minute": "*"},
        description="每分钟运行推荐效果页请求的回放：用当前推荐算法在每次录用的前一天重排，得出回放的录用命中率和 MRR（每次回放一条运行记录）；使用任务队列时请求后立即交给 worker",
        queued=True,
        units=replay_units,
    ),
    JobSpec(
        id="casework_reminders",
        title="帮扶工作提醒",
        func=casework_reminders,
        cron={"hour": 7, "minute": 0},
        description="每天提醒用人单位答复超过期限的推荐、提醒建档工会到期的就业回访；每周一提醒一年未核实的档案",
    ),
    JobSpec(
        id="retention_anonymise",
        title="到期个人信息匿名化",
        func=anonymise_expired_graduates,
        cron={"hour": 2, "minute": 0},
        description="超过保存期限的毕业生个人信息匿名化（MATCHSVC_RETENTION_YEARS），撤档满十年的档案匿名化（MATCHSVC_CLOSED_ARCHIVE_YEARS），删除超过保存期限的推荐展示记录（MATCHSVC_IMPRESSION_YEARS）",
    ),
    JobSpec(
        id="imports_purge_pending",
        title="清理导入预览",
        func=purge_pending_imports,
        cron={"minute": "*/15"},
        description="删除一小时内未确认的导入预览（含个人信息的表格不留存），以及结束满 30 天的后台导入结果",
    ),
    JobSpec(
        id="imports_queue",
        title="后台导入大文件",
        func=run_queued_imports,
        cron={"minute": "*"},
        description="每分钟导入工作人员确认的大文件（超过 MATCHSVC_IMPORT_QUEUE_AT 行，默认 10000；每个文件一条运行记录，全部导入或全部不导入）；使用任务队列时确认后立即交给 worker",
        queued=True,
        units=import_units,
    ),
    JobSpec(
        id="exports_queue",
        title="后台生成大名单导出",
        func=run_queued_exports,
        cron={"minute": "*"},
        description="每分钟生成工作人员请求的大名单导出（超过 MATCHSVC_EXPORT_QUEUE_AT 行，默认 20000；每个导出一条运行记录），文件加密保存 24 小时；使用任务队列时请求后立即交给 worker",
        queued=True,
        units=export_units,
    ),
    JobSpec(
        id="exports_purge",
        title="删除过期导出文件",
        func=purge_exports,
        cron={"minute": "*/15"},
        description="删除生成满 24 小时的后台导出文件",
    ),
    JobSpec(
        id="auth_purge_throttles",
        title="清理失败计数",
        func=purge_throttles,
        cron={"hour": 3, "minute": 30},
        description="删除已过期的登录和激活失败计数",
    ),
    JobSpec(
        id="ops_purge_idle_runs",
        title="清理空运行记录",
        func=purge_idle_runs,
        cron={"hour": 3, "minute": 45},
        description="删除 7 天前成功但没有处理任何记录的运行记录（每分钟的任务每次都留一条）；失败和有处理的记录都保留",
    ),
    JobSpec(
        id="audit_anchor",
        title="审计日志核对与锚定",
        func=anchor_audit_head,
        cron={"hour": 4, "minute": 0},
        description="核对审计日志哈希链，并把签名后的链头写到数据库之外（锚点文件和日志）",
    ),
]


def job_spec(job_id: str) -> JobSpec:
    """The job of that id (a KeyError names an id no job has)."""
    for spec in JOBS:
        if spec.id == job_id:
            return spec
    raise KeyError(job_id)
