"""GET /api/v1/stats: the table as JSON (DOMAIN.md's shape) for a signed-in officer or HQ."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, jsonify, request
from flask_login import current_user
from sqlalchemy import select

from ..errors import DomainError, Forbidden, NotFound
from ..extensions import csrf, db
from ..jurisdiction import org_in_region
from ..models import HQ_CODE, Org, Role
from ..web import current_actor
from .campaigns import get_campaign
from .compute import compute_table

bp = Blueprint("stats_api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)


@bp.errorhandler(DomainError)
def domain_error(err: DomainError) -> Any:
    return jsonify({"error": err.message}), err.status


@bp.route("/stats")
def stats() -> Any:
    if not current_user.is_authenticated:
        return jsonify({"error": "请先登录"}), 401
    if current_user.role not in (Role.OFFICER, Role.HQ):
        raise Forbidden("只有工会工作人员和全总可以查看统计表")
    year = request.args.get("campaign", type=int)
    if year is None:
        raise DomainError("缺少参数 campaign（活动年份）")
    code = request.args.get("org", HQ_CODE)
    cutoff_text = request.args.get("cutoff")
    try:
        cutoff = date.fromisoformat(cutoff_text) if cutoff_text else None
    except ValueError:
        raise DomainError("cutoff 须为 YYYY-MM-DD") from None
    actor = current_actor()
    org = db.session.scalar(select(Org).where(Org.code == code))
    if org is None or not org_in_region(actor, org):
        raise NotFound("没有该组织，或不在您的管辖范围内")
    return jsonify(compute_table(db.session, get_campaign(db.session, year), org, cutoff))
