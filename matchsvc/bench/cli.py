"""`matchsvc bench …`: the benchmarks (outside the test run)."""

from __future__ import annotations

import subprocess

import click
from flask.cli import with_appcontext

from ..commands import fail
from ..config import normalise_database_url
from . import e2e, imports, impressions, load, match, replay, restart, stats, worklist


@click.group("bench")
def bench_group() -> None:
    """性能基准（不在默认测试中运行）。"""


@bench_group.command("import")
@click.option("--rows", default=50_000, show_default=True)
@click.option("--database-url", default=None, help="默认：临时 SQLite 文件")
def bench_import(rows: int, database_url: str | None) -> None:
    """生成并导入毕业生表格，测速度与内存；并测 10 万人时列表页的响应时间。"""
    imports.run(rows, normalise_database_url(database_url) if database_url else None)


@bench_group.command("stats")
@click.option("--graduates", default=500_000, show_default=True)
@click.option("--services", default=2_000_000, show_default=True)
@click.option("--positions", default=100_000, show_default=True)
@click.option(
    "--baseline-orgs", default=5, show_default=True, help="基线实测的组织数，再按比例推算"
)
@click.option("--database-url", default=None, help="默认：临时 SQLite 文件")
def bench_stats(
    graduates: int, services: int, positions: int, baseline_orgs: int, database_url: str | None
) -> None:
    """生成全国规模数据，测一次计算所有省、市统计表的时间，并与逐个组织计数的基线比较。"""
    stats.run(
        graduates,
        services,
        positions,
        normalise_database_url(database_url) if database_url else None,
        baseline_orgs,
    )


@bench_group.command("worklist")
@click.option("--graduates", default=50_000, show_default=True, help="一个省的档案数")
@click.option("--repeat", default=30, show_default=True, help="每种页面重复测量的次数")
@click.option("--database-url", default=None, help="默认：临时 SQLite 文件")
def bench_worklist(graduates: int, repeat: int, database_url: str | None) -> None:
    """一个省 5 万份档案时“今日待办”的响应时间（p50/p95），与逐份档案计数的基线比较。"""
    worklist.run(graduates, normalise_database_url(database_url) if database_url else None, repeat)


@bench_group.command("impressions")
@click.option("--graduates", default=50_000, show_default=True, help="一个省的毕业生人数")
@click.option("--database-url", default=None, help="默认：临时 SQLite 文件；目标按 PostgreSQL 计")
def bench_impressions(graduates: int, database_url: str | None) -> None:
    """一个省一天的推荐展示记录占多少空间，与每个条目一行的基线比较（目标：PostgreSQL 上 < 100 MB）。"""
    impressions.run(graduates, normalise_database_url(database_url) if database_url else None)


@bench_group.command("replay")
@click.option("--campaign", type=int, default=None, help="只重放这一年的录用")
@click.option(
    "--org", "org_code", default=None, help="只重放该组织（含下级）建档的毕业生；默认全国"
)
@click.option(
    "--graduates", type=int, default=None, help="不用本实例数据，生成一个有这么多毕业生的省再重放"
)
@click.option("--database-url", default=None, help="与 --graduates 同用；默认：临时 SQLite 文件")
@with_appcontext
def bench_replay(
    campaign: int | None, org_code: str | None, graduates: int | None, database_url: str | None
) -> None:
    """按每次录用前一天的岗位和毕业生，用当前匹配器重放推荐；与实际展示的 hire@k、MRR 并列。"""
    if graduates:
        replay.run_synthetic(
            graduates, normalise_database_url(database_url) if database_url else None
        )
    else:
        replay.run(campaign, org_code)


@bench_group.command("match")
@click.option("--graduates", default=500_000, show_default=True)
@click.option("--positions", default=200_000, show_default=True)
@click.option("--province-graduates", default=50_000, show_default=True)
@click.option("--province-positions", default=20_000, show_default=True)
@click.option("--samples", default=2000, show_default=True, help="测单人推荐耗时的毕业生人数")
@click.option(
    "--numpy-sample",
    default=10_000,
    show_default=True,
    help="numpy 路径的全量重算和安置方案按多少人实测后按人数推算（0：全部实测）",
)
def bench_match(
    graduates: int,
    positions: int,
    province_graduates: int,
    province_positions: int,
    samples: int,
    numpy_sample: int,
) -> None:
    """全国规模的推荐、全量重算和安置方案：编译路径与 numpy 路径同场比较，并与 process.extract 基线比较。"""
    match.run(
        graduates,
        positions,
        province_graduates,
        province_positions,
        samples,
        numpy_sample=numpy_sample,
    )


@bench_group.command("load")
@click.option("--seconds", default=60, show_default=True)
@click.option(
    "--users", default=10, show_default=True, help="并发用户数（工作人员、毕业生、用人单位混合）"
)
@click.option("--graduates", default=2000, show_default=True)
@click.option(
    "--database-url", default=None, help="默认：临时 SQLite 文件；生产配置请用 PostgreSQL"
)
def bench_load(seconds: int, users: int, graduates: int, database_url: str | None) -> None:
    """生产配置（gunicorn 2 个进程）下的混合负载：每个接口的请求数、p50/p95/p99 和错误数。"""
    load.run(
        seconds, users, normalise_database_url(database_url) if database_url else None, graduates
    )


@bench_group.command("restart")
@click.option("--seconds", default=60.0, show_default=True, help="负载持续时间")
@click.option("--users", default=10, show_default=True)
@click.option("--down-at", default=20.0, show_default=True, help="第几秒让数据库崩溃停机")
@click.option("--down-for", default=5.0, show_default=True, help="停机几秒后重新启动")
@click.option("--graduates", default=2000, show_default=True)
def bench_restart(
    seconds: float, users: int, down_at: float, down_for: float, graduates: int
) -> None:
    """在私有 PostgreSQL 集群上，负载中让数据库崩溃并重启：错误只在停机期间，报告恢复时间，核对写入无丢失。"""

    try:
        result = restart.run(seconds, users, down_at, down_for, graduates)
    except restart.ClusterUnavailable as err:
        fail(str(err))
    except subprocess.CalledProcessError as err:
        fail(
            f"私有集群的命令失败：{' '.join(err.cmd)}\n{(err.stderr or b'').decode(errors='replace')}"
        )
    if result["errors_before"] or result["lost_writes"] or result["audit_broken"]:
        fail("未通过：停机前出现错误，或已确认的写入丢失，或审计链断裂")


@bench_group.command("e2e")
@click.option("--graduates", default=500_000, show_default=True)
@click.option("--positions", default=200_000, show_default=True)
@click.option(
    "--small",
    default=0.2,
    show_default=True,
    help="先在这一比例的规模上测一遍，算增长指数（0：不测）",
)
@click.option(
    "--database-url",
    required=True,
    help="PostgreSQL 服务器（其上新建并删除 matchsvc_bench_e2e_<人数> 库）",
)
@click.option("--keep", is_flag=True, help="测完保留生成的数据库")
@with_appcontext
def bench_e2e(graduates: int, positions: int, small: float, database_url: str, keep: bool) -> None:
    """端到端：数据库中全国规模的每晚重算（两个 worker）、serve 启动、推荐页冷/热请求、修改岗位后的请求、省级安置方案。"""
    e2e.run(normalise_database_url(database_url), graduates, positions, small, keep)


#: What this feature adds to `matchsvc` (registered by the app factory).
COMMANDS: list[click.Command] = [bench_group]
