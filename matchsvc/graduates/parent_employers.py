"""The parent's employer as typed, matched to a registered employer: the closest names for an
officer to confirm (the 本企业子女 rule reads the confirmed one)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..actors import Actor
from ..audit import record
from ..errors import NotFound
from ..jurisdiction import graduate_edit_scope
from ..models import (
    Employer,
    Graduate,
)


def unmatched_parent_employers(
    session: Session, actor: Actor, limit: int = 200
) -> list[tuple[Graduate, Employer | None, float]]:
    """Graduates in the actor's editing reach whose parent's employer is named but not matched,
    each with the closest registered employer by name (rapidfuzz) for an officer to confirm."""
    from rapidfuzz import fuzz, process, utils

    graduates = session.scalars(
        select(Graduate)
        .where(
            graduate_edit_scope(actor),
            Graduate.parent_employer_name.is_not(None),
            Graduate.parent_employer_id.is_(None),
        )
        .order_by(Graduate.id)
        .limit(limit)
    ).all()
    employers = session.scalars(select(Employer)).all()
    names = [e.name for e in employers]
    result: list[tuple[Graduate, Employer | None, float]] = []
    for graduate in graduates:
        best = (
            process.extractOne(
                graduate.parent_employer_name or "",
                names,
                scorer=fuzz.WRatio,
                processor=utils.default_process,
            )
            if names
            else None
        )
        result.append(
            (graduate, employers[best[2]], float(best[1])) if best else (graduate, None, 0.0)
        )
    return result


def confirm_parent_employer(
    session: Session, actor: Actor, graduate: Graduate, employer_id: int | None
) -> None:
    """An officer confirms (or clears) which registered employer the parent works at."""
    if employer_id is not None and session.get(Employer, employer_id) is None:
        raise NotFound("未找到该用人单位")
    graduate.parent_employer_id = employer_id
    record(
        session,
        actor,
        "update",
        graduate,
        org_id=graduate.home_org_id,
        details={"fields": ["parent_employer"]},
    )
