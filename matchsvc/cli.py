"""The `matchsvc` command. Each feature brings its own commands (`<feature>/cli.py`, registered by
the app factory); `serve` and the benchmarks start the whole service and live here, above it."""

from __future__ import annotations

import click
from flask.cli import FlaskGroup

from .app import create_app
from .bench import cli as bench_cli
from .commands import require_schema
from .serve import serve


@click.group(cls=FlaskGroup, create_app=lambda: create_app(), add_version_option=False)
def main() -> None:
    """阳光就业帮扶服务（matchsvc）的命令行工具。"""


@main.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--workers", default=2, show_default=True, type=int)
@click.option("--no-scheduler", is_flag=True, help="不启动定时任务进程")
def serve_command(host: str, port: int, workers: int, no_scheduler: bool) -> None:
    """用 gunicorn 运行网站，并在旁边启动定时任务进程。"""
    require_schema()
    serve(host=host, port=port, workers=workers, scheduler=not no_scheduler)


# The benchmarks start the app themselves, so they hang here, above it, beside `serve`.
for _command in bench_cli.COMMANDS:
    main.add_command(_command)
