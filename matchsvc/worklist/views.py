"""今日待办: one page per officer, and the archives of each kind to verify."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, render_template, request
from flask_login import current_user

from .. import clock
from ..extensions import db
from ..followups import service as followups
from ..models import OrgLevel
from ..portals import requests as graduate_requests
from ..portals.forms import EmptyForm
from ..referrals import deadlines
from ..web.guards import current_actor, staff_required
from . import service

bp = Blueprint("worklist", __name__, url_prefix="/todo")

PAGE = 50


@bp.route("/")
@staff_required
def index() -> Any:
    actor = current_actor()
    today = clock.today()
    groups = service.groups(db.session, actor, on=today)
    level = current_actor_level()
    return render_template(
        "worklist/index.html",
        groups={g.key: g for g in groups},
        today=today,
        by_org=service.by_org(db.session, actor, on=today)
        if level in (OrgLevel.HQ, OrgLevel.PROVINCE)
        else None,
        columns=service.OVERDUE_COLUMNS,
        kinds=service.ARCHIVE_KINDS,
        overdue_days=followups.overdue_days,
        waited_days=deadlines.waited_days,
        request_days=graduate_requests.waiting_days,
        request_limit=graduate_requests.request_days(),
        form=EmptyForm(),
        lifecycle_states={key: state.value for key, _, state in service.LIFECYCLE_GROUPS},
        next_step={
            "applied": ("reviewed", "初审"),
            "to_visit": ("visited", "登记入户调查"),
            "to_publicise": ("publicised", "开始公示"),
            "publicity": ("opened", "建档"),
        },
    )


def current_actor_level() -> OrgLevel | None:
    org = current_user.org
    return org.level if org is not None else None


@bp.route("/archives/<kind>")
@staff_required
def archives(kind: str) -> Any:
    if kind not in service.ARCHIVE_KINDS:
        abort(404)
    actor = current_actor()
    page = max(request.args.get("page", 1, type=int) or 1, 1)
    query = service.archives(db.session, actor, kind)
    total = service.count_of(db.session, query)
    rows = db.session.scalars(query.limit(PAGE).offset((page - 1) * PAGE)).all()
    return render_template(
        "worklist/archives.html",
        kind=kind,
        title=service.ARCHIVE_KINDS[kind],
        rows=rows,
        total=total,
        page=page,
        pages=max((total + PAGE - 1) // PAGE, 1),
    )
