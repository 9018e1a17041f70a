"""勤工俭学 in the officer's desk: the summer's report over the officer's region (on screen and as
CSV), and the open 勤工俭学 posts students can be referred to."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template, request
from sqlalchemy import select

from .. import clock
from ..exports import to_csv
from ..extensions import db
from ..jurisdiction import org_column_in_region
from ..matching import loader
from ..models import Employer, Position, PositionKind
from ..web.guards import current_actor, staff_required
from ..web.responses import CSV, attachment
from . import service

bp = Blueprint("work_study", __name__, url_prefix="/work-study")


def _year() -> int:
    """`?year=`, else this year; a year out of range is this year."""
    year = request.args.get("year", type=int)
    today = clock.today()
    return year if year is not None and 2000 <= year <= today.year + 1 else today.year


@bp.route("/")
@staff_required
def index() -> Any:
    actor = current_actor()
    year = _year()
    lines, total = service.summer_report(db.session, actor, year)
    today = clock.today()
    posts = db.session.execute(
        select(Position, Employer.name)
        .join(Employer, Employer.id == Position.employer_id)
        .where(Position.kind == PositionKind.WORK_STUDY, loader.open_position_filter(today))
        .where(org_column_in_region(actor, Employer.org_id))
        .order_by(Position.work_starts_on, Position.id)
        .limit(200)
    ).all()
    return render_template(
        "work_study/index.html", year=year, lines=lines, total=total, posts=posts,
        head=service.HEAD, row=service.as_row,
    )  # fmt: skip


@bp.route("/report.csv")
@staff_required
def report_csv() -> Any:
    year = _year()
    lines, total = service.summer_report(db.session, current_actor(), year)
    body = to_csv(service.HEAD, [service.as_row(x) for x in [*lines, total]])
    return attachment(body, f"勤工俭学-{year}年.csv", CSV)
