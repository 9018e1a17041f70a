"""`matchsvc recommend` and `matchsvc place`: the matcher from the command line."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import click

from .. import clock
from ..actors import CLI_LABEL, Actor
from ..commands import cli_actor, policy_for, require_schema, transaction
from ..models import Role
from ..orgs.service import get_org
from ..referrals.service import apply_plan
from .engine.profiles import RECOMMENDATION_KINDS
from .service import placement_plan, plan_labels, recommend_by_id_number


@click.command("recommend")
@click.argument("id_number")
@click.option("--kind", type=click.Choice(RECOMMENDATION_KINDS))
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 200))
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), help="按该日期计算（默认今天）")
def recommend_command(id_number: str, kind: str | None, limit: int, fmt: str, today: Any) -> None:
    """为一名毕业生（按身份证号）推荐岗位、见习、公益性岗位、培训或创业扶持，并说明理由。"""
    require_schema()
    with transaction() as session:
        items = recommend_by_id_number(session, id_number, policy_for(session, today), kind, limit)
    if fmt == "json":
        click.echo(json.dumps([r.as_json() for r in items], ensure_ascii=False, indent=2))
        return
    if not items:
        click.echo("没有可推荐的内容。")
    for n, r in enumerate(items, 1):
        state = f"【{r.state}】" if r.state else ""
        click.echo(
            f"{n:>2}. [{r.kind}] {r.title}{state} — {r.employer}（{r.region}）匹配度 {r.fit}"
        )
        click.echo(f"    {r.reason}")


@click.command("place")
@click.option("--org", "org_code", required=True, help="组织的区划代码")
@click.option("--campaign", "year", type=int, help="活动年份（默认最近一次活动）")
@click.option("--dry-run", is_flag=True, help="只输出方案，不生成推荐记录")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), help="按该日期计算（默认今天）")
def place_command(org_code: str, year: int | None, dry_run: bool, fmt: str, today: Any) -> None:
    """为该组织辖区内未就业的毕业生和辖区内的空缺岗位生成安置方案（延迟接受算法，不超招聘人数）。"""
    require_schema()
    with transaction() as session:
        policy = policy_for(session, today)
        if year is not None:
            policy = dataclasses.replace(policy, campaign_year=year)
        org = get_org(session, org_code)
        plan = placement_plan(session, cli_actor(session), org, policy)
        names, titles = plan_labels(session, plan)
        applied = None
        if not dry_run:
            actor = Actor(role=Role.OFFICER, label=CLI_LABEL, org_id=org.id, org_path=org.path)
            applied = apply_plan(
                session,
                actor,
                [(x.graduate_id, x.position_id) for x in plan.lines],
                policy.today or clock.today(),
            )
    if fmt == "json":
        data = {
            "org": org_code,
            "campaign": policy.campaign_year,
            "lines": [
                {
                    **dataclasses.asdict(x),
                    "name": names.get(x.graduate_id, ""),
                    "title": titles.get(x.position_id, ""),
                }
                for x in plan.lines
            ],
            "unplaced": [
                {**dataclasses.asdict(x), "name": names.get(x.graduate_id, "")}
                for x in plan.unplaced
            ],
            "referrals_created": applied.created if applied else 0,
            "skipped": applied.skipped if applied else [],
        }
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    click.echo(f"安置方案：{len(plan.lines)} 人安置，{len(plan.unplaced)} 人未安置。")
    for x in plan.lines:
        who = f"{names.get(x.graduate_id, '')}（{x.graduate_id}）"
        post = f"{titles.get(x.position_id, '')}（岗位 {x.position_id}）"
        click.echo(f"  {who} → {post}")
        click.echo(f"    {x.reason}")
    for u in plan.unplaced:
        click.echo(f"  {names.get(u.graduate_id, '')}（{u.graduate_id}）未安置：{u.reason}")
    if applied is not None:
        click.echo(f"已生成推荐记录 {applied.created} 条。")
        for s in applied.skipped:
            click.echo(f"  跳过：{s}")
    else:
        click.echo("（试运行，未写入）")


#: What this feature adds to `matchsvc` (registered by the app factory).
COMMANDS: list[click.Command] = [recommend_command, place_command]
