"""`matchsvc bench replay`: each recorded hire replayed on the day before it with the current
matcher (outcomes.replay), its hire@k and MRR printed beside the recorded ones (what was really
shown), and the time it took."""

from __future__ import annotations

import click
from flask import current_app

from ..actors import Actor
from ..commands import require_schema, transaction
from ..models import HQ_CODE
from ..orgs.service import get_org
from ..outcomes import metrics
from ..outcomes.replay import Replay, replay


def run(campaign: int | None, org_code: str | None) -> Replay:
    require_schema()
    with transaction() as session:
        org = get_org(session, org_code or HQ_CODE)
        result = replay(session, Actor.command_line(org), current_app.config, campaign=campaign)
        click.echo(
            f"重放范围：{org.name}" + (f"，{campaign} 年的录用" if campaign else "，全部录用")
        )
        click.echo(
            f"录用（本系统岗位）{result.hires} 人，涉及 {result.days} 天；用时 {result.seconds:.2f} 秒"
        )
        click.echo(
            f"{'':8}" + "".join(f"{'hire@' + str(k):>10}" for k in metrics.KS) + f"{'MRR':>8}"
        )
        for label, m in (("实际展示", result.recorded), ("当前重放", result.replayed)):
            cells = "".join(f"{100 * m.hire_at[k]:>9.1f}%" for k in metrics.KS)
            click.echo(f"{label:6}{cells}{m.mrr:>8.3f}")
        return result
