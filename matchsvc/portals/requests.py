"""The graduate's requests to officers (报告已签约, 更正, 仍在求职, 培训报名) and the officers' side:
the pending list and confirming or closing each."""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from .. import audit, clock
from ..actors import Actor
from ..errors import Conflict, DomainError, NotFound
from ..followups.service import open_hire
from ..graduates.service import change_status
from ..jurisdiction import get_graduate, graduate_edit_scope
from ..models import (
    EmploymentStatus,
    Graduate,
    GraduateRequest,
    HireSource,
    Position,
    RequestKind,
    TrainingOffer,
    utcnow,
)
from ..notices.service import graduate_user as graduate_users
from ..notices.service import notify, officers_of
from ..training.service import enrol
from .graduate import own_graduate


def ask(
    session: Session,
    actor: Actor,
    kind: RequestKind,
    text: str,
    position_id: int | None = None,
    signed_on: date | None = None,
) -> GraduateRequest:
    graduate = own_graduate(session, actor)
    text = (text or "").strip()
    if not text and kind == RequestKind.CORRECTION:
        raise DomainError("请写明需要更正的内容", field="text")
    if kind == RequestKind.SIGNED:
        if not graduate.is_looking:
            raise Conflict(f"您的就业状态已是「{graduate.status.label}」，无需报告签约")
        if not text:
            raise DomainError("请填写签约单位和岗位", field="text")
        if signed_on is None or signed_on > clock.today():
            raise DomainError("请填写签约日期（不晚于今天）", field="signed_on")
        if position_id is not None and session.get(Position, position_id) is None:
            raise NotFound("没有该岗位")
    request = GraduateRequest(
        graduate_id=graduate.id,
        kind=kind,
        text=text[:1000] or "已签约",
        position_id=position_id,
        signed_on=signed_on,
    )
    session.add(request)
    session.flush()
    return request


def ask_to_look_again(session: Session, actor: Actor, text: str) -> GraduateRequest:
    """A graduate whose status says 已就业 (签约, 创业, 升学) asks to be shown jobs again: they are
    from now on, and their union sees the request (closing it without confirming stops it)."""
    g = own_graduate(session, actor)
    if g.is_looking:
        raise Conflict("您已在接收岗位推荐")
    text = (text or "").strip()[:1000] or f"就业状态为「{g.status.label}」，仍在求职"
    # one open request at a time (the status may have changed since an earlier one was filed)
    request = session.scalar(
        select(GraduateRequest).where(
            GraduateRequest.graduate_id == g.id,
            GraduateRequest.kind == RequestKind.LOOKING,
            GraduateRequest.resolved_at.is_(None),
        )
    )
    if request is None:
        request = GraduateRequest(graduate_id=g.id, kind=RequestKind.LOOKING, text=text)
        session.add(request)
    else:
        request.text = text
    g.looking_again = True
    audit.record(session, actor, "looking_again", g, org_id=g.home_org_id)
    session.flush()
    return request


#: A request waiting longer than this many working days is overdue (MATCHSVC_REQUEST_DAYS).
DEFAULT_REQUEST_DAYS = 5
_request_days = DEFAULT_REQUEST_DAYS


def configure(days: int | None) -> None:
    global _request_days
    _request_days = DEFAULT_REQUEST_DAYS if days is None else days


def request_days() -> int:
    return _request_days


def waiting_days(request: GraduateRequest, on: date | None = None) -> int:
    """Working days the request has waited (Monday to Friday)."""
    return clock.working_days_between(clock.china_date(request.created_at), on or clock.today())


def is_overdue(request: GraduateRequest, on: date | None = None) -> bool:
    return waiting_days(request, on) > _request_days


def overdue_before(on: date | None = None) -> datetime:
    """Requests made before this instant are overdue on `on`."""
    day = clock.working_days_before(on or clock.today(), _request_days)
    return datetime.combine(day, time(0), clock.CHINA)


def _pending(actor: Actor) -> Select[GraduateRequest, Graduate]:
    return (
        select(GraduateRequest, Graduate)
        .join(Graduate, Graduate.id == GraduateRequest.graduate_id)
        .where(GraduateRequest.resolved_at.is_(None), graduate_edit_scope(actor))
    )


def pending_requests(
    session: Session, actor: Actor, limit: int | None = None
) -> list[tuple[GraduateRequest, Graduate]]:
    """Requests waiting for the home org, oldest first (the first `limit` of them)."""
    query = _pending(actor).order_by(GraduateRequest.created_at, GraduateRequest.id)
    rows = session.execute(query if limit is None else query.limit(limit)).all()
    return [(r, g) for r, g in rows]


def pending_counts(session: Session, actor: Actor, on: date | None = None) -> tuple[int, int]:
    """How many requests wait, and how many of them are overdue on `on`."""
    late = GraduateRequest.created_at < overdue_before(on)
    query = _pending(actor).with_only_columns(func.count(), func.count().filter(late))
    total, overdue = session.execute(query).one()
    return total or 0, overdue or 0


def resolve(
    session: Session, actor: Actor, request_id: int, accept: bool, note: str | None = None
) -> None:
    """An officer confirms a signed report (status 已签约 from its date) or closes a request."""
    request = session.get(GraduateRequest, request_id)
    if request is None:
        raise NotFound("没有该申请")
    # confirming changes the archive: the edit scope (the home org's subtree), not the view scope
    try:
        graduate = get_graduate(session, actor, request.graduate_id, edit=True)
    except NotFound:
        raise NotFound("没有该申请，或不在您的管辖范围内") from None
    if request.resolved_at is not None:
        raise Conflict("该申请已处理")
    if not accept and not (note or "").strip():
        raise DomainError(
            "请填写原因（毕业生会看到）："
            + ("为什么停止推荐岗位" if request.kind == RequestKind.LOOKING else "为什么不予确认"),
            field="note",
        )
    if request.kind == RequestKind.SIGNED and accept:
        assert request.signed_on is not None
        change_status(
            session,
            actor,
            graduate,
            EmploymentStatus.SIGNED,
            request.signed_on,
            note="毕业生报告已签约，经核实",
        )
        open_hire(
            session,
            actor,
            graduate,
            request.signed_on,
            HireSource.SIGNED,
            request_id=request.id,
            position_id=request.position_id,
            workplace=request.text,
        )
    if request.kind == RequestKind.LOOKING and not accept:
        graduate.looking_again = False
    if request.kind == RequestKind.TRAINING and accept:
        offer = session.get(TrainingOffer, request.offer_id)
        assert offer is not None
        enrol(session, actor, offer, graduate, clock.today())
    request.resolved_at = utcnow()
    request.resolved_by_id = actor.user_id
    request.outcome = (note or ("已确认" if accept else "未确认")).strip()[:200]
    if not accept:
        notify(
            session,
            graduate_users(session, graduate.id),
            f"您的申请（{request.kind.label}）未获确认：{request.outcome}",
            "/me",
            "申请处理结果",
        )
    audit.record(
        session,
        actor,
        "resolve_request",
        graduate,
        org_id=graduate.home_org_id,
        details={"kind": request.kind.value, "accept": accept},
    )


def ask_training(session: Session, actor: Actor, offer_id: int, text: str = "") -> GraduateRequest:
    """报名: the graduate asks to join a training offer; the home org's officer confirms it
    (which enrols them) on the requests page."""
    g = own_graduate(session, actor)
    offer = session.get(TrainingOffer, offer_id)
    if offer is None:
        raise NotFound("没有该培训项目")
    if offer.signup_closes_on < clock.today():
        raise DomainError("该培训项目报名已截止")
    open_ask = session.scalar(
        select(GraduateRequest.id).where(
            GraduateRequest.graduate_id == g.id,
            GraduateRequest.kind == RequestKind.TRAINING,
            GraduateRequest.offer_id == offer.id,
        )
    )
    if open_ask is not None:
        raise Conflict("您已报名过这个培训项目")
    request = GraduateRequest(
        graduate_id=g.id,
        kind=RequestKind.TRAINING,
        text=(text or "").strip()[:1000] or f"报名参加培训：{offer.name}",
        offer_id=offer.id,
    )
    session.add(request)
    session.flush()
    audit.record(
        session, actor, "ask_training", g, org_id=g.home_org_id, details={"offer_id": offer.id}
    )
    notify(
        session,
        officers_of(session, g.home_org_id),
        f"{g.name} 报名参加培训“{offer.name}”，请在“毕业生申请”中确认。",
        "/officer/requests",
        "培训报名",
    )
    return request
