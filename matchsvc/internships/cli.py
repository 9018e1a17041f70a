"""`matchsvc internship …`: the region's 见习基地 with their flags, a base's monthly claim (and
its 花名册 and 申领表 printed), and HQ's rates, as an officer would script them at each month's
end; no personal number printed."""

from __future__ import annotations

from datetime import date

import click
from sqlalchemy import select

from .. import clock
from ..commands import cli_actor, require_schema, transaction
from ..errors import DomainError
from ..jurisdiction import subtree_ids
from ..models import InternshipBase
from ..orgs.service import get_org
from . import sheets, subsidy


def _month(raw: str | None) -> date:
    if not raw:
        return clock.add_months(clock.today().replace(day=1), -1)
    try:
        year, month = (int(x) for x in raw.split("-"))
        return date(year, month, 1)
    except ValueError:
        raise click.BadParameter("月份请写作 YYYY-MM", param_hint="--month") from None


@click.group("internship")
def internship_group() -> None:
    """就业见习：见习基地、月度补贴申领与补贴标准。"""


@internship_group.command("bases")
@click.option("--org", "org_code", required=True, help="区划代码（含其下级）")
def bases_command(org_code: str) -> None:
    """列出见习基地：认定期、两年内留用率与提示。"""
    require_schema()
    with transaction() as session:
        org = get_org(session, org_code)
        today = clock.today()
        for base in session.scalars(
            select(InternshipBase)
            .where(InternshipBase.org_id.in_(subtree_ids(org.path)))
            .order_by(InternshipBase.id)
        ):
            flags = "；".join(subsidy.flags(session, base, today)) or "—"
            click.echo(
                f"{base.id}\t{base.employer.name}\t{base.approved_from} 至 {base.approved_until}"
                f"\t留用率 {subsidy.retention(session, base.id, today)}\t{flags}"
            )


@internship_group.command("claim")
@click.argument("base_id", type=int)
@click.option("--month", "month", default=None, help="YYYY-MM（默认上个月）")
@click.option("--roster", type=click.Path(dir_okay=False), help="花名册 xlsx 文件")
@click.option("--sheet", type=click.Path(dir_okay=False), help="补贴申领表 xlsx 文件")
def claim_command(base_id: int, month: str | None, roster: str | None, sheet: str | None) -> None:
    """一个见习基地某月的补贴申领：人数、月数、标准与金额。"""
    require_schema()
    with transaction() as session:
        base = session.get(InternshipBase, base_id)
        if base is None:
            raise DomainError(f"没有该见习基地：{base_id}")
        claim = subsidy.claim(session, base, _month(month))
        amount = f"{claim.amount} 元" if claim.amount is not None else "该省尚未设定补贴标准"
        click.echo(
            f"{base.employer.name} {claim.month:%Y-%m}：{len(claim.lines)} 人，"
            f"{claim.months} 个月，留用率 {claim.retention}，{amount}"
        )
        for path, write in ((roster, sheets.roster), (sheet, sheets.claim_sheet)):
            if path:
                with open(path, "wb") as out:
                    out.write(write(session, claim))
                click.echo(f"已写出：{path}")


@internship_group.command("rate")
@click.argument("province_code")
@click.option("--wage", type=int, required=True, help="月最低工资标准（元）")
@click.option("--share", type=int, required=True, help="补贴比例（%）")
@click.option("--higher", type=int, default=None, help="留用率达 50% 时的比例（%）")
@click.option("--source", required=True, help="依据文件")
def rate_command(
    province_code: str, wage: int, share: int, higher: int | None, source: str
) -> None:
    """设定一个省的见习补贴标准（全国总工会）。"""
    require_schema()
    with transaction() as session:
        org = get_org(session, province_code)
        subsidy.set_rate(
            session, cli_actor(session), org.code, minimum_wage=wage, share_pct=share,
            higher_pct=higher, source=source,
        )  # fmt: skip
        click.echo(
            f"已设定 {org.name}：{wage} 元 × {share}%" + (f"（提高 {higher}%）" if higher else "")
        )


COMMANDS = (internship_group,)
