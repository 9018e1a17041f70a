"""Personal access tokens for GET /api/v1/stats: issued by HQ or a province for its own org,
stored hashed, revocable, with their last use recorded."""

from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..actors import Actor
from ..audit import record
from ..errors import DomainError, Forbidden, NotFound
from ..models import ApiToken, Org, OrgLevel, Role, utcnow

PREFIX = "msv_"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _issuing_org(session: Session, actor: Actor) -> Org:
    org = session.get(Org, actor.org_id) if actor.org_id else None
    allowed = org is not None and (
        actor.role == Role.HQ or (actor.role == Role.OFFICER and org.level == OrgLevel.PROVINCE)
    )
    if not allowed or org is None:
        raise Forbidden("只有全总和省（区、市）总工会可以签发访问令牌")
    return org


#: What a token may be given: the statistics table, or the matcher's lists within its reach.
STATS_READ = "stats:read"
MATCHING_READ = "matching:read"
TOKEN_SCOPES = (STATS_READ, MATCHING_READ)


def issue(
    session: Session, actor: Actor, label: str, scopes: tuple[str, ...] = (STATS_READ,)
) -> tuple[ApiToken, str]:
    """A new token for the actor's org; the returned value is shown once and never stored."""
    org = _issuing_org(session, actor)
    if not scopes or any(s not in TOKEN_SCOPES for s in scopes):
        raise DomainError("令牌权限无效", field="scopes")
    label = label.strip()
    if not label or len(label) > 100:
        raise DomainError("请填写令牌用途（不超过100个字）", field="label")
    value = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        org_id=org.id,
        issued_by_id=actor.user_id,
        label=label,
        token_hash=_hash(value),
        prefix=value[:12],
        scopes=" ".join(sorted(set(scopes))),
    )
    session.add(token)
    session.flush()
    record(
        session,
        actor,
        "create",
        token,
        org_id=org.id,
        details={"label": label, "scopes": token.scopes},
    )
    return token, value


def tokens_of(session: Session, actor: Actor) -> list[ApiToken]:
    org = _issuing_org(session, actor)
    return list(
        session.scalars(
            select(ApiToken).where(ApiToken.org_id == org.id).order_by(ApiToken.id.desc())
        )
    )


def revoke(session: Session, actor: Actor, token_id: int) -> ApiToken:
    org = _issuing_org(session, actor)
    token = session.get(ApiToken, token_id)
    if token is None or token.org_id != org.id:
        raise NotFound("未找到该令牌")
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        record(session, actor, "revoke", token, org_id=org.id)
    return token


def actor_for_token(session: Session, value: str, scope: str) -> Actor | None:
    """The actor a valid, unrevoked token stands for (its org's reach); records the use.
    None for no such token; Forbidden when the token may not read `scope`."""
    if not value.startswith(PREFIX):
        return None
    token = session.scalar(select(ApiToken).where(ApiToken.token_hash == _hash(value)))
    if token is None or token.revoked_at is not None:
        return None
    if scope not in token.scopes.split():
        raise Forbidden("该访问令牌无权读取此项数据（统计令牌只能读取统计表）")
    org = session.get(Org, token.org_id)
    assert org is not None
    token.last_used_at = utcnow()
    role = Role.HQ if org.level == OrgLevel.HQ else Role.OFFICER
    return Actor(role=role, label=f"令牌 {token.prefix}…", org_id=org.id, org_path=org.path)
