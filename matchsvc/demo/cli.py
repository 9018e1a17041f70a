"""`matchsvc demo`: the demo data."""

from __future__ import annotations

import click

from ..commands import transaction
from ..extensions import db
from ..migrate import upgrade
from .build import build_demo


@click.command("demo")
@click.option("--seed", default=2012, show_default=True, help="随机种子，相同种子生成相同数据")
@click.option("--graduates", "graduate_count", default=3000, show_default=True)
def demo_command(seed: int, graduate_count: int) -> None:
    """初始化数据库并填入演示数据（已有演示数据时不作改动）。"""
    upgrade(db.engine)
    with transaction() as session:
        logins = build_demo(session, seed=seed, graduate_count=graduate_count)
    if logins is None:
        click.echo("数据库中已有演示数据，未作改动。")
        return
    click.echo(
        "演示数据已生成。运行 matchsvc serve 后登录：http://127.0.0.1:5000/login"
        "（serve 的默认端口 5000；用 --port P 启动时，把地址里的 5000 换成 P）"
    )
    for role, username, password, note in logins:
        click.echo(f"  {role:<8} 用户名 {username:<22} 密码 {password}  {note}")


#: What this feature adds to `matchsvc` (registered by the app factory).
COMMANDS: list[click.Command] = [demo_command]
