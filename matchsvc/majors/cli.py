"""`matchsvc majors`: the catalogues and normalisation of majors as written."""

from __future__ import annotations

import json

import click
from sqlalchemy import select

from ..extensions import db
from ..models import MajorCorrection
from .normalize import normalize


@click.group("majors")
def majors_group() -> None:
    """专业目录与专业名称规范化。"""


@majors_group.command("normalize")
@click.argument("texts", nargs=-1, required=True)
@click.option("--level", type=click.Choice(["本科", "专科"]), help="按该层次的专业目录优先匹配")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
def majors_normalize(texts: tuple[str, ...], level: str | None, fmt: str) -> None:
    """把自由填写的专业名称对应到专业目录：代码、名称、专业类、层次和置信度。"""
    corrections: dict[str, str] = {}
    try:
        with db.factory() as session:
            corrections = dict(
                session.execute(select(MajorCorrection.spelling, MajorCorrection.code)).all()
            )
    except Exception:  # no database yet: the catalogues and aliases alone
        corrections = {}
    mappings = [normalize(t, level, corrections) for t in texts]  # type: ignore[arg-type]
    if fmt == "json":
        click.echo(json.dumps([m.as_json() for m in mappings], ensure_ascii=False, indent=2))
        return
    for m in mappings:
        if m.code is None:
            click.echo(f"{m.text}\t（未能对应）\t置信度 {m.confidence:.2f}")
        else:
            flag = "" if not m.needs_review else "\t需人工核对"
            click.echo(
                f"{m.text}\t{m.code} {m.name}\t{m.category}\t{m.level}\t置信度 {m.confidence:.2f}{flag}"
            )


#: What this feature adds to `matchsvc` (registered by the app factory).
COMMANDS: list[click.Command] = [majors_group]
