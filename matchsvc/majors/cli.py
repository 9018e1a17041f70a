"""`matchsvc majors`: the catalogues and normalisation of majors as written."""

from __future__ import annotations

import json
from pathlib import Path

import click
from sqlalchemy import select

from ..commands import fail
from ..extensions import db
from ..models import MajorCorrection
from .evaluate import LabelsInvalid, evaluate, read_labels
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
        if m.name is None:
            click.echo(f"{m.text}\t（未能对应）\t置信度 {m.confidence:.2f}")
        else:
            flag = "" if not m.needs_review else "\t需人工核对"
            click.echo(
                f"{m.text}\t{m.code or '（无代码）'} {m.name}\t{m.category}\t{m.level}"
                f"\t置信度 {m.confidence:.2f}{flag}"
            )


@majors_group.command("check")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--show-misses", is_flag=True, help="列出每个未答对的写法")
def majors_check(path: str, show_misses: bool) -> None:
    """用标注好的 CSV（text, expected, group, level, source）检验专业名称规范化，按组输出准确率。"""
    try:
        rows = read_labels(Path(path).read_bytes())
    except (LabelsInvalid, UnicodeDecodeError) as err:
        fail(f"{Path(path).name}：{err}")
    for result in evaluate(rows):
        name = "合计" if result.group == "all" else result.group
        click.echo(
            f"{name}\t{result.right}/{result.total}\t{100 * result.accuracy:.1f}%"
            f"\t错误且未标记核对 {result.wrong_accepted}"
        )
        if show_misses and result.group != "all":
            for text, expected, got, review in result.misses:
                mark = "需核对" if review else "已自动采用"
                click.echo(f"    {text} → {got or '（未能对应）'}（应为 {expected}，{mark}）")


#: What this feature adds to `matchsvc` (registered by the app factory).
COMMANDS: list[click.Command] = [majors_group]
