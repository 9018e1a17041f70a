"""The graduate's own record: who is signed in, and the download of everything held about them."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import pii
from ..actors import Actor
from ..errors import Forbidden, NotFound
from ..models import (
    Graduate,
    GraduateRequest,
    Interest,
    Notice,
    Referral,
    Role,
    ServiceRecord,
    StatusChange,
    User,
)


def own_graduate(session: Session, actor: Actor) -> Graduate:
    if actor.role != Role.GRADUATE or actor.graduate_id is None:
        raise Forbidden("仅限毕业生本人")
    graduate = session.get(Graduate, actor.graduate_id)
    if graduate is None:
        raise NotFound("没有找到您的档案")
    return graduate


def export_all(session: Session, actor: Actor) -> dict[str, Any]:
    """Everything the service holds about the graduate, for them to download."""
    g = own_graduate(session, actor)
    return {
        "exported_at": datetime.now(UTC).isoformat(),
        "profile": {
            "name": g.name,
            "id_number": g.id_number,
            "phone": g.phone,
            "sex": g.sex.label,
            "birth_date": g.birth_date.isoformat(),  # their own: from the number
            "home_org": g.home_org.name,
            "origin_region_code": g.origin_region_code,
            "school": g.school_name,
            "school_region": g.school_org.name,
            "major": g.major_text,
            "major_code": g.major_code,
            "degree": g.degree.label,
            "graduation_year": g.graduation_year,
            "family_kind": g.family_kind.label,
            "hardships": [h.label for h in g.hardship_categories],
            "parent_employer": g.parent_employer_name,
            "wish_regions": g.wish_regions,
            "wish_work": g.wish_work,
            "wants_training": g.wants_training,
            "wants_internship": g.wants_internship,
            "wants_business": g.wants_business,
            "skills": g.skills,
            "certificates": g.certificates,
            "archive_no": g.archive_no,
            "registered_on": g.registered_on.isoformat(),
            "status": g.status.label,
            "status_since": g.status_since.isoformat(),
            "personalised_recommendations": g.personalised,
        },
        "account": _account_data(session, actor),
        "status_history": [
            {"status": s.status.label, "effective_on": s.effective_on.isoformat(), "note": s.note}
            for s in session.scalars(
                select(StatusChange)
                .where(StatusChange.graduate_id == g.id)
                .order_by(StatusChange.effective_on, StatusChange.id)
            )
        ],
        "services": [
            {
                "kind": s.kind.label,
                "date": s.service_date.isoformat(),
                "org": s.org.name,
                "amount": str(s.amount) if s.amount is not None else None,
                "voided": s.voided_at is not None,
            }
            for s in session.scalars(
                select(ServiceRecord)
                .where(ServiceRecord.graduate_id == g.id)
                .order_by(ServiceRecord.service_date)
            )
        ],
        "referrals": [
            {
                "position_id": r.position_id,
                "state": r.state.label,
                "steps": [
                    {"state": s.state.label, "on": s.on_date.isoformat(), "reason": s.reason}
                    for s in r.steps
                ],
            }
            for r in session.scalars(select(Referral).where(Referral.graduate_id == g.id))
        ],
        "interests": [
            {"position_id": i.position_id, "kind": i.kind.label, "reason": i.reason}
            for i in session.scalars(select(Interest).where(Interest.graduate_id == g.id))
        ],
        "requests": [
            {
                "kind": r.kind.label,
                "text": r.text,
                "created_at": r.created_at.isoformat(),
                "outcome": r.outcome,
            }
            for r in session.scalars(
                select(GraduateRequest).where(GraduateRequest.graduate_id == g.id)
            )
        ],
    }


def _account_data(session: Session, actor: Actor) -> dict[str, Any]:
    """The graduate's account: the e-mail and the consents given, and every notice sent."""
    user = session.get(User, actor.user_id) if actor.user_id else None
    if user is None:
        return {}
    return {
        "username": user.username,
        "email": pii.keyring().open(user.email_enc) if user.email_enc else None,
        "notices_by_email": user.notify_email,
        "notices_by_sms": user.notify_sms,
        "privacy_notice_accepted_at": (
            user.privacy_accepted_at.isoformat() if user.privacy_accepted_at else None
        ),
        "notices": [
            {"at": n.created_at.isoformat(), "text": n.text}
            for n in session.scalars(
                select(Notice).where(Notice.user_id == user.id).order_by(Notice.id)
            )
        ],
    }
