"""推荐效果: the measures of whether recommendations lead to jobs, for HQ and the provinces (and
nobody else: a city's or a county's numbers are read in its province's), each over its own
region, as charts beside their tables and CSV downloads."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from wtforms import IntegerField
from wtforms.validators import NumberRange, Optional

from .. import clock
from ..actors import Actor
from ..exports import to_csv
from ..extensions import db
from ..models import HQ_CODE
from ..orgs.service import get_org
from ..validators import parse_date
from ..web.guards import current_actor, own_org_code, staff_required
from ..web.queued import defer_when_committed
from ..web.responses import CSV, attachment
from . import metrics, replay_runs, report

bp = Blueprint("outcomes", __name__, url_prefix="/outcomes")


def _period() -> tuple[date | None, date | None, str | None]:
    """The period asked for; a date that cannot be read is said beside the form, and the
    default period shown."""
    try:
        since = parse_date(request.args["since"]) if request.args.get("since") else None
        until = parse_date(request.args["until"]) if request.args.get("until") else None
    except ValueError as err:
        return None, None, f"日期无法识别：{err}"
    if until is not None and until > clock.today():
        until = clock.today()
    if since is not None and until is not None and since > until:
        return None, None, "起始日期不能晚于截止日期"
    return since, until, None


def _reader() -> Actor:
    """HQ or a province's officer, else 403."""
    actor = current_actor()
    if not actor.is_province_or_national:
        abort(403)
    return actor


@bp.route("/")
@staff_required
def index(replay_form: ReplayForm | None = None) -> Any:
    actor = _reader()
    since, until, error = _period()
    r = report.build(db.session, actor, since, until)
    code = own_org_code(actor)
    scope = get_org(db.session, code).name if code else "全国"
    rates = [
        (bucket, round(100 * row["hired"] / row["shown"], 1) if row["shown"] else 0.0)
        for bucket, row in r.funnel.items()
    ]
    org_id = actor.org_id if code else _hq_id()
    run = replay_runs.latest(db.session, org_id)
    return render_template(
        "outcomes/index.html",
        replay_run=run,
        replayed=replay_runs.shown(run),
        replay_form=replay_form or ReplayForm(formdata=None),
        r=r,
        scope=scope,
        error=error,
        ks=metrics.KS,
        funnel_rates=rates,
        province_bars=[(row[0], row[4]) for row in r.tables["provinces"].rows],
        years=current_app.config.get("IMPRESSION_YEARS", 2),
    )


class ReplayForm(FlaskForm):
    campaign = IntegerField(
        "只回放这一年的录用",
        validators=[
            Optional(),
            NumberRange(min=2000, max=2100, message="请填写 2000–2100 之间的年份"),
        ],
    )


def _hq_id() -> int | None:
    return get_org(db.session, HQ_CODE).id


@bp.route("/replay", methods=["POST"])
@staff_required
def replay_request() -> Any:
    """Queue a replay of the reader's org's hires (the job runs it; the page shows the result)."""
    actor = _reader()
    form = ReplayForm()
    if not form.validate_on_submit():
        return index(replay_form=form), 422
    code = own_org_code(actor) or HQ_CODE
    org = get_org(db.session, code)
    run, new = replay_runs.queue(db.session, actor, org, form.campaign.data)
    if new:
        defer_when_committed("outcomes_replay", run.id)
    flash("已排队回放，完成后在本页查看结果。" if new else "回放已在排队中。", "success")
    return redirect(url_for("outcomes.index") + "#replay")


@bp.route("/<table>.csv")
@staff_required
def export(table: str) -> Any:
    since, until, _ = _period()
    r = report.build(db.session, _reader(), since, until)
    found = r.tables.get(table)
    if found is None:
        abort(404)
    body = to_csv(["", *found.head], found.rows)
    return attachment(body, f"推荐效果-{found.title}-{r.since}至{r.until}.csv", CSV)
