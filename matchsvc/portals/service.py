"""The graduate's side: activation codes, signing in with ID number or phone, requests to
officers, the plain list, new recommendations and the download of everything held about them."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session
from werkzeug.security import generate_password_hash

from .. import areacodes, audit, clock, pii
from ..actors import Actor
from ..auth import throttle
from ..auth.service import check_password_strength
from ..errors import Conflict, DomainError, Forbidden, NotFound
from ..graduates.service import change_status
from ..jurisdiction import get_graduate, graduate_edit_scope
from ..matching import loader
from ..matching.engine.policy import Policy
from ..matching.engine.profiles import (
    POSITION_KIND,
    RECOMMENDATION_KINDS,
    RECOMMENDATION_LABELS,
    PositionProfile,
)
from ..matching.engine.results import Recommendation
from ..matching.service import INTERESTED_LABEL, declined_positions, recommend, referral_words
from ..models import (
    ActivationCode,
    Employer,
    EmployerStatus,
    EmploymentStatus,
    Graduate,
    GraduateRequest,
    Interest,
    InterestKind,
    Notice,
    Position,
    PositionKind,
    Referral,
    ReferralState,
    RequestKind,
    Role,
    ServiceRecord,
    StatusChange,
    TrainingOffer,
    User,
    utcnow,
)
from ..notices.service import notify, officers_of
from ..referrals.service import is_open
from ..training.service import enrol
from ..validators import InvalidIdNumber, parse_email, parse_id_number, parse_region_code

CODE_DAYS = 14
_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I


def _digest(code: str) -> str:
    return hashlib.sha256(code.strip().upper().replace("-", "").encode()).hexdigest()


def issue_code(session: Session, actor: Actor, graduate_id: int) -> tuple[str, datetime]:
    """A one-time code (shown once, stored hashed) that lets the graduate set a password."""
    graduate = get_graduate(session, actor, graduate_id, edit=True)
    for old in session.scalars(
        select(ActivationCode).where(
            ActivationCode.graduate_id == graduate.id, ActivationCode.used_at.is_(None)
        )
    ):
        old.expires_at = utcnow()  # a new code replaces any earlier one
    raw = "".join(secrets.choice(_ALPHABET) for _ in range(8))
    expires = utcnow() + timedelta(days=CODE_DAYS)
    session.add(
        ActivationCode(
            graduate_id=graduate.id,
            code_hash=_digest(raw),
            expires_at=expires,
            issued_by_id=actor.user_id,
        )
    )
    audit.record(session, actor, "issue_code", graduate, org_id=graduate.home_org_id)
    return f"{raw[:4]}-{raw[4:]}", expires


#: Too many wrong codes, from one source or with one ID number.
TOO_MANY = "尝试次数过多：激活码已暂停使用。请15分钟后再试，或联系所在工会重新获取激活码"


@dataclass
class Consent:
    """What the graduate agrees to at activation: the privacy notice (required), and, each on
    its own, notices by SMS and by e-mail."""

    privacy: bool = False
    by_sms: bool = False
    by_email: bool = False
    email: str = ""


def activate(
    session: Session,
    id_number: str,
    code: str,
    password: str,
    source: str,
    consent: Consent | None = None,
) -> User:
    """The graduate sets a password with their ID number and the code; the account is created
    (or its password reset) and the code used up. A refusal is counted by the caller
    (`activation_failed`, in a transaction of its own: the refused request's is rolled back)."""
    now = utcnow()
    number = id_number.strip().upper()
    if throttle.blocked(session, throttle.ACTIVATE_FROM_SOURCE, source, now=now) or (
        throttle.blocked(session, throttle.ACTIVATE_ID_NUMBER, number, now=now)
    ):
        raise DomainError(TOO_MANY, field="code")
    try:
        idn = parse_id_number(id_number)
    except InvalidIdNumber:
        raise DomainError("身份证号或激活码不正确", field="code") from None
    graduate = session.scalar(
        select(Graduate).where(Graduate.id_number_hash == pii.keyring().digest(idn.value))
    )
    activation = session.scalar(
        select(ActivationCode).where(ActivationCode.code_hash == _digest(code))
    )
    if (
        graduate is None
        or activation is None
        or activation.graduate_id != graduate.id
        or activation.used_at is not None
        or activation.expires_at <= now
    ):
        raise DomainError("身份证号或激活码不正确，或激活码已过期", field="code")
    check_password_strength(password)
    consent = consent or Consent()
    if not consent.privacy:
        raise DomainError("请阅读并同意个人信息保护说明", field="privacy")
    email = parse_email(consent.email) if consent.email.strip() else ""
    if consent.by_email and not email:
        raise DomainError("要接收邮件通知，请填写电子邮箱", field="email")
    user = session.scalar(select(User).where(User.graduate_id == graduate.id))
    if user is None:
        user = User(
            username=f"g{graduate.id}",
            role=Role.GRADUATE,
            graduate_id=graduate.id,
            display_name=graduate.name,
            password_hash=generate_password_hash(password),
        )
        session.add(user)
    else:
        user.password_hash = generate_password_hash(password)
        user.is_active = True
        user.rotate_session_token()
    activation.used_at = now
    user.privacy_accepted_at = now
    user.notify_sms = consent.by_sms and graduate.phone is not None
    user.notify_email = consent.by_email
    user.email_enc = pii.keyring().seal(email).ciphertext if email else None
    session.flush()
    audit.record(
        session,
        Actor(role=Role.GRADUATE, label="毕业生本人", user_id=user.id),
        "privacy_accepted",
        graduate,
        org_id=graduate.home_org_id,
        details={"sms": user.notify_sms, "email": user.notify_email},
    )
    return user


def own_graduate(session: Session, actor: Actor) -> Graduate:
    if actor.role != Role.GRADUATE or actor.graduate_id is None:
        raise Forbidden("仅限毕业生本人")
    graduate = session.get(Graduate, actor.graduate_id)
    if graduate is None:
        raise NotFound("没有找到您的档案")
    return graduate


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


def pending_requests(session: Session, actor: Actor) -> list[tuple[GraduateRequest, Graduate]]:
    rows = session.execute(
        select(GraduateRequest, Graduate)
        .join(Graduate, Graduate.id == GraduateRequest.graduate_id)
        .where(GraduateRequest.resolved_at.is_(None), graduate_edit_scope(actor))
        .order_by(GraduateRequest.created_at)
    ).all()
    return [(r, g) for r, g in rows]


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
    if request.kind == RequestKind.LOOKING and not accept:
        graduate.looking_again = False
    if request.kind == RequestKind.TRAINING and accept:
        offer = session.get(TrainingOffer, request.offer_id)
        assert offer is not None
        enrol(session, actor, offer, graduate, clock.today())
    request.resolved_at = utcnow()
    request.resolved_by_id = actor.user_id
    request.outcome = (note or ("已确认" if accept else "未确认")).strip()[:200]
    audit.record(
        session,
        actor,
        "resolve_request",
        graduate,
        org_id=graduate.home_org_id,
        details={"kind": request.kind.value, "accept": accept},
    )


def activation_failed(session: Session, id_number: str, source: str) -> None:
    """Count a refused activation for its source and its ID number (whether anyone has that
    number or not, so both behave alike); at the limit the number's open codes are void."""
    now = utcnow()
    number = id_number.strip().upper()
    throttle.fail(session, throttle.ACTIVATE_FROM_SOURCE, source, now=now)
    if not throttle.fail(session, throttle.ACTIVATE_ID_NUMBER, number, now=now):
        return
    try:
        digest = pii.keyring().digest(parse_id_number(number).value)
    except InvalidIdNumber:
        return
    graduate = session.scalar(select(Graduate).where(Graduate.id_number_hash == digest))
    if graduate is None:
        return
    codes = session.scalars(
        select(ActivationCode).where(
            ActivationCode.graduate_id == graduate.id,
            ActivationCode.used_at.is_(None),
            ActivationCode.expires_at > now,
        )
    ).all()
    for code in codes:
        code.expires_at = now  # void: a new code must be issued by the union
    if codes:
        audit.record(
            session,
            Actor(role=Role.GRADUATE, label="激活页面（未登录）"),
            "void_codes",
            graduate,
            org_id=graduate.home_org_id,
            details={"reason": "too_many_attempts", "codes": len(codes)},
        )


def mark_seen(user: User, position_ids: list[int]) -> set[int]:
    """The recommended positions not shown before; remembers these as seen."""
    new = set(position_ids) - set(user.seen_positions or [])
    user.seen_positions = sorted(set(position_ids) | set(user.seen_positions or []))[-500:]
    return new


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


@dataclass
class GraduateHome:
    """What the graduate's page shows: recommendations by kind (or the plain list), which of them
    are new, and their interest, referrals and requests."""

    graduate: Graduate
    sections: list[tuple[str, str, list[Recommendation]]]
    plain: list[PositionProfile]
    new: set[int]
    interests: dict[int, Interest]
    referrals: list[Any]
    requests: list[GraduateRequest]


def graduate_home(session: Session, actor: Actor, policy: Policy) -> GraduateHome:
    """The graduate's own page; the recommended positions shown count as seen from now on."""
    g = own_graduate(session, actor)
    sections: list[tuple[str, str, list[Recommendation]]] = []
    new: set[int] = set()
    plain: list[PositionProfile] = []
    if g.personalised:
        for kind in RECOMMENDATION_KINDS:
            items = recommend(session, g, policy, kind, 10)
            sections.append((kind, RECOMMENDATION_LABELS[kind], items))
        user = session.get(User, actor.user_id)
        # a post the graduate got somewhere with (interest, referral, …) is never new
        shown = [
            r.id
            for kind, _, items in sections
            if kind in POSITION_KIND
            for r in items
            if not r.state
        ]
        if user is not None:
            new = mark_seen(user, shown)
    elif g.is_looking:
        plain = plain_list(session, g, policy.today)
    interests = {
        i.position_id: i
        for i in session.scalars(select(Interest).where(Interest.graduate_id == g.id))
    }
    referrals = session.execute(
        select(Referral, Position, Employer)
        .join(Position, Position.id == Referral.position_id)
        .join(Employer, Employer.id == Position.employer_id)
        .where(Referral.graduate_id == g.id)
    ).all()
    requests = session.scalars(
        select(GraduateRequest)
        .where(GraduateRequest.graduate_id == g.id)
        .order_by(GraduateRequest.created_at.desc())
    ).all()
    return GraduateHome(g, sections, plain, new, interests, list(referrals), list(requests))


def plain_list(
    session: Session, g: Graduate, today: date, limit: int = 50
) -> list[PositionProfile]:
    """Open positions in the graduate's wished, origin and school provinces, newest first — no
    ranking by the graduate's profile."""
    provinces = {c[:2] for c in (g.wish_regions or [])} | {
        (areacodes.counted_as(g.origin_region_code) or "")[:2],
        g.school_org.code[:2],
    }
    declined = declined_positions(session, g.id)  # once, not per position
    found = [
        p
        for p in loader.load_positions(session, today)
        if p.region[:2] in provinces and p.id not in declined
    ]
    found.sort(key=lambda p: -p.id)
    return found[:limit]


def toggle_personalised(session: Session, actor: Actor) -> bool:
    """The graduate turns personalised recommendations on or off (audited); returns the new state."""
    g = own_graduate(session, actor)
    g.personalised = not g.personalised
    audit.record(
        session,
        actor,
        "personalised",
        g,
        org_id=g.home_org_id,
        details={"on": g.personalised},
    )
    return g.personalised


#: What the graduate edits of their own profile (their wishes), as the archive names them.
WISH_FIELDS = (
    "wish_regions",
    "wish_work",
    "wants_training",
    "wants_internship",
    "wants_business",
    "skills",
    "certificates",
)


def update_wishes(session: Session, actor: Actor, values: dict[str, Any]) -> list[str]:
    """The graduate changes their own wishes, skills and certificates; the archive's history
    keeps who changed what (audited with the fields). Returns the changed fields."""
    g = own_graduate(session, actor)
    clean = dict(values)
    clean["wish_regions"] = [parse_region_code(c) for c in values.get("wish_regions") or []]
    for key in ("wish_work", "skills", "certificates"):
        clean[key] = (str(values.get(key) or "")).strip() or None
    changed = [f for f in WISH_FIELDS if f in clean and getattr(g, f) != clean[f]]
    for f in changed:
        setattr(g, f, clean[f])
    if changed:
        audit.record(session, actor, "wishes", g, org_id=g.home_org_id, details={"fields": changed})
        session.flush()
    return changed


def _region_prefix(code: str) -> str:
    """440000 → 44, 440100 → 4401, 440106 → 440106: what codes under it start with."""
    if code.endswith("0000"):
        return code[:2]
    if code.endswith("00"):
        return code[:4]
    return code


def browse_regions(g: Graduate) -> list[str]:
    """Where a graduate browses: their wished regions, else their origin and school provinces."""
    if g.wish_regions:
        return list(g.wish_regions)
    return sorted({c for c in (areacodes.counted_as(g.origin_region_code), g.school_org.code) if c})


def _in_regions(codes: list[str]) -> ColumnElement[bool]:
    prefixes = sorted({_region_prefix(c) for c in codes if c and c != "000000"})
    if not prefixes:
        return Position.id.isnot(None)
    return or_(*(Position.work_region_code.startswith(p) for p in prefixes))


@dataclass
class Browse:
    rows: list[tuple[Position, Employer]]
    total: int
    regions: list[str]


def browse_positions(
    session: Session,
    actor: Actor,
    today: date,
    *,
    q: str = "",
    kind: str = "",
    region: str = "",
    page: int = 1,
    per_page: int = 20,
) -> Browse:
    """Open positions within the graduate's wished regions (or one of them), newest first,
    searched in title, description and employer name."""
    g = own_graduate(session, actor)
    regions = browse_regions(g)
    chosen = [region] if region and region in regions else regions
    where = loader.open_position_filter(today) & _in_regions(chosen)
    words = [w for w in (q or "").split() if w][:5]
    for word in words:
        like = f"%{word[:50]}%"
        where = where & or_(
            Position.title.ilike(like), Position.description.ilike(like), Employer.name.ilike(like)
        )
    if kind and kind in {k.value for k in PositionKind}:
        where = where & (Position.kind == PositionKind(kind))
    base = (
        select(Position, Employer).join(Employer, Employer.id == Position.employer_id).where(where)
    )
    total = session.scalar(select(func.count()).select_from(base.subquery())) or 0
    rows = session.execute(
        base.order_by(Position.published_on.desc(), Position.id.desc())
        .offset((max(page, 1) - 1) * per_page)
        .limit(per_page)
    ).all()
    return Browse([(p, e) for p, e in rows], total, regions)


@dataclass
class PositionPage:
    position: Position
    closed: bool
    hires: int
    reason: str
    referral: Referral | None
    interest: Interest | None

    @property
    def state(self) -> str:
        """How far the graduate got with the post, in the words the lists use (engagement)."""
        if self.referral is not None:
            return referral_words(self.referral.state, self.referral.source)
        interested = self.interest is not None and self.interest.kind == InterestKind.INTERESTED
        return INTERESTED_LABEL if interested else ""


def position_page(session: Session, actor: Actor, position_id: int, policy: Policy) -> PositionPage:
    """One position as the graduate reads it: open posts of approved employers, and any post
    the graduate got somewhere with; why it is recommended, where it is."""
    g = own_graduate(session, actor)
    position = session.get(Position, position_id)
    if position is None or position.employer.status != EmployerStatus.APPROVED:
        raise NotFound("没有该岗位")
    referral = session.scalar(
        select(Referral).where(Referral.graduate_id == g.id, Referral.position_id == position.id)
    )
    interest = session.scalar(
        select(Interest).where(Interest.graduate_id == g.id, Interest.position_id == position.id)
    )
    closed = not is_open(position, policy.today)
    if closed and referral is None and interest is None:
        raise NotFound("该岗位已截止或关闭")
    reason = ""
    if not closed:
        for item in recommend(session, g, policy, None, 200):
            if item.id == position.id:
                reason = item.reason
                break
    hires = session.scalar(
        select(func.count()).where(
            Referral.position_id == position.id, Referral.state == ReferralState.HIRED
        )
    )
    return PositionPage(position, closed, hires or 0, reason, referral, interest)


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
