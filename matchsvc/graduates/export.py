"""Exporting the officer's list of graduates, personal data masked (unmasked: `disclosure`)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import ColumnElement, and_
from sqlalchemy.orm import Session, selectinload

from .. import pii
from ..actors import Actor
from ..audit import record
from ..models import Graduate
from . import lookups
from .search import GraduateQuery, build_filter, exact_field, sorted_statement

HEADER = [
    "姓名",
    "身份证号",
    "手机号",
    "性别",
    "建档单位",
    "毕业院校",
    "院校所在地",
    "专业",
    "学历",
    "毕业年份",
    "困难类别",
    "就业状态",
    "状态日期",
    "登记日期",
    "帮扶档案编号",
]


def rows_for_export(session: Session, actor: Actor, query: GraduateQuery) -> Iterator[list[Any]]:
    """Every graduate matching the query in the actor's jurisdiction, ID and phone masked."""
    return export_rows(session, actor, query)


def export_rows(
    session: Session,
    actor: Actor,
    query: GraduateQuery,
    *,
    unmasked: bool = False,
    extra: ColumnElement[bool] | None = None,
) -> Iterator[list[Any]]:
    where = build_filter(session, actor, query)
    if extra is not None:
        where = and_(where, extra)
    statement = sorted_statement(where, query).options(
        selectinload(Graduate.home_org),
        selectinload(Graduate.school_org),
        selectinload(Graduate.hardships),
    )
    field = exact_field(query.q)
    named: list[Graduate] = []
    for g in session.scalars(statement.execution_options(yield_per=1000)):
        if field:
            named.append(g)
        hardship = "、".join([g.family_kind.label, *(h.label for h in g.hardship_categories)])
        yield [
            g.name,
            g.id_number if unmasked else pii.mask_id_number(g.id_number),
            (g.phone or "") if unmasked else pii.mask_phone(g.phone),
            g.sex.label,
            g.home_org.name,
            g.school_name,
            g.school_org.name,
            g.major_text,
            g.degree.label,
            g.graduation_year,
            hardship,
            g.status.label,
            g.status_since.isoformat(),
            g.registered_on.isoformat(),
            g.archive_no or "",
        ]
    if field:  # a list filtered by a number answers for it as the search does
        lookups.answered(session, actor, field, "search", named)


def audit_export(
    session: Session,
    actor: Actor,
    query: GraduateQuery,
    fmt: str,
    rows: int,
    *,
    reason: str | None = None,
) -> None:
    """Audit an export; an unmasked one (`reason` given) is its own action, with the reason."""
    filters = {
        k: v for k, v in vars(query).items() if v and k not in ("page", "sort", "descending")
    }
    details: dict[str, Any] = {"format": fmt, "rows": rows, "filters": filters}
    if reason is not None:
        details["reason"] = reason
    record(
        session,
        actor,
        "export" if reason is None else "export_unmasked",
        "graduate_list",
        details=details,
    )
