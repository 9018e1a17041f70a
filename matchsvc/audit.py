"""The audit log: every create, change, void, import and export, with who, when and which org."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from .actors import Actor
from .models import AuditChain, AuditEvent, ServiceRecord, utcnow

GENESIS = "0" * 64


def event_hash(prev: str, fields: dict[str, Any]) -> str:
    """SHA-256 over the previous hash and the event's fields, canonically serialised."""
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
    text = prev + json.dumps(body, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


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


def verify(session: Session) -> tuple[int, list[int]]:
    """Walk the chain in id order: (events checked, ids where a link is broken)."""
    prev, checked, broken = GENESIS, 0, []
    for event in _events(session):
        fields = {
            c: getattr(event, c)
            for c in (
                "at",
                "user_id",
                "actor",
                "action",
                "entity_type",
                "entity_id",
                "org_id",
                "details",
            )
        }
        if event.prev_hash != prev or event.hash != event_hash(event.prev_hash or "", fields):
            broken.append(event.id)
        prev = event.hash or ""
        checked += 1
    head = session.scalar(select(AuditChain.head).where(AuditChain.id == 1))
    if checked and head != prev:
        broken.append(-1)  # the newest events were removed
    return checked, broken


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


def history_for(session: Session, graduate: Any) -> list[AuditEvent]:
    """Every audit event on a graduate's record and on the services recorded for them."""
    from sqlalchemy import and_, or_, select

    service_ids = select(ServiceRecord.id).where(ServiceRecord.graduate_id == graduate.id)
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
                )
            )
            .order_by(AuditEvent.at, AuditEvent.id)
        )
    )
