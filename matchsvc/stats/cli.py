"""`matchsvc campaign` and `matchsvc stats`: campaigns and the statistics table."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from ..commands import cli_actor, fail, require_schema, transaction
from ..exports import to_csv
from ..models import HQ_CODE
from ..orgs.service import get_org
from .campaigns import create_campaign, get_campaign
from .compute import compute_table
from .export import notice_rows, to_notice_xlsx
from .reports import report_for, submitted_table


@click.group("campaign")
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


@click.command("stats")
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

    if fmt == "xlsx" and not output:
        fail("xlsx 格式须用 -o 指定输出文件")
    require_schema()
    with transaction() as session:
        campaign, org = get_campaign(session, year), get_org(session, org_code)
        reporter = phone = ""
        if submitted:
            table = submitted_table(session, campaign, org)
            report = report_for(session, campaign, org)  # submitted: it exists
            # 填报人 and 联系电话 as the province submitted them
            reporter, phone = report.reporter or "", report.reporter_phone or ""
        else:
            table = compute_table(session, campaign, org, cutoff.date() if cutoff else None)
    if fmt == "json":
        body = (json.dumps(table, ensure_ascii=False, indent=2) + "\n").encode()
    elif fmt == "csv":
        header, rows = notice_rows(table, reporter, phone)
        body = to_csv(header, rows)
    else:
        body = to_notice_xlsx(table, reporter, phone)
    if output:
        Path(output).write_bytes(body)
        click.echo(f"已写入 {output}")
    else:
        click.echo(body.decode("utf-8-sig"), nl=False)


#: What this feature adds to `matchsvc` (registered by the app factory).
COMMANDS: list[click.Command] = [campaign_group, stats_command]
