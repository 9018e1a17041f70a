"""`matchsvc workstudy report`: the summer's 勤工俭学 report for an org's region, as a script
would take it at the end of the summer."""

from __future__ import annotations

import click

from .. import clock
from ..actors import Actor
from ..commands import require_schema, transaction
from ..orgs.service import get_org
from . import service


@click.group("workstudy")
def work_study_group() -> None:
    """勤工俭学：暑期返乡大学生的勤工俭学情况。"""


@work_study_group.command("report")
@click.option("--org", "org_code", required=True, help="区划代码（含其下级）")
@click.option("--year", type=int, default=None, help="年份（默认今年）")
def report_command(org_code: str, year: int | None) -> None:
    """按单位列出登记在校生、勤工俭学岗位与安排人次（人）。"""
    require_schema()
    with transaction() as session:
        org = get_org(session, org_code)
        lines, total = service.summer_report(
            session, Actor.command_line(org), year or clock.today().year
        )
        click.echo("\t".join(service.HEAD))
        for line in [*lines, total]:
            click.echo("\t".join(str(v) for v in service.as_row(line)))


COMMANDS = (work_study_group,)
