"""The officer's desk for graduates: list and search, register, edit, status, archive, transfers."""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_wtf import FlaskForm
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from .. import clock
from ..archives import application
from ..archives import service as archives
from ..audit import history_for, people, positions_named
from ..errors import DomainError, Forbidden
from ..export_runs import service as export_runs
from ..exports import to_csv, to_xlsx
from ..extensions import db
from ..followups import service as followups
from ..jurisdiction import can_edit, get_graduate
from ..models import HQ_CODE, Degree, EmploymentStatus, Hardship, Org, Role, ServiceRecord
from ..orgs.service import org_choices
from ..stats.campaigns import registration_note
from ..web.forms import db_int, org_options
from ..web.guards import current_actor, own_org_code, staff_required
from ..web.pages import Again, check_too, form_page, refused
from ..web.queued import defer_when_committed
from ..web.regions import refreshing
from ..web.responses import CSV, XLSX, attachment
from . import disclosure, lookups, service
from .export import HEADER, audit_export, rows_for_export
from .forms import (
    DecisionForm,
    EditForm,
    ProfileForm,
    RegisterForm,
    StatusForm,
    TransferForm,
    UnmaskedExportForm,
    UnmaskForm,
)
from .parent_employers import confirm_parent_employer, unmatched_parent_employers
from .search import SORTS, GraduateQuery, Page, search
from .transfers import decide_transfer, request_transfer, transfers_for, withdraw_transfer

bp = Blueprint("graduates", __name__, url_prefix="/graduates")


def query_from(args: MultiDict[str, str]) -> GraduateQuery:
    return GraduateQuery(
        q=args.get("q", "")[:50],
        cohort=args.get("cohort", ""),
        status=args.get("status", ""),
        hardship=args.get("hardship", ""),
        home_org=args.get("home_org", "")[:6],
        school_org=args.get("school_org", "")[:6],
        sort=args.get("sort", "registered") if args.get("sort") in SORTS else "registered",
        descending=args.get("dir", "desc") != "asc",
        page=args.get("page", 1, type=db_int) or 1,
    )


@bp.route("/")
@staff_required
def index() -> Any:
    actor = current_actor()
    query = query_from(request.args)
    refused_lookup = None
    try:
        result = search(db.session, actor, query, current_app.config["PAGE_SIZE"])
    except lookups.TooManyLookups as err:  # past the allowance: says so and answers nothing
        result, refused_lookup = Page([], 0, 1, 1), err.message
    return render_template(
        "graduates/index.html",
        refused_lookup=refused_lookup,
        lookup_limit=lookups.limit(),
        result=result,
        query=query,
        args={k: v for k, v in request.args.items() if k != "page"},
        statuses=EmploymentStatus.choices(),
        hardships=Hardship.choices(),
        orgs=org_choices(db.session, actor),
    )


@bp.route("/export.<any(csv, xlsx):fmt>", methods=["GET", "POST"])
@staff_required
def export(fmt: str) -> Any:
    """The list as a file; a list too long to build while the officer waits (a province's,
    the country's) is built in the background once they ask for it (export_runs)."""
    actor = current_actor()
    query = query_from(request.args)
    size = export_runs.count(db.session, actor, query)
    if size > export_runs.queue_at(current_app.config):
        form = FlaskForm()  # the CSRF token: a POST queues the export
        if form.validate_on_submit():
            run = export_runs.queue(db.session, actor, query, fmt, size, _filename(fmt, "毕业生"))
            defer_when_committed("exports_queue", run.id)
            flash(f"已排队生成 {size} 行的名单，生成后会通知您。", "success")
            return redirect(url_for("export_runs.run", export_id=run.id))
        args = {k: v for k, v in request.args.items() if k != "page"}
        limit = export_runs.queue_at(current_app.config)
        return render_template(
            "export_runs/confirm.html", form=form, rows=size, fmt=fmt, limit=limit, args=args
        )
    rows = list(rows_for_export(db.session, actor, query))
    audit_export(db.session, actor, query, fmt, len(rows))
    return _download(fmt, rows, "毕业生")


@bp.route("/export-unmasked", methods=["GET", "POST"])
@staff_required
def export_unmasked() -> Any:
    """The list with full ID numbers and phones: archive keepers only, with a reason, audited."""
    actor = current_actor()
    form = UnmaskedExportForm()
    query = query_from(request.args)
    if actor.role != Role.OFFICER:
        raise Forbidden(disclosure.NOT_KEEPER)
    if not actor.second_factor:
        raise Forbidden(disclosure.NEEDS_SECOND_FACTOR)
    context = {"args": {k: v for k, v in request.args.items() if k != "page"}}
    if not form.validate_on_submit():
        return render_template("graduates/export_unmasked.html", form=form, **context)
    try:
        rows = disclosure.unmasked_rows(db.session, actor, query, form.fmt.data, form.reason.data)
    except DomainError as err:
        return refused("graduates/export_unmasked.html", form, err, **context)
    return _download(form.fmt.data or "xlsx", rows, "毕业生完整信息")


def _filename(fmt: str, what: str) -> str:
    """A download's name: the officer's org, what it is, the day."""
    actor = current_actor()
    org = db.session.get(Org, actor.org_id) if actor.org_id else None
    return f"{org.name if org else '毕业生'}-{what}-{clock.today().isoformat()}.{fmt}"


def _download(fmt: str, rows: list[list[Any]], what: str) -> Response:
    """The list as a workbook or CSV, named for the officer's org and the day."""
    name = _filename(fmt, what)
    if fmt == "csv":
        return attachment(to_csv(HEADER, rows), name, CSV)
    return attachment(to_xlsx(HEADER, rows, "毕业生"), name, XLSX)


def _fill_org_choices(form: ProfileForm) -> None:
    form.home_org.choices = org_options(org_choices(db.session, current_actor()))
    # A school lies in a province, city or county: HQ is no region of its own.
    form.school_region.choices = org_options(c for c in org_choices(db.session) if c[0] != HQ_CODE)


@bp.route("/new", methods=["GET", "POST"])
@staff_required
def register() -> Any:
    form = RegisterForm()
    _fill_org_choices(form)
    if request.method == "GET":
        form.home_org.data = form.school_region.data = own_org_code(current_actor())
        form.degree.data = Degree.BENKE.value
    if form.validate_on_submit() and not refreshing():
        try:
            if form.entry.data == "application":
                graduate = application.enter_application(
                    db.session, current_actor(), form.to_input()
                )
            else:
                graduate = service.register_graduate(db.session, current_actor(), form.to_input())
        except DomainError as err:
            return refused(
                "graduates/form.html",
                form,
                err,
                title="登记毕业生",
                registration_note=registration_note(db.session, clock.today()),
            )
        if form.entry.data == "application":
            flash(f"已录入建档申请：{graduate.name}，请在档案页办理初审", "info")
        else:
            flash(f"已登记：{graduate.name}", "info")
        return redirect(url_for("graduates.detail", graduate_id=graduate.id))
    if form.is_submitted() and not refreshing() and not form.id_number.errors:
        # the duplicate's answer in this round too, not after every other field is fixed
        check_too(
            form,
            lambda: service.check_not_registered(
                db.session, current_actor(), form.id_number.data or "", count_miss=True
            ),
        )
    return form_page(
        "graduates/form.html",
        form,
        title="登记毕业生",
        registration_note=registration_note(db.session, clock.today()),
    )


@bp.route("/<int:graduate_id>/edit", methods=["GET", "POST"])
@staff_required
def edit(graduate_id: int) -> Any:
    actor = current_actor()
    graduate = get_graduate(db.session, actor, graduate_id, edit=True)
    form = EditForm(obj=graduate if request.method == "GET" else None)
    _fill_org_choices(form)
    if request.method == "GET":
        form.origin_region_code.data = graduate.origin_region_code
        form.home_org.data = graduate.home_org.code
        form.school_region.data = graduate.school_org.code
        form.phone.data = ""  # never the full number: a new one replaces it
        form.version.data = str(graduate.version)
        form.hardships.data = [h.value for h in graduate.hardship_categories]
        form.wish_regions.data = list(graduate.wish_regions or [])
        form.degree.data = graduate.degree.value
        form.family_kind.data = graduate.family_kind.value
    if form.validate_on_submit() and not refreshing():
        try:
            changed = service.update_profile(db.session, actor, graduate, form.profile_values())
        except DomainError as err:
            return refused("graduates/form.html", form, err, title="修改档案", graduate=graduate)
        flash("已保存修改" if changed else "没有改动", "info")
        return redirect(url_for("graduates.detail", graduate_id=graduate.id))
    return form_page("graduates/form.html", form, title="修改档案", graduate=graduate)


@bp.route("/<int:graduate_id>")
@staff_required
def detail(graduate_id: int) -> Any:
    actor = current_actor()
    graduate = get_graduate(db.session, actor, graduate_id)
    services = db.session.scalars(
        select(ServiceRecord)
        .where(ServiceRecord.graduate_id == graduate.id)
        .order_by(ServiceRecord.service_date, ServiceRecord.id)
    ).all()
    history = history_for(db.session, graduate)
    return render_template(
        "graduates/detail.html",
        g=graduate,
        services=services,
        editable=can_edit(db.session, actor, graduate),
        unmaskable=disclosure.may_unmask(db.session, actor, graduate),
        status_form=StatusForm(),
        transfer_form=transfer_form(),
        history=history,
        people=people(db.session, history),
        positions=positions_named(db.session, history),
        hires=followups.hires_of(db.session, graduate),
        archive_events=archives.events(db.session, graduate),
        archive_steps=[
            (step, archives.step_label(graduate, step))
            for step in archives.next_steps(db.session, graduate)
        ],
        stable=followups.is_stable,
        yes_no=lambda v: "不清楚" if v is None else ("是" if v else "否"),
    )


@bp.route("/<int:graduate_id>/unmask", methods=["GET", "POST"])
@staff_required
def unmask(graduate_id: int) -> Any:
    """Full ID number and phone, once, after the officer states why; the look is audited."""
    actor = current_actor()
    graduate = get_graduate(db.session, actor, graduate_id)
    if not disclosure.may_unmask(db.session, actor, graduate):
        raise Forbidden(disclosure.NOT_KEEPER)
    if not actor.second_factor:
        raise Forbidden(disclosure.NEEDS_SECOND_FACTOR)
    form = UnmaskForm()
    if not form.validate_on_submit():
        return render_template("graduates/unmask.html", form=form, g=graduate, shown=False)
    try:
        disclosure.reveal(db.session, actor, graduate.id, form.reason.data)
    except DomainError as err:
        return refused("graduates/unmask.html", form, err, g=graduate, shown=False)
    return render_template("graduates/unmask.html", form=form, g=graduate, shown=True)


@bp.route("/<int:graduate_id>/status", methods=["POST"])
@staff_required
def change_status(graduate_id: int) -> Any:
    actor = current_actor()
    graduate = get_graduate(db.session, actor, graduate_id, edit=True)
    form = StatusForm()
    back = url_for("graduates.detail", graduate_id=graduate.id)

    again = Again.small(
        title="更新就业状态",
        subtitle=graduate.name,
        action=url_for("graduates.change_status", graduate_id=graduate.id),
        back=back,
        button="更新状态",
    )

    if not form.validate_on_submit():
        return again(form)
    try:
        service.change_status(
            db.session,
            actor,
            graduate,
            EmploymentStatus(form.status.data),
            form.effective_on.data,
            note=form.note.data or None,
        )
    except DomainError as err:
        return again(form, err)
    flash("就业状态已更新", "info")
    return redirect(back)


def transfer_form() -> TransferForm:
    """The transfer form with every union to choose from, grouped by province."""
    form = TransferForm()
    form.to_org.choices = org_options(
        [("", "请选择接收单位"), *(c for c in org_choices(db.session) if c[0] != HQ_CODE)]
    )
    return form


@bp.route("/<int:graduate_id>/transfer", methods=["POST"])
@staff_required
def transfer(graduate_id: int) -> Any:
    actor = current_actor()
    graduate = get_graduate(db.session, actor, graduate_id, edit=True)
    form = transfer_form()
    back = url_for("graduates.detail", graduate_id=graduate.id)

    again = Again.small(
        title="申请档案转移",
        subtitle=graduate.name,
        action=url_for("graduates.transfer", graduate_id=graduate.id),
        back=back,
        button="申请转移",
    )

    if not form.validate_on_submit():
        return again(form)
    try:
        request_transfer(
            db.session, actor, graduate, form.to_org.data or "", form.reason.data or ""
        )
    except DomainError as err:
        return again(form, err)
    flash("已提交档案转移申请，等待接收单位确认", "info")
    return redirect(back)


@bp.route("/transfers")
@staff_required
def transfers() -> Any:
    incoming, outgoing = transfers_for(db.session, current_actor())
    return render_template(
        "graduates/transfers.html", incoming=incoming, outgoing=outgoing, form=DecisionForm()
    )


@bp.route("/transfers/<int:transfer_id>/<any(accept, refuse):decision>", methods=["POST"])
@staff_required
def decide(transfer_id: int, decision: str) -> Any:
    form = DecisionForm()
    if not form.validate_on_submit():
        raise DomainError("表单无效，请重试")
    decide_transfer(
        db.session, current_actor(), transfer_id, accept=decision == "accept", note=form.note.data
    )
    flash("已接收档案" if decision == "accept" else "已拒绝转移申请", "info")
    return redirect(url_for("graduates.transfers"))


@bp.route("/transfers/<int:transfer_id>/withdraw", methods=["POST"])
@staff_required
def withdraw(transfer_id: int) -> Any:
    form = DecisionForm()
    if not form.validate_on_submit():
        raise DomainError("表单无效，请重试")
    withdraw_transfer(db.session, current_actor(), transfer_id, form.note.data)
    flash("已撤回转移申请，档案仍由本单位管理", "info")
    return redirect(url_for("graduates.transfers"))


@bp.route("/parent-employers", methods=["GET", "POST"])
@staff_required
def parent_employers() -> Any:
    """Review fuzzy matches of parents' employers: confirm the suggested employer or leave it."""
    actor = current_actor()
    form = DecisionForm()
    if form.validate_on_submit():
        graduate = get_graduate(
            db.session, actor, request.form.get("graduate", 0, type=db_int), edit=True
        )
        employer = request.form.get("employer", type=db_int)
        confirm_parent_employer(db.session, actor, graduate, employer)
        flash(f"已确认{graduate.name}的父母工作单位", "info")
        return redirect(url_for("graduates.parent_employers"))
    rows = unmatched_parent_employers(db.session, actor)
    return render_template("graduates/parent_employers.html", rows=rows, form=form)
