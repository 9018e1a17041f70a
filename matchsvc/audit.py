"""The audit log: every create, change, void, import and export, with who, when and which org."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from .actors import Actor
from .models import AuditEvent


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
    event = AuditEvent(
        user_id=actor.user_id,
        actor=actor.label,
        action=action,
        entity_type=type(entity).__tablename__ if hasattr(entity, "__tablename__") else str(entity),
        entity_id=getattr(entity, "id", None),
        org_id=org_id if org_id is not None else actor.org_id,
        details=details or {},
    )
    session.add(event)
    return event


def history_for(session: Session, graduate: Any) -> list[AuditEvent]:
    """Every audit event on a graduate's record and on the services recorded for them."""
    from sqlalchemy import and_, or_, select

    from .models import ServiceRecord

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
