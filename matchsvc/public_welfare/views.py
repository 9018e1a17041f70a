"""公益性岗位 in the officer's desk: a graduate's periods with their placement, 年度考核 and exit
forms (one page, the action named in the form), and the region's ledger with the subsidy months
per post and the 空岗报告 due."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from sqlalchemy import select

from .. import clock
from ..audit import record
from ..errors import NotFound
from ..exports import to_csv
from ..extensions import db
from ..jurisdiction import get_graduate, org_column_in_region, org_in_region
from ..models import (
    Employer,
    Graduate,
    Org,
    Position,
    PositionKind,
    PositionStatus,
    Tenure,
    TenureExit,
    VacancyReport,
)
from ..web.forms import db_int, options
from ..web.guards import current_actor, staff_required
from ..web.pages import graduates_row, one_of_forms
from ..web.responses import CSV, XLSX, attachment
from . import service
from .forms import AssessForm, ExitForm, PlaceForm
from .sheet import vacancy_sheet

bp = Blueprint("welfare", __name__, url_prefix="/welfare")


def _posts(actor: Any) -> list[tuple[str, str]]:
    rows = db.session.execute(
        select(Position.id, Position.title, Employer.name)
        .join(Employer, Employer.id == Position.employer_id)
        .where(
            Position.kind == PositionKind.PUBLIC_WELFARE,
            Position.status == PositionStatus.OPEN,
            org_column_in_region(actor, Employer.org_id),
        )
        .order_by(Position.id)
    ).all()
    return [("", "请选择"), *((str(pid), f"{title}（{name}）") for pid, title, name in rows)]


@bp.route("/graduates/<int:graduate_id>", methods=["GET", "POST"])
@staff_required
def graduate(graduate_id: int) -> Any:
    actor = current_actor()
    g = get_graduate(db.session, actor, graduate_id, edit=True)
    forms: dict[str, Any] = {"place": PlaceForm(), "assess": AssessForm(), "exit": ExitForm()}
    forms["place"].position_id.choices = options(_posts(actor))
    if request.method == "POST":
        action, done, status = one_of_forms(
            forms, lambda action, form: _act(action, form, g),
            url_for("welfare.graduate", graduate_id=g.id),
        )  # fmt: skip
        return done or (_page(g, forms, action), status)
    return _page(g, forms, None)


def _tenure_of(g: Graduate, form: Any) -> Tenure:
    row: Tenure = graduates_row(Tenure, form.tenure_id.data, g.id, "没有该在岗期间")
    return row


def _act(action: str, form: Any, g: Graduate) -> str:
    actor = current_actor()
    rules = service.rules_from(current_app.config)
    if action == "place":
        # the choices were the officer's posts, and the form refuses any other value
        position = db.session.get(Position, int(form.position_id.data))
        if position is None:
            raise NotFound("没有该岗位，或不在您的管辖范围内", field="position_id")
        t = service.place(db.session, actor, g, position, form.starts_on.data, rules)
        return f"已安置：{t.starts_on} 上岗，计划 {t.planned_end} 期满"
    tenure = _tenure_of(g, form)
    if action == "assess":
        passed = form.outcome.data == "pass"
        service.assess(
            db.session, actor, tenure, form.year.data, passed, form.assessed_on.data,
            form.note.data,
        )  # fmt: skip
        return f"已记录第 {form.year.data} 年考核：{'合格' if passed else '不合格，该年度末退出'}"
    report = service.end_tenure(
        db.session, actor, tenure, form.ended_on.data, TenureExit(form.reason.data),
        form.note.data, rules,
    )  # fmt: skip
    return f"已退出；空岗报告请于 {report.due_on} 前报送"


def _page(g: Graduate, forms: dict[str, Any], posted: str | None) -> str:
    today = clock.today()
    periods = service.tenures(db.session, g.id)
    titles = dict(
        db.session.execute(
            select(Position.id, Position.title).where(
                Position.id.in_([t.position_id for t in periods])
            )
        ).all()
    )
    return render_template(
        "public_welfare/graduate.html",
        g=g,
        periods=periods,
        titles=titles,
        months={t.id: service.subsidy_months(t, today) for t in periods},
        today=today,
        forms=forms,
        posted=posted,
        rules=service.rules_from(current_app.config),
    )


@bp.route("/")
@staff_required
def index() -> Any:
    actor = current_actor()
    today = clock.today()
    reports = db.session.execute(
        select(VacancyReport, Position.title)
        .join(Position, Position.id == VacancyReport.position_id)
        .where(org_column_in_region(actor, VacancyReport.org_id))
        .order_by(VacancyReport.submitted_on.is_not(None), VacancyReport.due_on)
        .limit(200)
    ).all()
    return render_template(
        "public_welfare/index.html",
        lines=_months(actor, today),
        reports=reports,
        today=today,
    )


def _months(actor: Any, today: Any) -> list[service.PostMonths]:
    orgs = select(Org.id).where(org_column_in_region(actor, Org.id))
    return service.subsidy_report(db.session, orgs, today)


@bp.route("/months.csv")
@staff_required
def months_csv() -> Any:
    lines = _months(current_actor(), clock.today())
    body = to_csv(
        ["岗位编号", "岗位", "所在省", "人数", "补贴月数"],
        [[x.position_id, x.title, x.province, x.people, x.months] for x in lines],
    )
    return attachment(body, f"公益性岗位补贴月数-{clock.today()}.csv", CSV)


@bp.route("/report.xlsx")
@staff_required
def report_sheet() -> Any:
    """A 空岗报告 to print (`?id=`), for the approving org's region; without one, the ledger."""
    ident = request.args.get("id", type=db_int)
    if ident is None:
        return redirect(url_for("welfare.index"))
    report = db.session.get(VacancyReport, ident)
    org = db.session.get(Org, report.org_id) if report is not None else None
    if report is None or org is None or not org_in_region(current_actor(), org):
        abort(404)
    body = vacancy_sheet(db.session, report)
    return attachment(body, f"空岗报告-{report.vacant_from}-{report.id}.xlsx", XLSX)


@bp.route("/reports", methods=["POST"])
@staff_required
def submitted() -> Any:
    """The approving org marks a 空岗报告 as filed (the id in the form)."""
    actor = current_actor()
    ident = request.form.get("report_id", type=db_int)
    if ident is None:
        abort(400)
    report = db.session.get(VacancyReport, ident)
    if report is None or report.submitted_on is not None:
        abort(404)
    org = db.session.get(Org, report.org_id)
    if org is None or not org_in_region(actor, org):
        abort(404)
    report.submitted_on = clock.today()
    record(db.session, actor, "vacancy_reported", report, org_id=report.org_id)
    flash("空岗报告已标记为报送。", "info")
    return redirect(url_for("welfare.index"))
