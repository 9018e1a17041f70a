"""`matchsvc users`: accounts."""

from __future__ import annotations

import secrets
import sys

import click

from ..commands import cli_actor, require_schema, transaction
from ..models import Role
from .service import create_user


@click.group("users")
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


#: What this feature adds to `matchsvc` (registered by the app factory).
COMMANDS: list[click.Command] = [users_group]
