"""Recording and voiding services from a graduate's archive page."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, url_for
from sqlalchemy import select

from ..errors import DomainError, NotFound
from ..extensions import db
from ..jurisdiction import get_graduate, org_column_in_region, org_in_region
from ..models import JobFair, Org, ServiceKind, ServiceRecord
from ..orgs.service import get_org, org_choices
from ..web.forms import org_options
from ..web.guards import current_actor, own_org_code, staff_required
from ..web.pages import Again, checked, confirm_first, confirmed, form_page, refused
from . import service
from .forms import FairForm, ServiceForm, VoidForm

bp = Blueprint("assistance", __name__)


@bp.app_template_global("new_service_form")
def new_service_form() -> ServiceForm:
    """The empty form for a service record, as a graduate's archive page shows it."""
    actor = current_actor()
    form = ServiceForm()
    form.org.choices = org_options(org_choices(db.session, actor))
    form.org.data = own_org_code(actor)
    return form


@bp.route("/graduates/<int:graduate_id>/services", methods=["POST"])
@staff_required
def record(graduate_id: int) -> Any:
    actor = current_actor()
    graduate = get_graduate(db.session, actor, graduate_id)
    form = ServiceForm()
    form.org.choices = org_options(org_choices(db.session, actor))
    back = url_for("graduates.detail", graduate_id=graduate.id)

    again = Again.small(
        title="记录帮扶服务",
        subtitle=graduate.name,
        action=url_for("assistance.record", graduate_id=graduate.id),
        back=back,
        button="记录服务",
    )

    def amount() -> None:
        if form.kind.data in {k.value for k in ServiceKind}:
            service.check_amount(
                ServiceKind(form.kind.data), service.parse_amount(form.amount.data)
            )

    def day() -> None:
        if form.service_date.data is not None:
            service.check_date(form.service_date.data)

    valid = form.validate_on_submit()
    if not checked(form, {"amount": amount, "service_date": day}) or not valid:
        return again(form)  # every error at once, beside its field
    kind, money = ServiceKind(form.kind.data), service.parse_amount(form.amount.data)
    twin = service.same_service(db.session, graduate, kind, form.service_date.data, money)
    if twin is not None and not confirmed():
        paid = f"，金额 {twin.amount} 元" if twin.amount is not None else ""
        return confirm_first(
            title="可能重复录入",
            message=f"{graduate.name} 在 {twin.service_date} 已有一条相同的“{kind.label}”记录"
            f"{paid}（{twin.org.name}）。确实是另一次服务吗？",
            action=url_for("assistance.record", graduate_id=graduate.id),
            fields={
                "kind": form.kind.data or "",
                "service_date": form.service_date.data.isoformat(),
                "org": form.org.data or "",
                "amount": form.amount.data or "",
                "remark": form.remark.data or "",
            },
            button="确是另一次，仍然记录",
            back=back,
        )
    try:
        record = service.record_service(
            db.session,
            actor,
            graduate,
            kind=ServiceKind(form.kind.data),
            on=form.service_date.data,
            org=get_org(db.session, form.org.data or ""),
            amount=service.parse_amount(form.amount.data),
            remark=form.remark.data,
        )
    except DomainError as err:
        return again(form, err)
    flash(f"已记录：{record.kind.label}", "info")
    return redirect(back)


@bp.route("/services/<int:service_id>/void", methods=["POST"])
@staff_required
def void(service_id: int) -> Any:
    actor = current_actor()
    record = db.session.scalar(select(ServiceRecord).where(ServiceRecord.id == service_id))
    if record is None:
        raise NotFound("未找到该服务记录")
    get_graduate(db.session, actor, record.graduate_id)
    giving = db.session.get(Org, record.org_id)
    if giving is None or not org_in_region(actor, giving):
        raise NotFound("只有服务单位（或其上级）可以作废这条记录")
    form = VoidForm()
    back = url_for("graduates.detail", graduate_id=record.graduate_id)
    if not form.validate_on_submit():
        return Again.small(
            title="作废帮扶记录",
            subtitle=f"{record.kind.label}（{record.service_date}）",
            action=url_for("assistance.void", service_id=record.id),
            back=back,
            button="作废",
        )(form)
    if not confirmed():
        return confirm_first(
            title="确认作废",
            message=f"作废这条“{record.kind.label}”记录（{record.service_date}）？"
            f"原因：{form.reason.data}。作废后不再计入统计，记录仍留在档案中，不能恢复。",
            action=url_for("assistance.void", service_id=record.id),
            fields={"reason": form.reason.data or ""},
            button="确认作废",
            back=back,
        )
    service.void_service(db.session, actor, record, form.reason.data or "")
    flash("记录已作废（仍保留在档案中，不计入统计）", "info")
    return redirect(url_for("graduates.detail", graduate_id=record.graduate_id))


@bp.route("/fairs/", methods=["GET", "POST"])
@staff_required
def fairs() -> Any:
    actor = current_actor()
    form = FairForm()
    form.org.choices = org_options(org_choices(db.session, actor))
    if not form.is_submitted():
        form.org.data = own_org_code(actor)
    stmt = (
        select(JobFair)
        .where(org_column_in_region(actor, JobFair.org_id))
        .order_by(JobFair.held_on.desc(), JobFair.id.desc())
    )
    context = {"fairs": db.session.scalars(stmt).all()}
    if form.validate_on_submit():
        try:
            fair = service.record_fair(
                db.session,
                actor,
                name=form.name.data or "",
                held_on=form.held_on.data,
                org=get_org(db.session, form.org.data or ""),
                positions_offered=form.positions_offered.data or 0,
            )
        except DomainError as err:
            return refused("assistance/fairs.html", form, err, **context)
        flash(f"已登记活动：{fair.name}", "info")
        return redirect(url_for("assistance.fairs"))
    return form_page("assistance/fairs.html", form, **context)
