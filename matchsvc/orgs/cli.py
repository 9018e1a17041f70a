"""`matchsvc orgs`: the union org tree."""

from __future__ import annotations

import click

from ..commands import cli_actor, require_schema, transaction
from .service import add_org


@click.group("orgs")
def orgs_group() -> None:
    """工会组织。"""


@orgs_group.command("add")
@click.argument("code")
@click.argument("name")
@click.option("--parent", "parent_code", required=True, help="上级组织的区划代码")
def orgs_add(code: str, name: str, parent_code: str) -> None:
    """在上级组织下新增组织（通常是县级工会）。"""
    require_schema()
    with transaction() as session:
        org = add_org(session, cli_actor(session), code, name, parent_code)
        click.echo(f"已新增：{org.code} {org.name}（上级 {parent_code}）")


#: What this feature adds to `matchsvc` (registered by the app factory).
COMMANDS: list[click.Command] = [orgs_group]
