"""Moving a graduate's archive to another union: the offer, the receiving org's decision (the
archive and its history move), and the pending transfers in and out of a region."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..actors import Actor
from ..audit import record
from ..errors import Conflict, DomainError, NotFound
from ..jurisdiction import org_in_region, subtree_ids
from ..models import (
    ArchiveTransfer,
    Graduate,
    Org,
    TransferState,
    utcnow,
)
from ..orgs.service import get_org
from ..validators import (
    parse_region_code,
)


def request_transfer(
    session: Session, actor: Actor, graduate: Graduate, to_org_code: str, reason: str
) -> ArchiveTransfer:
    """Offer a graduate's archive to another org (the caller checked edit rights)."""
    to_org = get_org(session, parse_region_code(to_org_code))
    if to_org.id == graduate.home_org_id:
        raise DomainError("接收单位就是当前建档单位", field="to_org")
    if not reason.strip():
        raise DomainError("请填写转移原因", field="reason")
    pending = session.scalar(
        select(ArchiveTransfer.id).where(
            ArchiveTransfer.graduate_id == graduate.id,
            ArchiveTransfer.state == TransferState.PENDING,
        )
    )
    if pending is not None:
        raise Conflict("该档案已有待接收的转移申请")
    transfer = ArchiveTransfer(
        graduate_id=graduate.id,
        from_org_id=graduate.home_org_id,
        to_org_id=to_org.id,
        reason=reason.strip(),
        requested_by_id=actor.user_id,
    )
    session.add(transfer)
    session.flush()
    record(
        session,
        actor,
        "transfer",
        graduate,
        org_id=graduate.home_org_id,
        details={"to": to_org.code},
    )
    return transfer


def decide_transfer(
    session: Session, actor: Actor, transfer_id: int, *, accept: bool, note: str | None = None
) -> ArchiveTransfer:
    """The receiving org accepts (the archive and its history move) or refuses."""
    transfer = session.get(ArchiveTransfer, transfer_id)
    to_org = session.get(Org, transfer.to_org_id) if transfer else None
    if transfer is None or to_org is None or not org_in_region(actor, to_org):
        raise NotFound("未找到该转移申请，或不在您的管辖范围内")
    if transfer.state != TransferState.PENDING:
        raise Conflict("该转移申请已处理")
    transfer.state = TransferState.ACCEPTED if accept else TransferState.REFUSED
    transfer.decided_by_id = actor.user_id
    transfer.decided_at = utcnow()
    transfer.decision_note = (note or "").strip() or None
    if accept:
        graduate = session.get(Graduate, transfer.graduate_id)
        assert graduate is not None
        graduate.home_org_id = to_org.id
    record(
        session,
        actor,
        "accept_transfer" if accept else "refuse_transfer",
        transfer,
        org_id=to_org.id,
        details={"graduate": transfer.graduate_id},
    )
    return transfer


def withdraw_transfer(
    session: Session, actor: Actor, transfer_id: int, reason: str | None = None
) -> ArchiveTransfer:
    """The sending side takes back a transfer the other org has not decided yet."""
    transfer = session.get(ArchiveTransfer, transfer_id, with_for_update=True)
    from_org = session.get(Org, transfer.from_org_id) if transfer else None
    if transfer is None or from_org is None or not org_in_region(actor, from_org):
        raise NotFound("未找到该转移申请，或不在您的管辖范围内")
    if transfer.state != TransferState.PENDING:
        raise Conflict(f"该转移申请{transfer.state.label}，不能撤回")
    transfer.state = TransferState.WITHDRAWN
    transfer.decided_by_id = actor.user_id
    transfer.decided_at = utcnow()
    transfer.decision_note = (reason or "").strip()[:500] or "转出单位撤回"
    record(
        session,
        actor,
        "withdraw_transfer",
        transfer,
        org_id=from_org.id,
        details={"graduate": transfer.graduate_id},
    )
    return transfer


def transfers_for(
    session: Session, actor: Actor
) -> tuple[list[ArchiveTransfer], list[ArchiveTransfer]]:
    """Pending transfers into the actor's region, and those out of it."""
    pending = select(ArchiveTransfer).where(ArchiveTransfer.state == TransferState.PENDING)
    if actor.is_national or actor.org_path is None:
        everything = list(session.scalars(pending.order_by(ArchiveTransfer.id)))
        return (everything, []) if actor.is_national else ([], [])
    region = subtree_ids(actor.org_path)
    incoming = session.scalars(
        pending.where(ArchiveTransfer.to_org_id.in_(region)).order_by(ArchiveTransfer.id)
    )
    outgoing = session.scalars(
        pending.where(ArchiveTransfer.from_org_id.in_(region)).order_by(ArchiveTransfer.id)
    )
    return list(incoming), list(outgoing)
