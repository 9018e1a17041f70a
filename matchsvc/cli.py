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

from .actors import Actor
from .app import create_app
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
    from .demo.build import build_demo

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
        from matchsvc.jobs import JOBS

        return JOBS
    module, _, attr = spec.partition(":")
    return getattr(importlib.import_module(module), attr or "JOBS")


@main.command("scheduler")
@click.option("--jobs", "jobs_spec", hidden=True, help="module:attr of another job list (tests)")
@click.option("--poll", default=5.0, hidden=True, help="lease poll interval in seconds")
def scheduler_command(jobs_spec: str | None, poll: float) -> None:
    """运行定时任务进程（同一数据库只有一个进程执行任务）。"""
    import logging

    from .ops.scheduler import run_scheduler

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


def _policy(session: Session, today: Any = None) -> Any:
    from datetime import date

    from flask import current_app

    from .matching.service import make_policy

    return make_policy(session, current_app.config, today.date() if today else date.today())


@main.group("majors")
def majors_group() -> None:
    """专业目录与专业名称规范化。"""


@majors_group.command("normalize")
@click.argument("texts", nargs=-1, required=True)
@click.option("--level", type=click.Choice(["本科", "专科"]), help="按该层次的专业目录优先匹配")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
def majors_normalize(texts: tuple[str, ...], level: str | None, fmt: str) -> None:
    """把自由填写的专业名称对应到专业目录：代码、名称、专业类、层次和置信度。"""
    import json

    from .majors.normalize import normalize

    corrections: dict[str, str] = {}
    try:
        from sqlalchemy import select

        from .models import MajorCorrection

        with db.factory() as session:
            corrections = dict(
                session.execute(select(MajorCorrection.spelling, MajorCorrection.code)).all()
            )
    except Exception:  # no database yet: the catalogues and aliases alone
        corrections = {}
    mappings = [normalize(t, level, corrections) for t in texts]  # type: ignore[arg-type]
    if fmt == "json":
        click.echo(json.dumps([m.as_json() for m in mappings], ensure_ascii=False, indent=2))
        return
    for m in mappings:
        if m.code is None:
            click.echo(f"{m.text}\t（未能对应）\t置信度 {m.confidence:.2f}")
        else:
            flag = "" if not m.needs_review else "\t需人工核对"
            click.echo(
                f"{m.text}\t{m.code} {m.name}\t{m.category}\t{m.level}\t置信度 {m.confidence:.2f}{flag}"
            )


@main.command("recommend")
@click.argument("id_number")
@click.option("--kind", type=click.Choice(["job", "internship", "public", "training", "business"]))
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 200))
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), help="按该日期计算（默认今天）")
def recommend_command(id_number: str, kind: str | None, limit: int, fmt: str, today: Any) -> None:
    """为一名毕业生（按身份证号）推荐岗位、见习、公益性岗位、培训或创业扶持，并说明理由。"""
    import json

    from .matching.service import recommend_by_id_number

    require_schema()
    with transaction() as session:
        items = recommend_by_id_number(session, id_number, _policy(session, today), kind, limit)
    if fmt == "json":
        click.echo(json.dumps([r.as_json() for r in items], ensure_ascii=False, indent=2))
        return
    if not items:
        click.echo("没有可推荐的内容。")
    for n, r in enumerate(items, 1):
        click.echo(f"{n:>2}. [{r.kind}] {r.title} — {r.employer}（{r.region}）匹配度 {r.fit}")
        click.echo(f"    {r.reason}")


@main.command("place")
@click.option("--org", "org_code", required=True, help="组织的区划代码")
@click.option("--campaign", "year", type=int, help="活动年份（默认最近一次活动）")
@click.option("--dry-run", is_flag=True, help="只输出方案，不生成推荐记录")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), help="按该日期计算（默认今天）")
def place_command(org_code: str, year: int | None, dry_run: bool, fmt: str, today: Any) -> None:
    """为该组织辖区内未就业的毕业生和辖区内的空缺岗位生成安置方案（延迟接受算法，不超招聘人数）。"""
    import dataclasses
    import json
    from datetime import date

    from .matching.service import apply_plan, placement_plan
    from .orgs.service import get_org

    require_schema()
    with transaction() as session:
        policy = _policy(session, today)
        if year is not None:
            policy = dataclasses.replace(policy, campaign_year=year)
        org = get_org(session, org_code)
        plan = placement_plan(session, cli_actor(session), org, policy)
        applied = None
        if not dry_run:
            actor = Actor(role=Role.OFFICER, label="命令行", org_id=org.id, org_path=org.path)
            applied = apply_plan(
                session,
                actor,
                [(x.graduate_id, x.position_id) for x in plan.lines],
                policy.today or date.today(),
            )
    if fmt == "json":
        data = {
            "org": org_code,
            "campaign": policy.campaign_year,
            "lines": [dataclasses.asdict(x) for x in plan.lines],
            "unplaced": [dataclasses.asdict(x) for x in plan.unplaced],
            "referrals_created": applied.created if applied else 0,
            "skipped": applied.skipped if applied else [],
        }
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    click.echo(f"安置方案：{len(plan.lines)} 人安置，{len(plan.unplaced)} 人未安置。")
    for x in plan.lines:
        click.echo(
            f"  毕业生 {x.graduate_id} → 岗位 {x.position_id}  匹配度 {x.fit}  第{x.choice}志愿"
        )
    for u in plan.unplaced:
        click.echo(f"  毕业生 {u.graduate_id} 未安置：{u.reason}")
    if applied is not None:
        click.echo(f"已生成推荐记录 {applied.created} 条。")
        for s in applied.skipped:
            click.echo(f"  跳过：{s}")
    else:
        click.echo("（试运行，未写入）")


@bench_group.command("match")
@click.option("--graduates", default=500_000, show_default=True)
@click.option("--positions", default=200_000, show_default=True)
@click.option("--province-graduates", default=50_000, show_default=True)
@click.option("--province-positions", default=20_000, show_default=True)
@click.option("--samples", default=2000, show_default=True, help="测单人推荐耗时的毕业生人数")
def bench_match(
    graduates: int, positions: int, province_graduates: int, province_positions: int, samples: int
) -> None:
    """全国规模的推荐、全量重算和安置方案的耗时，与 process.extract(WRatio) 基线比较。"""
    from .bench.match import run

    run(graduates, positions, province_graduates, province_positions, samples)


@main.command("backup")
@click.argument("target", type=click.Path(dir_okay=False))
def backup_command(target: str) -> None:
    """备份数据库（SQLite 在线备份或 pg_dump），并核对备份与原库逐表一致。"""
    from pathlib import Path

    from flask import current_app

    from .db import make_engine
    from .ops.backup import backup, fingerprint

    url = current_app.config["DATABASE_URL"]
    require_schema()

    def table_sums(database_url: str) -> dict[str, tuple[int, str]]:
        engine = make_engine(database_url)
        try:
            return fingerprint(engine)
        finally:
            engine.dispose()

    try:
        backup(url, Path(target))
        source = table_sums(url)
        copy = (
            table_sums(f"sqlite:///{Path(target).resolve()}") if url.startswith("sqlite") else None
        )
    except DomainError as err:
        fail(err.message)
    if copy is not None and copy != source:
        fail("备份与原库不一致")
    rows = sum(n for n, _ in source.values())
    click.echo(
        f"已备份到 {target}：{len(source)} 张表，{rows} 行" + ("，已逐表核对一致" if copy else "")
    )


@main.command("restore")
@click.argument("source", type=click.Path(exists=True, dir_okay=False))
@click.option("--database-url", required=True, help="恢复到的（空）数据库")
def restore_command(source: str, database_url: str) -> None:
    """把备份恢复到一个空数据库。"""
    from pathlib import Path

    from .config import normalise_database_url
    from .ops.backup import restore

    try:
        restore(Path(source), normalise_database_url(database_url))
    except DomainError as err:
        fail(err.message)
    click.echo(f"已恢复到 {database_url}")


@main.group("keys")
def keys_group() -> None:
    """个人信息加密密钥。"""


@keys_group.command("rotate")
@click.option(
    "--new-key-stdin", is_flag=True, required=True, help="从标准输入读取新密钥（至少16个字符）"
)
def keys_rotate(new_key_stdin: bool) -> None:
    """用新密钥重新加密所有身份证号和手机号（一个事务，失败则不变），并更新实例目录中的密钥文件。"""
    import os
    from pathlib import Path

    from flask import current_app

    from . import pii
    from .ops.keys import rotate

    new_secret = sys.stdin.readline().strip()
    try:
        new = pii.Keyring(new_secret)
    except ValueError as err:
        fail(str(err))
    old = pii.keyring()
    require_schema()
    with transaction() as session:
        count = rotate(session, old, new)
    pii.configure(new_secret)
    key_file = Path(current_app.instance_path) / "data_key"
    if not os.environ.get("MATCHSVC_DATA_KEY") and key_file.exists():
        tmp = key_file.with_suffix(".new")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(new_secret)
        tmp.replace(key_file)
        click.echo(f"已用新密钥重新加密 {count} 名毕业生的身份证号和手机号，并写入 {key_file}。")
    else:
        click.echo(
            f"已用新密钥重新加密 {count} 名毕业生的身份证号和手机号。请把 MATCHSVC_DATA_KEY 改为新密钥后重启服务。"
        )


@main.group("audit")
def audit_group() -> None:
    """操作记录（审计日志）。"""


@audit_group.command("verify")
def audit_verify() -> None:
    """逐条核对审计日志的哈希链：任何一条被修改或删除都会被发现。"""
    from .audit import verify

    require_schema()
    with transaction() as session:
        checked, broken = verify(session)
    if broken:
        where = "、".join("最新记录被删除" if b < 0 else f"#{b}" for b in broken[:20])
        fail(f"审计日志被改动：{where}（共核对 {checked} 条）")
    click.echo(f"审计日志完整：{checked} 条记录，哈希链无断裂。")


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
    from .bench.load import run
    from .config import normalise_database_url

    run(seconds, users, normalise_database_url(database_url) if database_url else None, graduates)


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
    import subprocess

    from .bench.restart import ClusterUnavailable, run

    try:
        result = run(seconds, users, down_at, down_for, graduates)
    except ClusterUnavailable as err:
        fail(str(err))
    except subprocess.CalledProcessError as err:
        fail(
            f"私有集群的命令失败：{' '.join(err.cmd)}\n{(err.stderr or b'').decode(errors='replace')}"
        )
    if result["errors_before"] or result["lost_writes"] or result["audit_broken"]:
        fail("未通过：停机前出现错误，或已确认的写入丢失，或审计链断裂")
