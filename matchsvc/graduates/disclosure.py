"""Unmasked personal data: a graduate's full ID number and phone, shown or exported only to the
officers who keep the archive, each time with a stated reason, and audited.

Everywhere else the service shows them masked. The reason is kept in the audit log (with any ID
number or phone typed into it masked), so the graduate's archive shows who saw what and why.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from ..actors import Actor
from ..audit import record
from ..errors import DomainError, Forbidden
from ..jurisdiction import get_graduate, graduate_edit_scope
from ..logsafe import scrub
from ..models import Graduate, Role
from .export import audit_export, export_rows
from .lookups import may_unmask
from .search import GraduateQuery

REASON_MIN, REASON_MAX = 4, 200
NOT_KEEPER = "完整身份证号和手机号仅限档案所在单位（及其上级）的工会工作人员查看"
NEEDS_SECOND_FACTOR = (
    "查看或导出完整身份证号和手机号，须先启用两步验证（右上角“两步验证”），并用验证码登录"
)


def _second_factor(actor: Actor) -> None:
    if not actor.second_factor:
        raise Forbidden(NEEDS_SECOND_FACTOR)


def checked_reason(reason: str | None) -> str:
    """The stated purpose, trimmed; personal numbers typed into it are masked before storing."""
    text = " ".join((reason or "").split())
    if len(text) < REASON_MIN:
        raise DomainError(f"请说明用途（至少 {REASON_MIN} 个字）", field="reason")
    if len(text) > REASON_MAX:
        raise DomainError(f"用途说明不能超过 {REASON_MAX} 个字", field="reason")
    return scrub(text)


def reveal(session: Session, actor: Actor, graduate_id: int, reason: str | None) -> Graduate:
    """The graduate, for showing their full ID number and phone once; the look is audited."""
    graduate = get_graduate(session, actor, graduate_id)
    if not may_unmask(session, actor, graduate):
        raise Forbidden(NOT_KEEPER)
    _second_factor(actor)
    text = checked_reason(reason)
    record(
        session,
        actor,
        "unmask",
        graduate,
        details={"fields": ["id_number", "phone"], "reason": text},
    )
    return graduate


def unmasked_rows(
    session: Session, actor: Actor, query: GraduateQuery, fmt: str, reason: str | None
) -> list[list[Any]]:
    """The export with full ID numbers and phones, limited to the archives the officer keeps."""
    if actor.role != Role.OFFICER:
        raise Forbidden(NOT_KEEPER)
    _second_factor(actor)
    text = checked_reason(reason)
    rows = list(export_rows(session, actor, query, unmasked=True, extra=graduate_edit_scope(actor)))
    audit_export(session, actor, query, fmt, len(rows), reason=text)
    return rows
