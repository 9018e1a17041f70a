"""The nightly retention run (MATCHSVC_RETENTION_YEARS; off when unset)."""

from __future__ import annotations

import os
from datetime import datetime

from sqlalchemy.orm import Session

from matchsvc.graduates.retention import anonymise_expired


def retention_years() -> int | None:
    raw = os.environ.get("MATCHSVC_RETENTION_YEARS", "").strip()
    return int(raw) if raw else None


def anonymise_expired_graduates(session: Session, now: datetime) -> int:
    return anonymise_expired(session, retention_years(), now.date())
