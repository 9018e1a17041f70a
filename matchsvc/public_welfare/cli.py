"""`matchsvc welfare …`: 公益性岗位 placements, 年度考核, exits and the subsidy months, as an
officer would script them; no personal number printed."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

import click
from flask import current_app
from sqlalchemy.orm import Session

from .. import clock
from ..commands import cli_actor, require_schema, transaction
from ..errors import DomainError
from ..jurisdiction import subtree_ids
from ..models import Graduate, Position, Tenure, TenureExit, VacancyReport
from ..orgs.service import get_org
from . import service
from .sheet import vacancy_sheet

DAY = click.DateTime(["%Y-%m-%d"])


@click.group("welfare")
def welfare_group() -> None:
    """公益性岗位在岗期间：安置、年度考核、退出与补贴月数。"""


def _get(session: Session, model: Any, ident: int, what: str) -> Any:
    found = session.get(model, ident)
    if found is None:
        raise DomainError(f"没有该{what}：{ident}")
    return found


@welfare_group.command("place")
@click.argument("graduate_id", type=int)
@click.argument("position_id", type=int)
@click.option("--start", "start", type=DAY, required=True, help="上岗日期")
def place_command(graduate_id: int, position_id: int, start: datetime) -> None:
    """安置到公益性岗位；计划期满日按规定计算。"""
    require_schema()
    with transaction() as session:
        graduate = _get(session, Graduate, graduate_id, "毕业生")
        position = _get(session, Position, position_id, "岗位")
        t = service.place(
            session, cli_actor(session), graduate, position, start.date(),
            service.rules_from(current_app.config),
        )  # fmt: skip
        click.echo(f"已安置（在岗期间 {t.id}）：{t.starts_on} 至 {t.planned_end}")


@welfare_group.command("assess")
@click.argument("tenure_id", type=int)
@click.argument("year", type=int)
@click.argument("outcome", type=click.Choice(["pass", "fail"]))
@click.option("--on", "on", type=DAY, help="考核日期（默认今天）")
def assess_command(tenure_id: int, year: int, outcome: str, on: datetime | None) -> None:
    """第 YEAR 年的年度考核：pass 合格，fail 不合格（该年度末退出）。"""
    require_schema()
    with transaction() as session:
        t = _get(session, Tenure, tenure_id, "在岗期间")
        day = on.date() if on else clock.today()
        service.assess(session, cli_actor(session), t, year, outcome == "pass", day)
        click.echo(f"已记录第 {year} 年考核：{'合格' if outcome == 'pass' else '不合格'}")


@welfare_group.command("exit")
@click.argument("tenure_id", type=int)
@click.argument("reason", type=click.Choice([r.value for r in TenureExit]))
@click.option("--on", "on", type=DAY, required=True, help="最后在岗日")
@click.option("--note", default=None)
def exit_command(tenure_id: int, reason: str, on: datetime, note: str | None) -> None:
    """退出公益性岗位（生成空岗报告）。"""
    require_schema()
    with transaction() as session:
        t = _get(session, Tenure, tenure_id, "在岗期间")
        report = service.end_tenure(
            session, cli_actor(session), t, on.date(), TenureExit(reason), note,
            service.rules_from(current_app.config),
        )  # fmt: skip
        click.echo(
            f"已退出：{TenureExit(reason).label}；空岗报告应于 {report.due_on} 前报送，"
            f"推荐人选 {len(report.shortlist)} 名"
        )


@welfare_group.command("months")
@click.option("--org", "org_code", required=True, help="审批单位的区划代码（含其下级）")
@click.option("--until", "until", type=DAY, help="计至该日（默认今天）")
def months_command(org_code: str, until: datetime | None) -> None:
    """岗位补贴、社保补贴的月数：按岗位，并按省合计。"""
    require_schema()
    with transaction() as session:
        org = get_org(session, org_code)
        day = until.date() if until else clock.today()
        lines = service.subsidy_report(session, subtree_ids(org.path), day)
        totals: dict[str, int] = defaultdict(int)
        for line in lines:
            click.echo(
                f"{line.title}（岗位 {line.position_id}）：{line.people} 人，{line.months} 个月"
            )
            totals[line.province] += line.months
        for province, months in sorted(totals.items()):
            click.echo(f"{get_org(session, province).name} 合计：{months} 个月")


@welfare_group.command("report")
@click.argument("report_id", type=int)
@click.option("-o", "output", type=click.Path(dir_okay=False), required=True, help="xlsx 文件")
def report_command(report_id: int, output: str) -> None:
    """把空岗报告写成可打印的表格（一页 A4）。"""
    require_schema()
    with transaction() as session:
        report = _get(session, VacancyReport, report_id, "空岗报告")
        with open(output, "wb") as out:
            out.write(vacancy_sheet(session, report))
        click.echo(f"已写出：{output}")


COMMANDS = (welfare_group,)
