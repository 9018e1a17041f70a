"""`matchsvc followups due --org CODE`: the follow-ups (回访) due and overdue in an org's subtree,
as an officer would script a day's calls; no personal number is printed."""

from __future__ import annotations

from typing import Any

import click

from .. import clock
from ..commands import cli_actor, require_schema, transaction
from ..orgs.service import get_org
from . import service


@click.group("followups")
def followups_group() -> None:
    """就业回访。"""


@followups_group.command("due")
@click.option("--org", "org_code", required=True, help="组织的区划代码（含其下级）")
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), help="按该日期计算（默认今天）")
@click.option("--limit", default=200, show_default=True, help="最多列出的条数")
def due_command(org_code: str, today: Any, limit: int) -> None:
    """列出该组织及其下级到期和逾期未回访的毕业生。"""
    require_schema()
    on = today.date() if today else clock.today()
    with transaction() as session:
        org = get_org(session, org_code)
        actor = cli_actor(session)
        total = service.due_count(session, actor, on=on, org=org)
        rows = service.due(session, actor, on=on, org=org, limit=limit)
        click.echo(f"{org.name}：截至 {on} 待回访 {total} 人次")
        for follow_up, graduate in rows:
            late = service.overdue_days(follow_up, on)
            when = f"已逾期 {late} 天" if late else "今天到期"
            click.echo(
                f"{follow_up.due_on}  第 {follow_up.months} 个月回访  {graduate.name}"
                f"（档案 {graduate.id}）  {follow_up.hire.workplace or ''}  {when}"
            )


COMMANDS = (followups_group,)
