"""Jobs on positions."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlalchemy.orm import Session

from matchsvc.models import Position, PositionStatus
from matchsvc.ops.scheduler import TIMEZONE


def close_expired_positions(session: Session, now: datetime) -> int:
    """Close open positions whose closing date has passed (China time); safe to run twice."""
    today = now.astimezone(TIMEZONE).date()
    result = session.execute(
        update(Position)
        .where(Position.status == PositionStatus.OPEN, Position.closes_on < today)
        .values(status=PositionStatus.CLOSED)
    )
    return result.rowcount or 0  # type: ignore[attr-defined]
