"""Failure counters that every app server shares, as rows in the database.

Wrong passwords are counted per source address (a sprayer's guesses across accounts) and per
account from that source (a guesser at one account): the account is paused for that source
only, so nobody can lock a graduate out by knowing their phone. Wrong activation codes are
counted per source and per ID number; too many void the open codes of that number. The source
is the client address as the app sees it (behind MATCHSVC_TRUSTED_PROXIES proxies, ProxyFix).
Keys are keyed hashes: no address, account or ID number is stored here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from .. import pii
from ..models import Throttle


@dataclass(frozen=True)
class Rule:
    scope: str
    #: Failures within `window` that block for `block`.
    limit: int
    window: timedelta
    block: timedelta


MINUTES_15 = timedelta(minutes=15)
#: Guesses one address may make across all accounts.
LOGIN_FROM_SOURCE = Rule("login:source", 30, MINUTES_15, MINUTES_15)
#: Guesses at one account from one address; the owner elsewhere still signs in.
LOGIN_ACCOUNT_FROM_SOURCE = Rule("login:account-source", 5, MINUTES_15, MINUTES_15)
#: Wrong second-factor codes for one account (after its right password).
SECOND_FACTOR = Rule("login:second-factor", 5, MINUTES_15, MINUTES_15)
ACTIVATE_FROM_SOURCE = Rule("activate:source", 10, MINUTES_15, MINUTES_15)
#: Wrong codes given with one ID number (known or not, so both behave alike); then void.
ACTIVATE_ID_NUMBER = Rule("activate:id-number", 5, timedelta(days=1), timedelta(days=1))
#: Online archive applications one address may send (a family or a school's computer room).
APPLY_FROM_SOURCE = Rule("apply:source", 10, timedelta(hours=1), timedelta(hours=1))


def _key(rule: Rule, parts: tuple[object, ...]) -> str:
    return pii.keyring().digest("\x1f".join([rule.scope, *map(str, parts)]))


def blocked(session: Session, rule: Rule, *parts: object, now: datetime) -> bool:
    until = session.scalar(select(Throttle.blocked_until).where(Throttle.key == _key(rule, parts)))
    return until is not None and until > now


def fail(session: Session, rule: Rule, *parts: object, now: datetime, count: int = 1) -> bool:
    """Count one failure (or `count` at once); True when it blocks (the limit was reached now)."""
    key = _key(rule, parts)
    row = session.scalar(select(Throttle).where(Throttle.key == key).with_for_update())
    if row is None:
        try:
            with session.begin_nested():  # another server may insert the same key at once
                session.add(Throttle(scope=rule.scope, key=key, failures=0, window_started_at=now))
        except IntegrityError:
            pass
        row = session.scalar(select(Throttle).where(Throttle.key == key).with_for_update())
        assert row is not None
    if row.window_started_at + rule.window <= now:
        row.failures, row.window_started_at = 0, now
    row.failures += count
    if row.failures < rule.limit:
        return False
    row.failures, row.window_started_at, row.blocked_until = 0, now, now + rule.block
    return True


def clear(session: Session, rule: Rule, *parts: object) -> None:
    session.execute(delete(Throttle).where(Throttle.key == _key(rule, parts)))


def purge(session: Session, now: datetime) -> int:
    """Remove counters whose window and block have both run out (nightly)."""
    longest = max(r.window for r in (LOGIN_FROM_SOURCE, ACTIVATE_ID_NUMBER))
    result = session.execute(
        delete(Throttle).where(
            Throttle.window_started_at < now - longest,
            or_(Throttle.blocked_until.is_(None), Throttle.blocked_until < now),
        )
    )
    return int(getattr(result, "rowcount", 0) or 0)
