"""GET /api/v1/stats: the table as JSON (DOMAIN.md's shape) for a signed-in officer or HQ."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, jsonify, request
from flask_login import current_user
from sqlalchemy import select

from .. import areacodes
from ..actors import Actor
from ..errors import DomainError, Forbidden, NotFound
from ..extensions import csrf, db
from ..jurisdiction import org_in_region
from ..models import HQ_CODE, Org, OrgLevel, Role
from ..web.forms import db_int
from ..web.guards import current_actor
from .campaigns import get_campaign
from .compute import compute_table
from .reports import find_report, table_to_show
from .tokens import STATS_READ, actor_for_token

bp = Blueprint("stats_api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)


@bp.errorhandler(DomainError)
def domain_error(err: DomainError) -> Any:
    return jsonify({"error": err.message}), err.status


def _api_actor(scope: str = STATS_READ) -> Actor | None:
    """A bearer token's actor (if the token may read `scope`), else the signed-in user's; None
    when neither."""
    header = request.headers.get("Authorization", "")
    if header.startswith("Bearer "):
        return actor_for_token(db.session, header.removeprefix("Bearer ").strip(), scope)
    if current_user.is_authenticated:
        return current_actor()
    return None


@bp.route("/stats")
def stats() -> Any:
    actor = _api_actor()
    if actor is None:
        return jsonify({"error": "请先登录，或提供有效的访问令牌（Authorization: Bearer …）"}), 401
    if actor.role not in (Role.OFFICER, Role.HQ):
        raise Forbidden("只有工会工作人员和全总可以查看统计表")
    year = request.args.get("campaign", type=db_int)
    if year is None:
        raise DomainError("缺少参数 campaign（活动年份）")
    code = request.args.get("org", HQ_CODE)
    cutoff_text = request.args.get("cutoff")
    try:
        cutoff = date.fromisoformat(cutoff_text) if cutoff_text else None
    except ValueError:
        raise DomainError("cutoff 须为 YYYY-MM-DD") from None
    # a 市辖区 row (110100) or a past code is the division it is today
    org = db.session.scalar(select(Org).where(Org.code == (areacodes.counted_as(code) or code)))
    if org is None or not org_in_region(actor, org):
        raise NotFound("没有该组织，或不在您的管辖范围内")
    campaign = get_campaign(db.session, year)
    if cutoff is None and org.level == OrgLevel.PROVINCE:
        # a province's table as its officers and HQ see it: submitted (frozen) or live, with
        # the items 01–05 it entered
        report = find_report(db.session, campaign, org)
        return jsonify(table_to_show(db.session, campaign, org, report))
    return jsonify(compute_table(db.session, campaign, org, cutoff))
