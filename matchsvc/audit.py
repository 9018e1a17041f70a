"""The audit log: every create, change, void, import and export, with who, when and which org.

Events are chained: each stores an HMAC-SHA256, keyed with a key derived from
MATCHSVC_SECRET_KEY (never in the database), over the previous link and its own fields, so
someone who can write the database but does not hold the key cannot rewrite the chain. The
head is also anchored outside the database (`write_anchor`: a signed line appended to the
file MATCHSVC_AUDIT_ANCHOR names, and to the log) at each `matchsvc audit verify` and nightly;
`verify` checks the chain against every anchor, so deleting the newest events and moving the
head back shows too.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from . import pii
from .actors import Actor
from .models import (
    AuditChain,
    AuditEvent,
    Employer,
    Interest,
    Position,
    Referral,
    ServiceRecord,
    User,
    utcnow,
)

GENESIS = "0" * 64
#: In `verify`'s broken list: the newest events were removed (the head does not match), and
#: the chain disagrees with an anchor written outside the database (or an anchor is forged).
HEAD_MOVED = -1
ANCHOR_DISAGREES = -2

log = logging.getLogger(__name__)
_chain_key: bytes | None = None


def configure(secret: str) -> None:
    """Install the chain's key, derived from the app's secret key (create_app does this)."""
    global _chain_key
    _chain_key = pii.derive_key(secret, b"audit-chain")


def _key() -> bytes:
    if _chain_key is None:
        raise RuntimeError("audit chain key not configured")
    return _chain_key


def _mac(text: str) -> str:
    return hmac.new(_key(), text.encode(), hashlib.sha256).hexdigest()


def event_hash(prev: str, fields: dict[str, Any]) -> str:
    """The keyed hash over the previous link and the event's fields, canonically serialised."""
    at = fields["at"]
    body = {
        "at": at.isoformat() if isinstance(at, datetime) else str(at),
        "user_id": fields.get("user_id"),
        "actor": fields["actor"],
        "action": fields["action"],
        "entity_type": fields["entity_type"],
        "entity_id": fields.get("entity_id"),
        "org_id": fields.get("org_id"),
        "details": fields.get("details") or {},
    }
    return _mac(prev + json.dumps(body, sort_keys=True, ensure_ascii=False, default=str))


def _head(session: Session) -> AuditChain:
    """The chain head, locked for this transaction (PostgreSQL: FOR UPDATE; SQLite writes are
    serialised anyway)."""
    head = session.scalar(select(AuditChain).where(AuditChain.id == 1).with_for_update())
    if head is None:
        head = AuditChain(id=1, head=GENESIS)
        session.add(head)
        session.flush()
    return head


def chain_rows(session: Session, rows: Iterable[dict[str, Any]]) -> None:
    """Fill `at`, `prev_hash` and `hash` of audit rows a bulk insert writes, in order."""
    head = _head(session)
    for row in rows:
        row.setdefault("at", utcnow())
        row["prev_hash"] = head.head
        row["hash"] = head.head = event_hash(head.head, row)


def _fields(event: AuditEvent) -> dict[str, Any]:
    return {c: getattr(event, c) for c in _FIELDS}


_FIELDS = ("at", "user_id", "actor", "action", "entity_type", "entity_id", "org_id", "details")


def rechain(session: Session) -> int:
    """Compute every link again with the current key, in id order (the migration that keyed
    the chain uses this); returns the events chained."""
    prev, n = GENESIS, 0
    for event in _events(session):
        event.prev_hash = prev
        event.hash = prev = event_hash(prev, _fields(event))
        n += 1
    head = _head(session)
    head.head = prev
    session.flush()
    return n


def _anchor_text(entry: dict[str, Any]) -> str:
    return f"{entry['at']}|{entry['first']}|{entry['events']}|{entry['last_id']}|{entry['head']}"


def _first_link(session: Session) -> str:
    """The oldest event's hash: which chain an anchor belongs to (a database created again has
    another; it cannot be changed without breaking the next link, which needs the key)."""
    first = session.scalar(select(AuditEvent.hash).order_by(AuditEvent.id).limit(1))
    return first or GENESIS


def write_anchor(session: Session, path: Path) -> dict[str, Any]:
    """Append the signed head (events, newest id, head hash) to the anchor file and the log."""
    last_id = session.scalar(select(func.max(AuditEvent.id))) or 0
    events = session.scalar(select(func.count()).select_from(AuditEvent)) or 0
    head = session.scalar(select(AuditChain.head).where(AuditChain.id == 1)) or GENESIS
    entry: dict[str, Any] = {
        "at": utcnow().isoformat(),
        "first": _first_link(session),
        "events": events,
        "last_id": last_id,
        "head": head,
    }
    entry["mac"] = _mac(_anchor_text(entry))
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    with os.fdopen(fd, "a", encoding="utf-8") as fh:
        fh.write(json.dumps(entry, sort_keys=True) + "\n")
    log.info("audit head anchored: events=%s last_id=%s head=%s", events, last_id, head)
    return entry


def read_anchors(path: Path | None, first: str) -> tuple[dict[int, str], int]:
    """This chain's anchors in the file ({newest id: head hash}) and how many lines are not
    genuine."""
    anchors: dict[int, str] = {}
    forged = 0
    if path is None or not path.exists():
        return anchors, forged
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            entry = json.loads(line)
            genuine = hmac.compare_digest(entry["mac"], _mac(_anchor_text(entry)))
        except (ValueError, KeyError, TypeError):
            genuine = False
        if not genuine:
            forged += 1
        elif entry["last_id"] and entry["first"] == first:
            anchors[int(entry["last_id"])] = str(entry["head"])
    return anchors, forged


def verify(session: Session, anchors: Path | None = None) -> tuple[int, list[int]]:
    """Walk the chain in id order: (events checked, ids where a link is broken, plus HEAD_MOVED
    or ANCHOR_DISAGREES). With `anchors`, every anchored head must still be in the chain."""
    anchored, forged = read_anchors(anchors, _first_link(session))
    seen: set[int] = set()
    prev, checked, broken = GENESIS, 0, []
    for event in _events(session):
        fields = _fields(event)
        if event.prev_hash != prev or event.hash != event_hash(event.prev_hash or "", fields):
            broken.append(event.id)
        if event.id in anchored:
            seen.add(event.id)
            if event.hash != anchored[event.id]:
                broken.append(event.id)
        prev = event.hash or ""
        checked += 1
    head = session.scalar(select(AuditChain.head).where(AuditChain.id == 1))
    if checked and head != prev:
        broken.append(HEAD_MOVED)  # the newest events were removed
    if forged or set(anchored) - seen:
        broken.append(ANCHOR_DISAGREES)  # anchored events are gone, or an anchor is forged
    return checked, sorted(set(broken), key=broken.index)


def _events(session: Session) -> Iterator[AuditEvent]:
    last = 0
    while True:
        batch = session.scalars(
            select(AuditEvent).where(AuditEvent.id > last).order_by(AuditEvent.id).limit(5000)
        ).all()
        if not batch:
            return
        yield from batch
        last = batch[-1].id


def record(
    session: Session,
    actor: Actor,
    action: str,
    entity: Any,
    *,
    org_id: int | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Add an audit event. Callers pass no personal data in clear in `details`."""
    fields: dict[str, Any] = {
        "at": utcnow(),
        "user_id": actor.user_id,
        "actor": actor.label,
        "action": action,
        "entity_type": type(entity).__tablename__
        if hasattr(entity, "__tablename__")
        else str(entity),
        "entity_id": getattr(entity, "id", None),
        "org_id": org_id if org_id is not None else actor.org_id,
        "details": details or {},
    }
    chain_rows(session, [fields])
    event = AuditEvent(**fields)
    session.add(event)
    return event


def people(session: Session, events: Iterable[AuditEvent]) -> dict[int, str]:
    """Who acted, as pages name them: the user's display name (else their username)."""
    ids = {e.user_id for e in events if e.user_id is not None}
    if not ids:
        return {}
    rows = session.execute(
        select(User.id, User.display_name, User.username).where(User.id.in_(ids))
    ).all()
    return {i: (name or username) for i, name, username in rows}


def history_for(session: Session, graduate: Any) -> list[AuditEvent]:
    """Every audit event on a graduate's record, on the services recorded for them, and on
    their referrals, applications and interest (推荐, 应聘, 面试, 录用 …, whoever recorded them)."""
    service_ids = select(ServiceRecord.id).where(ServiceRecord.graduate_id == graduate.id)
    referral_ids = select(Referral.id).where(Referral.graduate_id == graduate.id)
    interest_ids = select(Interest.id).where(Interest.graduate_id == graduate.id)
    return list(
        session.scalars(
            select(AuditEvent)
            .where(
                or_(
                    and_(AuditEvent.entity_type == "graduate", AuditEvent.entity_id == graduate.id),
                    and_(
                        AuditEvent.entity_type == "service_record",
                        AuditEvent.entity_id.in_(service_ids),
                    ),
                    and_(
                        AuditEvent.entity_type == "referral", AuditEvent.entity_id.in_(referral_ids)
                    ),
                    and_(
                        AuditEvent.entity_type == "interest", AuditEvent.entity_id.in_(interest_ids)
                    ),
                )
            )
            .order_by(AuditEvent.at, AuditEvent.id)
        )
    )


def positions_named(session: Session, events: Iterable[AuditEvent]) -> dict[int, str]:
    """The posts events name (details' position_id), as pages name them: 单位 · 岗位."""
    ids = {
        int(e.details["position_id"])
        for e in events
        if isinstance(e.details, dict) and str(e.details.get("position_id", "")).isdigit()
    }
    if not ids:
        return {}
    rows = session.execute(
        select(Position.id, Employer.name, Position.title)
        .join(Employer, Employer.id == Position.employer_id)
        .where(Position.id.in_(ids))
    ).all()
    return {i: f"{employer} · {title}" for i, employer, title in rows}
