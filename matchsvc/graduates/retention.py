"""Retention: once a graduate's record is older than the retention period (counted from the end of
their graduation year), or their archive was closed (撤档) more than ten years ago, their personal
data is anonymised. Statistics keep their counts: the
record, its status history, hardship categories and services stay; who the person was does not."""

from __future__ import annotations

import hashlib
from datetime import date

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from .. import areacodes
from ..models import ArchiveState, Graduate, User, utcnow
from ..pii import keyring
from . import profile_history

ANONYMOUS = "已匿名"


def anonymise_expired(session: Session, years: int | None, today: date) -> int:
    """Anonymise every graduate whose graduation year ended more than `years` years ago;
    returns how many. `years` None: retention is off."""
    if years is None:
        return 0
    if years < 1:
        raise ValueError("retention must be at least one year")
    last_year = today.year - years - 1  # graduated in or before this year: past the period
    graduates = session.scalars(
        select(Graduate).where(
            Graduate.graduation_year <= last_year, Graduate.anonymised_at.is_(None)
        )
    ).all()
    return anonymise(session, list(graduates))


def anonymise_closed(session: Session, years: int, today: date) -> int:
    """Anonymise every archive 撤档 more than `years` years ago (MATCHSVC_CLOSED_ARCHIVE_YEARS,
    10): closed and not reopened since; returns how many."""
    if years < 1:
        raise ValueError("retention must be at least one year")
    before = date(today.year - years, today.month, min(today.day, 28))
    graduates = session.scalars(
        select(Graduate).where(
            Graduate.archive_state == ArchiveState.CLOSED,
            Graduate.archive_since < before,
            Graduate.anonymised_at.is_(None),
        )
    ).all()
    return anonymise(session, list(graduates))


def anonymise(session: Session, graduates: list[Graduate]) -> int:
    """Remove who each person was; their counts stay."""
    now = utcnow()
    for g in graduates:
        placeholder = f"anonymised-{g.id}"
        sealed = keyring().seal(placeholder)
        g.name = ANONYMOUS
        g.id_number_enc = sealed.ciphertext
        g.id_number_hash = hashlib.sha256(placeholder.encode()).hexdigest()
        g.id_last4_hash = sealed.last4_digest
        g.set_phone(None)
        origin = areacodes.counted_as(g.origin_region_code)
        g.origin_region_code = origin[:2] + "0000" if origin else None
        g.parent_employer_name = g.parent_employer_uscc = None
        g.wish_work = g.skills = g.certificates = g.archive_no = None
        g.anonymised_at = now
    if graduates:
        profile_history.forget(session, [g.id for g in graduates])
        session.execute(
            update(User)
            .where(User.graduate_id.in_([g.id for g in graduates]))
            .values(is_active=False)
            .execution_options(synchronize_session=False)
        )
        for user in session.scalars(
            select(User).where(User.graduate_id.in_([g.id for g in graduates]))
        ):
            user.rotate_session_token()
    session.flush()
    return len(graduates)
