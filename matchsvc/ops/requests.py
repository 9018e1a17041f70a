"""What queued requests share (a large import, a large export): a row per request with its
officer (`user_id`), a `state` whose 'queued' value means waiting, and `seen_at` for the notice
of its end. The job's units are the waiting rows' ids; the notice lists the ended, unopened ones."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

Row = TypeVar("Row")
QUEUED = "queued"


def waiting_units(session: Session, model: Any) -> list[str]:
    """The requests waiting, oldest first, as a job's units (their ids)."""
    ids = session.scalars(
        select(model.id).where(model.state == QUEUED).order_by(model.created_at, model.id)
    )
    return [str(i) for i in ids]


def unseen(session: Session, model: type[Row], user_id: int | None) -> list[Row]:
    """Ended requests the officer made and has not opened since (their notice)."""
    if user_id is None:
        return []
    m: Any = model
    query = select(m).where(m.user_id == user_id, m.state != QUEUED, m.seen_at.is_(None))
    return list(session.scalars(query))
