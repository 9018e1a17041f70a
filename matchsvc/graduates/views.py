"""The officer's list of graduates and one graduate's archive page (read-only in the foundation)."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, request
from flask_login import login_required
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..jurisdiction import can_edit, get_graduate, graduate_scope
from ..models import Graduate, ServiceRecord
from ..web import current_actor

bp = Blueprint("graduates", __name__, url_prefix="/graduates")


@bp.route("/")
@login_required
def index():
    actor = current_actor()
    page = max(request.args.get("page", 1, type=int) or 1, 1)
    size = current_app.config["PAGE_SIZE"]
    scope = graduate_scope(actor)
    total = db.session.scalar(select(func.count()).select_from(Graduate).where(scope)) or 0
    rows = db.session.scalars(
        select(Graduate)
        .where(scope)
        .options(selectinload(Graduate.home_org), selectinload(Graduate.school_org))
        .order_by(Graduate.registered_on.desc(), Graduate.id.desc())
        .limit(size)
        .offset((page - 1) * size)
    ).all()
    pages = max((total + size - 1) // size, 1)
    return render_template("graduates/index.html", rows=rows, total=total, page=page, pages=pages)


@bp.route("/<int:graduate_id>")
@login_required
def detail(graduate_id: int):
    actor = current_actor()
    graduate = get_graduate(db.session, actor, graduate_id)
    services = db.session.scalars(
        select(ServiceRecord)
        .where(ServiceRecord.graduate_id == graduate.id)
        .order_by(ServiceRecord.service_date, ServiceRecord.id)
    ).all()
    return render_template(
        "graduates/detail.html",
        g=graduate,
        services=services,
        editable=can_edit(db.session, actor, graduate),
    )
