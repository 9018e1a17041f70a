"""`matchsvc bench replay`: each recorded hire replayed on the day before it with the current
matcher (outcomes.replay), its hire@k and MRR printed beside the recorded ones (what was really
shown), and the time it took."""

from __future__ import annotations

import time

import click
from flask import current_app
from sqlalchemy import text

from ..actors import Actor
from ..commands import require_schema, transaction
from ..models import HQ_CODE
from ..orgs.service import get_org, seed_orgs
from ..outcomes import metrics
from ..outcomes.replay import Replay, replay
from . import market
from .stats import prepared


def run_synthetic(graduates: int, url: str | None) -> Replay:
    """The replay over a generated province (bench/market.py) in its own database."""
    engine, factory = prepared(url, "replay")
    started = time.perf_counter()
    with factory() as session:
        seed_orgs(session)
        hires = market.build(session, graduates)
        session.commit()
    click.echo(
        f"生成数据：{graduates} 名毕业生，{hires} 次录用，用时 {time.perf_counter() - started:.0f} 秒"
    )
    with factory() as session:
        if engine.dialect.name == "postgresql":
            session.execute(text("ANALYZE"))
        hq = Actor.command_line(get_org(session, HQ_CODE))
        result = replay(session, hq, {})
        _print(result)
    engine.dispose()
    return result


def _print(result: Replay) -> None:
    click.echo(
        f"录用（本系统岗位）{result.hires} 人，涉及 {result.days} 天；重放用时 {result.seconds:.2f} 秒"
    )
    click.echo(f"{'':8}" + "".join(f"{'hire@' + str(k):>10}" for k in metrics.KS) + f"{'MRR':>8}")
    for label, m in (("实际展示", result.recorded), ("当前重放", result.replayed)):
        cells = "".join(f"{100 * m.hire_at[k]:>9.1f}%" for k in metrics.KS)
        click.echo(f"{label:6}{cells}{m.mrr:>8.3f}")


def run(campaign: int | None, org_code: str | None) -> Replay:
    require_schema()
    with transaction() as session:
        org = get_org(session, org_code or HQ_CODE)
        result = replay(session, Actor.command_line(org), current_app.config, campaign=campaign)
        click.echo(
            f"重放范围：{org.name}" + (f"，{campaign} 年的录用" if campaign else "，全部录用")
        )
        _print(result)
        return result
