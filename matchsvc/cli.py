"""The `matchsvc` command: init, orgs, users, demo, scheduler, serve (plus Flask's own)."""

from __future__ import annotations

import importlib
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import click
from flask.cli import FlaskGroup
from sqlalchemy.orm import Session

from . import create_app
from .actors import Actor
from .db import session_scope
from .errors import DomainError
from .extensions import db
from .migrate import current_revision, head_revision, upgrade
from .models import HQ_CODE, Role
from .validators import InvalidCreditCode, InvalidIdNumber


@click.group(cls=FlaskGroup, create_app=lambda: create_app(), add_version_option=False)
def main() -> None:
    """阳光就业帮扶服务（matchsvc）的命令行工具。"""


def fail(message: str) -> None:
    click.echo(f"错误：{message}", err=True)
    sys.exit(1)


@contextmanager
def transaction() -> Iterator[Session]:
    """One transaction for a command; a domain error prints and exits 1 with nothing written."""
    try:
        with session_scope(db.factory) as session:
            yield session
    except (DomainError, InvalidIdNumber, InvalidCreditCode) as err:
        fail(err.message)


def require_schema() -> None:
    with db.factory() as session:
        revision = current_revision(session.connection())
    if revision != head_revision():
        fail("数据库尚未初始化或需要升级，请先运行 matchsvc init")


def cli_actor(session: Session) -> Actor:
    from .orgs.service import get_org

    return Actor.command_line(get_org(session, HQ_CODE))


@main.command("init")
def init_command() -> None:
    """创建或升级数据库结构，并载入参考数据（可重复运行）。"""
    from .orgs.service import seed_orgs

    applied = upgrade(db.engine)
    with transaction() as session:
        created = seed_orgs(session)
    click.echo(f"数据库结构：{'已升级到最新版本' if applied else '已是最新版本，未作改动'}")
    click.echo(f"工会组织：{f'新建 {created} 个' if created else '已齐全，未作改动'}")


@main.group("orgs")
def orgs_group() -> None:
    """工会组织。"""


@orgs_group.command("add")
@click.argument("code")
@click.argument("name")
@click.option("--parent", "parent_code", required=True, help="上级组织的区划代码")
def orgs_add(code: str, name: str, parent_code: str) -> None:
    """在上级组织下新增组织（通常是县级工会）。"""
    from .orgs.service import add_org

    require_schema()
    with transaction() as session:
        org = add_org(session, cli_actor(session), code, name, parent_code)
        click.echo(f"已新增：{org.code} {org.name}（上级 {parent_code}）")


@main.group("users")
def users_group() -> None:
    """用户账号。"""


@users_group.command("create")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--username", required=True)
@click.option("--org", "org_code", help="所属工会组织的区划代码（工作人员必填）")
@click.option("--employer", "employer_uscc", help="用人单位的统一社会信用代码")
@click.option("--graduate", "graduate_id", help="毕业生的身份证号")
@click.option("--name", "display_name", help="显示名称")
@click.option("--password-stdin", is_flag=True, help="从标准输入读取密码")
def users_create(
    role: str,
    username: str,
    org_code: str | None,
    employer_uscc: str | None,
    graduate_id: str | None,
    display_name: str | None,
    password_stdin: bool,
) -> None:
    """创建用户。不给 --password-stdin 时生成随机密码并打印一次。"""
    import secrets

    from .auth.service import create_user

    require_schema()
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = secrets.token_urlsafe(12) + "-7"
    with transaction() as session:
        user = create_user(
            session,
            cli_actor(session),
            role=Role(role),
            username=username,
            password=password,
            org_code=org_code,
            employer_uscc=employer_uscc,
            graduate_id_number=graduate_id,
            display_name=display_name,
        )
        click.echo(f"已创建用户 {user.username}（{user.role.label}）")
    if not password_stdin:
        click.echo(f"初始密码：{password}")


@main.command("demo")
@click.option("--seed", default=2012, show_default=True, help="随机种子，相同种子生成相同数据")
@click.option("--graduates", "graduate_count", default=3000, show_default=True)
def demo_command(seed: int, graduate_count: int) -> None:
    """初始化数据库并填入演示数据（已有演示数据时不作改动）。"""
    from .demo import build_demo

    upgrade(db.engine)
    with transaction() as session:
        logins = build_demo(session, seed=seed, graduate_count=graduate_count)
    if logins is None:
        click.echo("数据库中已有演示数据，未作改动。")
        return
    click.echo("演示数据已生成。登录地址：http://127.0.0.1:5000/login")
    for role, username, password, note in logins:
        click.echo(f"  {role:<8} 用户名 {username:<22} 密码 {password}  {note}")


@main.command("import")
@click.argument("kind", type=click.Choice(["graduates", "services", "positions", "fairs"]))
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--dry-run", is_flag=True, help="只检查并报告将要发生的改动，不写入")
def import_command(kind: str, path: str, dry_run: bool) -> None:
    """导入表格（.xlsx 或 .csv）：全部行无误才写入，否则列出每处错误。"""
    from pathlib import Path

    from .imports.engine import run_import
    from .imports.reader import FileRefused
    from .imports.registry import IMPORTERS, summary

    require_schema()
    data = Path(path).read_bytes()
    with transaction() as session:
        try:
            report = run_import(
                session, cli_actor(session), IMPORTERS[kind], data, Path(path).name, dry_run=dry_run
            )
        except FileRefused as err:
            fail(f"{Path(path).name}：{err.message}")
            return
        for problem in report.errors:
            click.echo(f"错误：{problem}", err=True)
        for problem in report.warnings:
            click.echo(f"提示：{problem}", err=True)
        click.echo(
            summary(report) + ("（试运行，未写入）" if dry_run and not report.error_count else "")
        )
    if report.error_count:
        sys.exit(1)


@main.group("campaign")
def campaign_group() -> None:
    """阳光就业行动的年度活动。"""


@campaign_group.command("create")
@click.argument("year", type=click.IntRange(2000, 2100))
@click.option("--start", type=click.DateTime(["%Y-%m-%d"]), help="开始日期（默认 YEAR-07-01）")
@click.option("--end", type=click.DateTime(["%Y-%m-%d"]), help="结束日期（默认 YEAR-08-31）")
@click.option("--cutoff", type=click.DateTime(["%Y-%m-%d"]), help="统计截止日期（默认 YEAR-08-31）")
@click.option("--due", type=click.DateTime(["%Y-%m-%d"]), help="上报截止日期（默认 YEAR-09-10）")
def campaign_create(year: int, start: Any, end: Any, cutoff: Any, due: Any) -> None:
    """创建某年的活动；已存在时不作改动。"""
    from .stats.campaigns import create_campaign

    require_schema()
    day = lambda v: v.date() if v else None  # noqa: E731
    with transaction() as session:
        campaign = create_campaign(
            session,
            cli_actor(session),
            year,
            starts_on=day(start),
            ends_on=day(end),
            cutoff_on=day(cutoff),
            report_due_on=day(due),
        )
        if campaign is None:
            click.echo(f"{year} 年的活动已存在，未作改动。")
        else:
            click.echo(
                f"已创建 {year} 年活动：{campaign.starts_on} 至 {campaign.ends_on}，"
                f"统计截止 {campaign.cutoff_on}，上报截止 {campaign.report_due_on}"
            )


@main.command("stats")
@click.option("--campaign", "year", type=int, required=True, help="活动年份")
@click.option("--org", "org_code", default=HQ_CODE, show_default=True, help="组织的区划代码")
@click.option(
    "--cutoff", type=click.DateTime(["%Y-%m-%d"]), help="统计截止日期（默认为活动的截止日期）"
)
@click.option("--submitted", is_flag=True, help="输出该省已上报（冻结）的统计表")
@click.option(
    "--format", "fmt", type=click.Choice(["json", "csv", "xlsx"]), default="json", show_default=True
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    help="输出文件（默认标准输出；xlsx 必须指定）",
)
def stats_command(
    year: int, org_code: str, cutoff: Any, submitted: bool, fmt: str, output: str | None
) -> None:
    """计算统计表第06–16项（该组织及其下级），按截止日期的状态。"""
    import json

    from .exports import to_csv
    from .orgs.service import get_org
    from .stats.campaigns import get_campaign
    from .stats.compute import compute_table
    from .stats.export import notice_rows, to_notice_xlsx
    from .stats.reports import submitted_table

    if fmt == "xlsx" and not output:
        fail("xlsx 格式须用 -o 指定输出文件")
    require_schema()
    with transaction() as session:
        campaign, org = get_campaign(session, year), get_org(session, org_code)
        if submitted:
            table = submitted_table(session, campaign, org)
        else:
            table = compute_table(session, campaign, org, cutoff.date() if cutoff else None)
    if fmt == "json":
        body = (json.dumps(table, ensure_ascii=False, indent=2) + "\n").encode()
    elif fmt == "csv":
        header, rows = notice_rows(table)
        body = to_csv(header, rows)
    else:
        body = to_notice_xlsx(table)
    if output:
        from pathlib import Path

        Path(output).write_bytes(body)
        click.echo(f"已写入 {output}")
    else:
        click.echo(body.decode("utf-8-sig"), nl=False)


@main.group("bench")
def bench_group() -> None:
    """性能基准（不在默认测试中运行）。"""


@bench_group.command("import")
@click.option("--rows", default=50_000, show_default=True)
@click.option("--database-url", default=None, help="默认：临时 SQLite 文件")
def bench_import(rows: int, database_url: str | None) -> None:
    """生成并导入毕业生表格，测速度与内存；并测 10 万人时列表页的响应时间。"""
    from .bench.imports import run
    from .config import normalise_database_url

    run(rows, normalise_database_url(database_url) if database_url else None)


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
    from .bench.stats import run
    from .config import normalise_database_url

    run(
        graduates,
        services,
        positions,
        normalise_database_url(database_url) if database_url else None,
        baseline_orgs,
    )


def load_jobs(spec: str | None) -> list[Any]:
    if spec is None:
        from jobs import JOBS

        return JOBS
    module, _, attr = spec.partition(":")
    return getattr(importlib.import_module(module), attr or "JOBS")


@main.command("scheduler")
@click.option("--jobs", "jobs_spec", hidden=True, help="module:attr of another job list (tests)")
@click.option("--poll", default=5.0, hidden=True, help="lease poll interval in seconds")
def scheduler_command(jobs_spec: str | None, poll: float) -> None:
    """运行定时任务进程（同一数据库只有一个进程执行任务）。"""
    import logging

    from .scheduler import run_scheduler

    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    require_schema()
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    run_scheduler(db.factory, load_jobs(jobs_spec), stop, poll_seconds=poll)


@main.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--workers", default=2, show_default=True, type=int)
@click.option("--no-scheduler", is_flag=True, help="不启动定时任务进程")
def serve_command(host: str, port: int, workers: int, no_scheduler: bool) -> None:
    """用 gunicorn 运行网站，并在旁边启动定时任务进程。"""
    from .serve import serve

    require_schema()
    serve(host=host, port=port, workers=workers, scheduler=not no_scheduler)
