"""`matchsvc import`: spreadsheets from the command line, with HQ's reach."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..commands import cli_actor, fail, require_schema, transaction
from .engine import run_import
from .reader import FileRefused
from .registry import IMPORTERS, summary


@click.command("import")
@click.argument("kind", type=click.Choice(["graduates", "services", "positions", "fairs"]))
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--dry-run", is_flag=True, help="只检查并报告将要发生的改动，不写入")
def import_command(kind: str, path: str, dry_run: bool) -> None:
    """导入表格（.xlsx 或 .csv）：全部行无误才写入，否则列出每处错误。"""

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


#: What this feature adds to `matchsvc` (registered by the app factory).
COMMANDS: list[click.Command] = [import_command]
