"""JSON for signed-in users within their reach:
GET /api/v1/graduates/<id>/recommendations?kind=&limit=  and  GET /api/v1/positions/<id>/candidates?limit=
"""

from __future__ import annotations

from functools import partial
from typing import Any

from flask import Blueprint, current_app, jsonify, request

from .. import clock
from ..errors import DomainError, Forbidden
from ..extensions import csrf, db
from ..models import Role, Surface
from ..outcomes import impressions
from ..stats.api import _api_actor
from ..stats.tokens import MATCHING_READ
from ..web.later import later
from . import service

bp = Blueprint("matching_api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)


@bp.errorhandler(DomainError)
def domain_error(err: DomainError) -> Any:
    return jsonify({"error": err.message}), err.status


def _int_arg(name: str, default: int) -> int:
    raw = request.args.get(name)
    if raw is None:
        return default
    if not raw.isdigit():  # "" too: the OpenAPI document says an integer
        raise DomainError(f"参数 {name} 须为正整数")
    return int(raw)


def _unauthorised() -> Any:
    return jsonify({"error": "请先登录，或提供有效的访问令牌（Authorization: Bearer …）"}), 401


@bp.route("/graduates/<int:graduate_id>/recommendations")
def recommendations(graduate_id: int) -> Any:
    actor = _api_actor(MATCHING_READ)
    if actor is None:
        return _unauthorised()
    if actor.role == Role.EMPLOYER:
        raise Forbidden("用人单位不能查看毕业生的推荐")
    policy = service.make_policy(db.session, current_app.config, clock.today())
    kind = request.args.get("kind")  # absent: all kinds; present, it must be one (even "")
    items = service.recommend_for(
        db.session, actor, graduate_id, policy, kind, _int_arg("limit", 20)
    )
    later(
        partial(
            impressions.shown_to, actor=actor, surface=Surface.API, graduate_id=graduate_id,
            kind=kind, items=items,
        )
    )  # fmt: skip
    return jsonify([r.as_json() for r in items])


@bp.route("/positions/<int:position_id>/candidates")
def candidates(position_id: int) -> Any:
    actor = _api_actor(MATCHING_READ)
    if actor is None:
        return _unauthorised()
    policy = service.make_policy(db.session, current_app.config, clock.today())
    _, views = service.candidates_for(db.session, actor, position_id, policy, _int_arg("limit", 50))
    later(
        partial(
            impressions.candidates_shown, actor=actor, surface=Surface.API,
            position_id=position_id, items=[v.candidate for v in views],
        )
    )  # fmt: skip
    return jsonify(
        [
            {
                "graduate_id": v.candidate.graduate_id if v.revealed else None,
                "name": v.name,
                "major": v.major,
                "degree": v.degree,
                "fresh": v.fresh,
                "fit": v.candidate.fit,
                "components": v.candidate.components,
                "rules": v.candidate.rules,
                "reason": v.candidate.reason,
            }
            for v in views
        ]
    )
