"""就业见习 in the officer's desk: the region's 见习基地 with their flags and the approval form; a
base's interns, its month's 花名册 and 补贴申领 (on screen and printed); a graduate's agreements
with the form of each next step (one page, the action named in the form); HQ's rates."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from sqlalchemy import select

from .. import areacodes, clock
from ..errors import DomainError
from ..extensions import db
from ..jurisdiction import get_graduate, org_column_in_region, org_in_region
from ..models import (
    Approver,
    Employer,
    EmployerStatus,
    Graduate,
    Internship,
    InternshipBase,
    InternshipRate,
    InternshipState,
    Org,
    OrgLevel,
    Position,
    PositionKind,
    PositionStatus,
)
from ..web.forms import options
from ..web.guards import current_actor, hq_required, staff_required
from ..web.pages import errors_on_form, graduates_row, one_of_forms
from ..web.responses import XLSX, attachment
from . import service, sheets, subsidy
from .forms import (
    ApplyForm,
    BaseForm,
    CompleteForm,
    DecideForm,
    InsureForm,
    RateForm,
    SignForm,
    StartForm,
    TerminateForm,
)

bp = Blueprint("internships", __name__, url_prefix="/internships")
S = InternshipState


def _employers(actor: Any) -> list[tuple[str, str]]:
    rows = db.session.execute(
        select(Employer.id, Employer.name)
        .where(
            Employer.status == EmployerStatus.APPROVED, org_column_in_region(actor, Employer.org_id)
        )
        .order_by(Employer.name)
    ).all()
    return [("", "请选择"), *((str(i), name) for i, name in rows)]


@bp.route("/", methods=["GET", "POST"])
@staff_required
def index() -> Any:
    actor = current_actor()
    form = BaseForm()
    form.employer_id.choices = options(_employers(actor))
    status = 200
    if request.method == "POST":
        status = 422
        if form.validate_on_submit():
            # the choices were the officer's approved employers; the form refuses any other
            employer = db.session.get_one(Employer, int(form.employer_id.data))
            try:
                base = service.approve_base(
                    db.session, actor, employer, Approver(form.approver.data),
                    form.approval_ref.data or "", form.approved_from.data,
                    form.approved_until.data,
                )  # fmt: skip
            except DomainError as err:
                errors_on_form(form, err)
            else:
                flash(f"已认定见习基地：{employer.name}，{base.approved_until} 前有效", "info")
                return redirect(url_for("internships.index"))
    today = clock.today()
    bases = db.session.scalars(
        select(InternshipBase)
        .where(org_column_in_region(actor, InternshipBase.org_id))
        .order_by(InternshipBase.approved_until.desc(), InternshipBase.id)
    ).all()
    rows = [
        (b, subsidy.retention(db.session, b.id, today), subsidy.flags(db.session, b, today),
         _on_post_count(b.id, today))
        for b in bases
    ]  # fmt: skip
    return render_template("internships/index.html", rows=rows, form=form, today=today), status


def _on_post_count(base_id: int, on: date) -> int:
    return sum(
        1
        for i in subsidy.agreements(db.session, base_id)
        if i.state == S.ON_POST and i.on_post_from is not None and i.on_post_from <= on
    )


def _base(base_id: int) -> InternshipBase:
    base = db.session.get(InternshipBase, base_id)
    org = db.session.get(Org, base.org_id) if base is not None else None
    if base is None or org is None or not org_in_region(current_actor(), org):
        abort(404)
    return base


def _month() -> date:
    """`?month=YYYY-MM`, else the current month; a month that cannot be read is a 400."""
    raw = request.args.get("month")
    if not raw:
        return clock.today().replace(day=1)
    try:
        year, month = (int(x) for x in raw.split("-"))
        return date(year, month, 1)
    except ValueError:
        abort(400)


@bp.route("/bases/<int:base_id>")
@staff_required
def base(base_id: int) -> Any:
    b = _base(base_id)
    month = _month()
    claim = subsidy.claim(db.session, b, month)
    everyone = subsidy.agreements(db.session, b.id)  # the claim's interns are among them
    return render_template(
        "internships/base.html",
        b=b,
        month=month,
        claim=claim,
        people=_names([i.graduate_id for i in everyone]),
        agreements=everyone,
        flags=subsidy.flags(db.session, b, clock.today()),
        province=areacodes.full_name(subsidy.province_of(db.session, b)),
        ends={i.id: service.planned_end(i) for i in everyone if i.starts_on},
    )


def _names(ids: list[int]) -> dict[int, Graduate]:
    if not ids:
        return {}
    return {g.id: g for g in db.session.scalars(select(Graduate).where(Graduate.id.in_(ids)))}


#: The printed sheets of a base's month: (writer, the file's name).
SHEETS = {
    "roster": (sheets.roster, "见习人员花名册"),
    "claim": (sheets.claim_sheet, "见习补贴申领表"),
}


@bp.route("/bases/<int:base_id>/<any(roster, claim):sheet>.xlsx")
@staff_required
def sheet(base_id: int, sheet: str) -> Any:
    b = _base(base_id)
    month = _month()
    write, title = SHEETS[sheet]
    body = write(db.session, subsidy.claim(db.session, b, month))
    return attachment(body, f"{title}-{b.employer.name}-{month:%Y年%m月}.xlsx", XLSX)


STEP_FORMS = {
    "sign": SignForm,
    "insure": InsureForm,
    "start": StartForm,
    "complete": CompleteForm,
    "terminate": TerminateForm,
    "decide": DecideForm,
}


def _posts(actor: Any) -> list[tuple[str, str]]:
    today = clock.today()
    rows = db.session.execute(
        select(Position.id, Position.title, Employer.name)
        .join(Employer, Employer.id == Position.employer_id)
        .join(InternshipBase, InternshipBase.employer_id == Employer.id)
        .where(
            Position.kind == PositionKind.INTERNSHIP,
            Position.status == PositionStatus.OPEN,
            InternshipBase.approved_from <= today,
            InternshipBase.approved_until >= today,
            org_column_in_region(actor, Employer.org_id),
        )
        .order_by(Employer.name, Position.id)
    ).all()
    return [("", "请选择"), *((str(pid), f"{title}（{name}）") for pid, title, name in rows)]


@bp.route("/graduates/<int:graduate_id>", methods=["GET", "POST"])
@staff_required
def graduate(graduate_id: int) -> Any:
    actor = current_actor()
    g = get_graduate(db.session, actor, graduate_id, edit=True)
    forms: dict[str, Any] = {"apply": ApplyForm(), **{k: f() for k, f in STEP_FORMS.items()}}
    forms["apply"].position_id.choices = options(_posts(actor))
    if request.method == "POST":
        action, done, status = one_of_forms(
            forms, lambda action, form: _act(action, form, g),
            url_for("internships.graduate", graduate_id=g.id),
        )  # fmt: skip
        return done or (_page(g, forms, action), status)
    return _page(g, forms, None)


def _agreement(g: Graduate, form: Any) -> Internship:
    row: Internship = graduates_row(Internship, form.internship_id.data, g.id, "没有该见习协议")
    return row


def _act(action: str, form: Any, g: Graduate) -> str:
    actor, s = current_actor(), db.session
    if action == "apply":
        # the choices were the officer's bases' posts, and the form refuses any other value
        position = s.get_one(Position, int(form.position_id.data))
        service.apply(s, actor, g, position, form.applied_on.data)
        return f"已报名：{position.title}"
    i = _agreement(g, form)
    if action == "sign":
        service.sign(
            s, actor, i, signed_on=form.signed_on.data, starts_on=form.starts_on.data,
            months=form.months.data, allowance=form.allowance.data,
        )  # fmt: skip
        return f"已签订见习协议：{i.starts_on} 起 {i.planned_months} 个月"
    if action == "insure":
        service.insure(
            s, actor, i, policy_no=form.policy_no.data or "", insurer=form.insurer.data or "",
            insured_from=form.insured_from.data, insured_until=form.insured_until.data,
        )  # fmt: skip
        return "已登记人身意外伤害保险"
    if action == "start":
        service.start(s, actor, i, form.on.data)
        return f"已上岗：{i.on_post_from}，已记录实习见习服务"
    if action == "complete":
        service.complete(s, actor, i, clock.today())
        return f"见习期满：{i.ended_on}"
    if action == "terminate":
        service.terminate(s, actor, i, form.on.data, form.reason.data or "")
        return f"已提前终止：{i.ended_on}"
    retained = form.outcome.data == "retained"
    service.decide(s, actor, i, retained, form.on.data)
    return "已记为留用，并记录实现就业" if retained else "已记为未留用，恢复为其推荐岗位"


#: The steps open to an agreement in each state.
NEXT = {
    S.APPLIED: ("sign", "insure"),
    S.SIGNED: ("insure", "start", "terminate"),
    S.ON_POST: ("insure", "complete", "terminate"),
    S.COMPLETED: ("decide",),
    S.TERMINATED: ("decide",),
}


def _page(g: Graduate, forms: dict[str, Any], posted: str | None) -> str:
    agreements = list(
        db.session.scalars(
            select(Internship).where(Internship.graduate_id == g.id).order_by(Internship.id.desc())
        )
    )
    return render_template(
        "internships/graduate.html",
        g=g,
        agreements=agreements,
        current=service.open_internship(db.session, g.id),
        ends={i.id: service.planned_end(i) for i in agreements if i.starts_on},
        forms=forms,
        posted=posted,
        next_steps=NEXT,
        today=clock.today(),
    )


@bp.route("/rates", methods=["GET", "POST"])
@hq_required
def rates() -> Any:
    actor = current_actor()
    form = RateForm()
    names = dict(
        db.session.execute(
            select(Org.code, Org.name).where(Org.level == OrgLevel.PROVINCE).order_by(Org.code)
        ).all()
    )
    form.province_code.choices = options([("", "请选择"), *names.items()])
    status = 200
    if request.method == "POST":
        status = 422
        if form.validate_on_submit():
            try:
                subsidy.set_rate(
                    db.session, actor, form.province_code.data,
                    minimum_wage=form.minimum_wage.data, share_pct=form.share_pct.data,
                    higher_pct=form.higher_pct.data, source=form.source.data or "",
                )  # fmt: skip
            except DomainError as err:
                errors_on_form(form, err)
            else:
                flash("见习补贴标准已保存", "info")
                return redirect(url_for("internships.rates"))
    table = db.session.scalars(select(InternshipRate).order_by(InternshipRate.province_code)).all()
    return render_template("internships/rates.html", form=form, rates=table, names=names), status
