"""`matchsvc archives …`: the archives of an org's subtree by state, a step of one archive, and
the province's 年度复核 sample — as an officer would script them; no personal number printed."""

from __future__ import annotations

from typing import Any

import click
from sqlalchemy import select

from .. import clock
from ..commands import cli_actor, require_schema, transaction
from ..errors import DomainError
from ..jurisdiction import subtree_ids
from ..models import ArchiveReason, ArchiveState, Graduate
from ..orgs.service import get_org
from . import review, service

STATES = [s.value for s in ArchiveState]


@click.group("archives")
def archives_group() -> None:
    """帮扶档案的状态（申请、初审、入户调查、公示、建档、帮扶中、脱困、撤档、注销）与年度复核。"""


@archives_group.command("list")
@click.option("--org", "org_code", required=True, help="组织的区划代码（含其下级）")
@click.option("--state", type=click.Choice(STATES), help="只列该状态（默认只列各状态份数）")
@click.option("--limit", default=200, show_default=True)
def list_command(org_code: str, state: str | None, limit: int) -> None:
    """各状态的档案份数；给出 --state 时列出该状态的档案。"""
    require_schema()
    with transaction() as session:
        org = get_org(session, org_code)
        mine = Graduate.home_org_id.in_(subtree_ids(org.path))
        counts = service.counts_by_state(session, mine)
        click.echo(
            f"{org.name}：" + "，".join(f"{s.label} {counts.get(s, 0)}" for s in ArchiveState)
        )
        if state:
            for g in session.scalars(
                select(Graduate)
                .where(mine, Graduate.archive_state == ArchiveState(state))
                .order_by(Graduate.archive_since, Graduate.id)
                .limit(limit)
            ):
                ends = (
                    f"  公示至 {g.publicity_ends_on}"
                    if g.publicity_ends_on and state == "publicised"
                    else ""
                )
                click.echo(f"{g.archive_since or g.registered_on}  {g.name}（档案 {g.id}）{ends}")


@archives_group.command("step")
@click.argument("graduate_id", type=int)
@click.argument("to", type=click.Choice(STATES))
@click.option("--on", "on", type=click.DateTime(["%Y-%m-%d"]), help="办理日期（默认今天）")
@click.option("--reason", type=click.Choice([r.value for r in ArchiveReason]))
@click.option("--note")
def step_command(graduate_id: int, to: str, on: Any, reason: str | None, note: str | None) -> None:
    """办理一份档案的一步：初审、脱困、撤档、注销或恢复（入户调查和公示请在档案页登记）。"""
    require_schema()
    target = ArchiveState(to)
    if target in (ArchiveState.VISITED, ArchiveState.PUBLICISED, ArchiveState.OPENED):
        raise click.ClickException("入户调查、公示和建档须登记调查记录和公示日期，请在档案页办理")
    with transaction() as session:
        graduate = session.get(Graduate, graduate_id)
        if graduate is None:
            raise click.ClickException(f"没有档案 {graduate_id}")
        day = on.date() if on else clock.today()
        try:
            service.take(
                session,
                cli_actor(session),
                graduate,
                service.Step(target, day, ArchiveReason(reason) if reason else None, note),
            )
        except DomainError as err:
            raise click.ClickException(err.message) from None
        click.echo(
            f"{graduate.name}（档案 {graduate.id}）：{graduate.archive_state.label}，自 {day}"
        )


@archives_group.command("review")
@click.option("--org", "org_code", required=True, help="省级总工会的区划代码")
@click.option("--year", type=int, help="复核年度（默认今年）")
@click.option("--share", default=review.DEFAULT_SHARE, show_default=True, help="抽查比例（%）")
@click.option("--seed", help="随机种子（默认按省份和年度生成）")
def review_command(org_code: str, year: int | None, share: int, seed: str | None) -> None:
    """抽取该省本年度的复核样本（同一种子样本相同）。"""
    require_schema()
    with transaction() as session:
        try:
            drawn = review.draw(
                session,
                cli_actor(session),
                year or clock.today().year,
                org_code=org_code,
                share=share,
                seed=seed,
            )
        except DomainError as err:
            raise click.ClickException(err.message) from None
        click.echo(
            f"{drawn.org.name} {drawn.year} 年度复核：抽取 {len(drawn.items)} 份（{share}%，种子 {drawn.seed}）"
        )


COMMANDS = (archives_group,)
