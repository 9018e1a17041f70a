"""Commands of operations: init, scheduler, backup and restore, data keys, the audit chain."""

from __future__ import annotations

import importlib
import logging
import os
import signal
import sys
import threading
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import click
from flask import current_app

from .. import pii
from ..audit import ANCHOR_DISAGREES, HEAD_MOVED, verify, write_anchor
from ..commands import fail, require_schema, transaction
from ..config import normalise_database_url
from ..db import make_engine
from ..errors import DomainError
from ..extensions import db
from ..jobs import JOBS
from ..matching.engine import kernel
from ..migrate import upgrade
from ..orgs.service import seed_orgs
from . import queue
from .backup import backup, fingerprint, restore
from .keys import rotate
from .scheduler import Enqueue, JobSpec, run_scheduler


@click.command("init")
def init_command() -> None:
    """创建或升级数据库结构，并载入参考数据（可重复运行）。"""
    applied = upgrade(db.engine)
    with transaction() as session:
        created = seed_orgs(session)
    click.echo(f"数据库结构：{'已升级到最新版本' if applied else '已是最新版本，未作改动'}")
    click.echo(f"工会组织：{f'新建 {created} 个' if created else '已齐全，未作改动'}")


def load_jobs(spec: str | None) -> list[Any]:
    if spec is None:
        return JOBS
    module, _, attr = spec.partition(":")
    return getattr(importlib.import_module(module), attr or "JOBS")


@click.command("scheduler")
@click.option("--jobs", "jobs_spec", hidden=True, help="module:attr of another job list (tests)")
@click.option("--poll", default=5.0, hidden=True, help="lease poll interval in seconds")
@click.option("--stalled", default=queue.STALLED_SECONDS, hidden=True, help="seconds")
def scheduler_command(jobs_spec: str | None, poll: float, stalled: float) -> None:
    """运行定时任务进程（同一数据库只有一个进程执行任务）。"""

    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    require_schema()
    # the matcher's kernels compiled (or loaded) beside the first jobs, not before them: a job
    # that needs them waits for the compile, the others start on time
    threading.Thread(target=kernel.warm_up, name="numba-warm-up", daemon=True).start()
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    enqueue: Enqueue | None = None
    housekeep: Callable[[], object] | None = None
    if current_app.config["JOB_QUEUE"] == "procrastinate":
        app = queue.make_app(current_app.config["DATABASE_URL"]).open()
        factory = db.factory

        def enqueue(spec: JobSpec, fire: datetime) -> int:
            return queue.enqueue(app, factory, spec, fire)

        def housekeep() -> int:
            return queue.retry_stalled(app, stalled)

    run_scheduler(
        db.factory,
        load_jobs(jobs_spec),
        stop,
        poll_seconds=poll,
        settings=current_app.config,
        enqueue=enqueue,
        housekeep=housekeep,
    )


@click.command("worker")
@click.option("--concurrency", default=1, show_default=True, help="本进程同时运行的任务数")
@click.option("--jobs", "jobs_spec", hidden=True, help="module:attr of another job list (tests)")
@click.option("--heartbeat", default=queue.HEARTBEAT_SECONDS, hidden=True, help="seconds")
@click.option("--stalled", default=queue.STALLED_SECONDS, hidden=True, help="seconds")
def worker_command(
    concurrency: int, jobs_spec: str | None, heartbeat: float, stalled: float
) -> None:
    """运行任务队列的 worker（可在多台机器上运行任意多个；需要 MATCHSVC_JOB_QUEUE=procrastinate）。"""
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    if current_app.config["JOB_QUEUE"] != "procrastinate":
        fail(
            "worker 需要任务队列：请设置 MATCHSVC_JOB_QUEUE=procrastinate（PostgreSQL）。"
            "SQLite 部署不需要 worker，任务在定时任务进程（matchsvc scheduler）内运行。"
        )
    require_schema()
    threading.Thread(target=kernel.warm_up, name="numba-warm-up", daemon=True).start()
    queue.serve_jobs(db.factory, load_jobs(jobs_spec), current_app.config)
    app = queue.make_app(current_app.config["DATABASE_URL"])
    queue.run_worker(app, concurrency=concurrency, heartbeat=heartbeat, stalled=stalled)


@click.command("backup")
@click.argument("target", type=click.Path(dir_okay=False))
def backup_command(target: str) -> None:
    """备份数据库（SQLite 在线备份或 pg_dump），并核对备份与原库逐表一致。"""

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


@click.command("restore")
@click.argument("source", type=click.Path(exists=True, dir_okay=False))
@click.option("--database-url", required=True, help="恢复到的（空）数据库")
def restore_command(source: str, database_url: str) -> None:
    """把备份恢复到一个空数据库。"""

    try:
        restore(Path(source), normalise_database_url(database_url))
    except DomainError as err:
        fail(err.message)
    click.echo(f"已恢复到 {database_url}")


@click.group("keys")
def keys_group() -> None:
    """个人信息加密密钥。"""


@keys_group.command("rotate")
@click.option(
    "--new-key-stdin", is_flag=True, required=True, help="从标准输入读取新密钥（至少16个字符）"
)
def keys_rotate(new_key_stdin: bool) -> None:
    """用新密钥重新加密所有身份证号和手机号（一个事务，失败则不变），并更新实例目录中的密钥文件。"""

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


@click.group("audit")
def audit_group() -> None:
    """操作记录（审计日志）。"""


@audit_group.command("verify")
def audit_verify() -> None:
    """逐条核对审计日志的哈希链和库外锚点：任何一条被修改或删除都会被发现；核对无误后写入新锚点。"""
    require_schema()
    anchors = Path(current_app.config["AUDIT_ANCHOR"])
    with transaction() as session:
        checked, broken = verify(session, anchors)
        if not broken:
            write_anchor(session, anchors)
    if broken:
        where = "、".join(BROKEN_LABELS.get(b, f"#{b}") for b in broken[:20])
        fail(f"审计日志被改动：{where}（共核对 {checked} 条）")
    click.echo(f"审计日志完整：{checked} 条记录，哈希链无断裂，与库外锚点（{anchors}）一致。")


BROKEN_LABELS = {
    HEAD_MOVED: "最新记录被删除",
    ANCHOR_DISAGREES: "与库外锚点不符（记录被删除或锚点被伪造）",
}


#: What this feature adds to `matchsvc` (registered by the app factory).
COMMANDS: list[click.Command] = [
    init_command,
    scheduler_command,
    worker_command,
    backup_command,
    restore_command,
    keys_group,
    audit_group,
]
