"""What queued requests share (a large import, a large export): a row per request with its
officer (`user_id`), a `state` whose 'queued' value means waiting, and `seen_at` for the notice
of its end. The job's units are the waiting rows' ids; the notice lists the ended, unopened ones."""

from __future__ import annotations

import logging
from typing import Any, TypeVar

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ..logsafe import scrub
from ..models import utcnow

log = logging.getLogger(__name__)

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


def unit_id(unit: str, message: str) -> int:
    """A unit of a queued request's job: the request's id (`message` names what it should be)."""
    if not unit.isdigit():
        raise ValueError(f"{message}：{unit!r}")
    return int(unit)


def fail_waiting(
    session: Session, model: Any, unit: str, err: BaseException, message: str, **values: Any
) -> None:
    """End a waiting request whose work raised (not a refusal: a fault), so the officer is told
    and the job does not try it every minute; `message` takes the fault's kind as `{kind}`,
    scrubbed. Logged with ids only."""
    kind = scrub(type(err).__name__)
    log.error("%s %s failed: %s", model.__tablename__, unit, kind)
    session.execute(
        update(model)
        .where(model.id == int(unit), model.state == QUEUED)
        .values(state="failed", finished_at=utcnow(), message=message.format(kind=kind), **values)
    )
