"""The jurisdiction rule of DOMAIN.md, in one place: who may see and edit which graduate.

An officer sees the graduates whose home org is their org or below it, and those whose school
lies in their region; only the home org's subtree edits. "Below" follows the tree's parent links
(the materialised `Org.path`), never a code prefix.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, Select, false, or_, select, true
from sqlalchemy.orm import QueryableAttribute, Session

from .actors import Actor
from .errors import NotFound
from .models import Graduate, Org, Role


def subtree_ids(path: str) -> Select[int]:
    """Ids of the org with this path and every org below it."""
    return select(Org.id).where(Org.path.startswith(path, autoescape=True))


def org_column_in_region(actor: Actor, column: QueryableAttribute[int]) -> ColumnElement[bool]:
    """Whether an org-id column lies in the actor's region, as a SQL filter."""
    if actor.is_national:
        return true()
    if actor.org_path is None:
        return false()
    return column.in_(subtree_ids(actor.org_path))


def org_in_region(actor: Actor, org: Org) -> bool:
    """Whether the org is the actor's own or below it."""
    if actor.is_national:
        return True
    return actor.org_path is not None and org.path.startswith(actor.org_path)


def graduate_scope(actor: Actor) -> ColumnElement[bool]:
    """The filter every query for graduates goes through."""
    if actor.role == Role.GRADUATE:
        return Graduate.id == actor.graduate_id if actor.graduate_id else false()
    if actor.role not in (Role.OFFICER, Role.HQ) or actor.is_national:
        return graduate_edit_scope(actor)
    return or_(
        org_column_in_region(actor, Graduate.home_org_id),
        org_column_in_region(actor, Graduate.school_org_id),
    )


def graduate_edit_scope(actor: Actor) -> ColumnElement[bool]:
    """Only the home org's subtree edits the profile and archive."""
    if actor.role not in (Role.OFFICER, Role.HQ):
        return false()
    return org_column_in_region(actor, Graduate.home_org_id)


def get_graduate(
    session: Session, actor: Actor, graduate_id: int, *, edit: bool = False
) -> Graduate:
    """The graduate if the actor may see (or edit) them; otherwise NotFound, never the record."""
    scope = graduate_edit_scope(actor) if edit else graduate_scope(actor)
    graduate = session.scalar(select(Graduate).where(Graduate.id == graduate_id, scope))
    if graduate is None:
        raise NotFound("未找到该毕业生，或不在您的管辖范围内")
    return graduate


def can_edit(session: Session, actor: Actor, graduate: Graduate) -> bool:
    return (
        session.scalar(
            select(Graduate.id).where(Graduate.id == graduate.id, graduate_edit_scope(actor))
        )
        is not None
    )
