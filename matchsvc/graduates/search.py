"""Finding graduates within the officer's jurisdiction: search, filters, sorting, pages."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, false, func, or_, select
from sqlalchemy.orm import Session, selectinload

from .. import clock, pii
from ..actors import Actor
from ..errors import DomainError
from ..jurisdiction import graduate_edit_scope, graduate_scope, subtree_ids
from ..models import EmploymentStatus, Graduate, GraduateHardship, Hardship, Org, Role
from ..stats.campaigns import current_year
from ..validators import parse_id_number
from . import lookups

SORTS = {
    "registered": Graduate.registered_on,
    "name": Graduate.name_pinyin,
    "year": Graduate.graduation_year,
    "status": Graduate.status,
}
_DIGITS = re.compile(r"^\d{1,4}[xX]?$|^\d{0,3}[xX]$")
_LAST4 = re.compile(r"^\d{3}[\dxX]$")
_LATIN = re.compile(r"^[a-zA-Z]+$")


@dataclass
class GraduateQuery:
    q: str = ""
    cohort: str = ""  # "fresh" or "previous", relative to the current campaign year
    status: str = ""
    hardship: str = ""
    home_org: str = ""  # a region code: that org's subtree
    school_org: str = ""
    sort: str = "registered"
    descending: bool = True
    page: int = 1


@dataclass
class Page:
    rows: list[Graduate]
    total: int
    page: int
    pages: int


def current_campaign_year(session: Session, today: date | None = None) -> int:
    """The current campaign's year (see stats.campaigns.current_campaign)."""
    return current_year(session, today or clock.today())


def _org_path(session: Session, code: str) -> str | None:
    return session.scalar(select(Org.path).where(Org.code == code.strip()))


def _prefix(column: Any, prefix: str) -> ColumnElement[bool]:
    """`column` starts with an ASCII `prefix`, as a range a plain B-tree index serves
    (LIKE 'x%' needs special collations or operator classes on SQLite and PostgreSQL)."""
    upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    return and_(column >= prefix, column < upper)


def exact_field(q: str) -> str | None:
    """Which personal number the search text is, if it is one an exact match would confirm:
    a whole ID number ("id_number") or its last four ("id_last4"); None for names and the rest."""
    q = q.strip()
    if len(q) == 18:
        try:
            parse_id_number(q)
        except DomainError:
            return None
        return "id_number"
    if _LAST4.match(q):
        return "id_last4"
    return None


def _text_filter(q: str) -> ColumnElement[bool] | None:
    q = q.strip()
    if not q:
        return None
    if len(q) == 18:
        try:
            number = parse_id_number(q).value
        except DomainError:
            pass
        else:  # a whole ID number: the keyed hash finds the one person
            return Graduate.id_number_hash == pii.keyring().digest(number)
    if _DIGITS.match(q):
        if len(q) == 4:  # the last four, as their keyed hash (kept for this search only)
            return Graduate.id_last4_hash == pii.keyring().last4_digest(q)
        return false()  # fewer digits name no one: the number is not stored in clear
    if _LATIN.match(q.replace(" ", "")):  # "hu dan fang" as "hudanfang"
        key = "".join(q.split()).lower()
        return or_(_prefix(Graduate.name_pinyin, key), _prefix(Graduate.name_initials, key))
    return or_(
        Graduate.name.contains(q, autoescape=True),
        Graduate.school_name.contains(q, autoescape=True),
        Graduate.major_text.contains(q, autoescape=True),
    )


def build_filter(session: Session, actor: Actor, query: GraduateQuery) -> ColumnElement[bool]:
    conditions: list[ColumnElement[bool]] = [graduate_scope(actor)]
    field = exact_field(query.q)
    if field:
        lookups.guard(session, actor, "q")  # an exact answer about a number: within the allowance
    if field == "id_last4":  # the last four are shown to no one who may not unmask: only they
        conditions.append(graduate_edit_scope(actor) if actor.role == Role.OFFICER else false())
    text = _text_filter(query.q)
    if text is not None:
        conditions.append(text)
    year = current_campaign_year(session)
    if query.cohort == "fresh":
        conditions.append(Graduate.graduation_year == year)
    elif query.cohort == "previous":
        conditions.append(Graduate.graduation_year < year)
    if query.status in {s.value for s in EmploymentStatus}:
        conditions.append(Graduate.status == EmploymentStatus(query.status))
    if query.hardship in {h.value for h in Hardship}:
        # IN (not EXISTS), so SQLite can start from the category index rather than probe
        # every graduate the other filters leave.
        conditions.append(
            Graduate.id.in_(
                select(GraduateHardship.graduate_id).where(
                    GraduateHardship.category == Hardship(query.hardship)
                )
            )
        )
    for code, column in (
        (query.home_org, Graduate.home_org_id),
        (query.school_org, Graduate.school_org_id),
    ):
        if code:
            path = _org_path(session, code)
            conditions.append(column.in_(subtree_ids(path)) if path else Graduate.id.is_(None))
    return and_(*conditions)


def sorted_statement(where: ColumnElement[bool], query: GraduateQuery) -> Select[Graduate]:
    """The graduates matching `where`, in the query's order (id breaks ties)."""
    column: Any = SORTS.get(query.sort, Graduate.registered_on)
    if query.descending:
        return select(Graduate).where(where).order_by(column.desc(), Graduate.id.desc())
    return select(Graduate).where(where).order_by(column.asc(), Graduate.id.asc())


def search(session: Session, actor: Actor, query: GraduateQuery, page_size: int) -> Page:
    where = build_filter(session, actor, query)
    total = session.scalar(select(func.count()).select_from(Graduate).where(where)) or 0
    pages = max((total + page_size - 1) // page_size, 1)
    page = min(max(query.page, 1), pages)
    rows = session.scalars(
        sorted_statement(where, query)
        .options(selectinload(Graduate.home_org), selectinload(Graduate.school_org))
        .limit(page_size)
        .offset((page - 1) * page_size)
    ).all()
    field = exact_field(query.q)
    if field:
        lookups.answered(session, actor, field, "search", rows)
    return Page(list(rows), total, page, pages)
