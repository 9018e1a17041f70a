"""The statistics pages: an org's live table, the province report, headquarters' overview."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select

from .. import clock
from ..audit import record
from ..errors import DomainError
from ..exports import to_csv
from ..extensions import db
from ..models import Campaign, Org, OrgLevel, Role
from ..orgs.service import get_org
from ..web.forms import db_int
from ..web.guards import current_actor, hq_required, own_org_code, staff_required
from ..web.pages import Again, form_page, refused
from ..web.responses import CSV, JSON, XLSX, attachment
from . import reports, tokens
from .aid import AID_KEYS, AID_LINES, AidErrors, parse_aid
from .campaigns import current_campaign, get_campaign, save_campaign
from .drilldown import drill, graduate_names
from .export import (
    NATIONAL_FIRST,
    national_rows,
    notice_rows,
    summary_rows,
    to_national_xlsx,
    to_notice_xlsx,
    wording,
)
from .forms import CampaignForm, ChaseForm, DraftForm, ReopenForm, ReportForm, TokenForm
from .items import LINES

bp = Blueprint("stats", __name__, url_prefix="/stats")


@bp.app_template_global("report_reminders")
def report_reminders() -> list[reports.Reminder]:
    """Reports a signed-in province officer has yet to submit: due soon, overdue, sent back or
    chased by HQ."""
    if not current_user.is_authenticated:
        return []
    try:
        return reports.needs_reminder(db.session, current_actor(), clock.today())
    except Exception:  # an error page must render even when the database is the problem
        return []


def _campaign() -> Campaign:
    """The campaign asked for (?campaign=YEAR), else the current one."""
    year = request.args.get("campaign", type=db_int)
    if year is not None:
        return get_campaign(db.session, year)
    campaign = current_campaign(db.session, clock.today())
    if campaign is None:
        raise DomainError("还没有已开始的年度活动，请先创建（matchsvc campaign create YEAR）")
    return campaign


def _org() -> Org:
    actor = current_actor()
    org = get_org(db.session, own_org_code(actor) or "")
    return org


@bp.route("/")
@staff_required
def index() -> Any:
    campaign = _campaign()
    org = _org()
    report = form = None
    if org.level == OrgLevel.PROVINCE and current_actor().role == Role.OFFICER:
        report = reports.report_for(db.session, campaign, org)
        form = ReportForm(obj=report if request.method == "GET" else None)
        if report.reporter_phone and not form.phone.data:
            form.phone.data = report.reporter_phone
    return render_template("stats/index.html", form=form, **_page(campaign, org, report))


def _page(
    campaign: Campaign,
    org: Org,
    report: Any,
    typed: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
) -> dict[str, Any]:
    """What stats/index.html shows: the table (as submitted, or live with the items 01–05
    entered), and for the 01–05 form what was typed (or saved) and each field's
    error — for the page itself and for a refused 01–05 or 上报."""
    saved = {k: str(v) for k, v in ((report.aid or {}) if report is not None else {}).items()}
    return {
        "table": reports.table_to_show(db.session, campaign, org, report),
        "lines": LINES,
        "campaign": campaign,
        "years": db.session.scalars(select(Campaign.year).order_by(Campaign.year.desc())).all(),
        "report": report,
        "aid_lines": AID_LINES,
        "wording": wording,  # as the printed form words each line
        "aid_values": typed if typed is not None else saved,
        "aid_errors": errors or {},
    }


@bp.route("/items/<key>")
@staff_required
def item(key: str) -> Any:
    campaign = _campaign()
    org = get_org(db.session, request.args.get("org", "") or own_org_code(current_actor()) or "")
    cutoff_text = request.args.get("cutoff")
    try:
        cutoff = date.fromisoformat(cutoff_text) if cutoff_text else None
    except ValueError:
        raise DomainError("cutoff 须为 YYYY-MM-DD") from None
    result = drill(db.session, current_actor(), campaign, org, key, cutoff)
    line = next(line for line in LINES if line.key == key)
    names = (
        graduate_names(db.session, current_actor(), {r.graduate_id for r in result.rows})
        if result.kind == "services"
        else {}
    )
    return render_template(
        "stats/item.html",
        result=result,
        line=line,
        org=org,
        campaign=campaign,
        cutoff=cutoff or campaign.cutoff_on,
        names=names,
    )


@bp.route("/campaigns", methods=["GET", "POST"])
@hq_required
def campaigns() -> Any:
    """HQ creates a year's campaign (dates default to the 2012 pattern) or edits its dates."""
    actor = current_actor()
    form = CampaignForm()
    listing = db.session.scalars(select(Campaign).order_by(Campaign.year.desc())).all()
    if form.validate_on_submit():
        year = form.year.data or 0
        dates = {
            k: getattr(form, k).data for k in ("starts_on", "ends_on", "cutoff_on", "report_due_on")
        }
        try:
            _, created = save_campaign(db.session, actor, year, dates)
        except DomainError as err:
            return refused("stats/campaigns.html", form, err, campaigns=listing)
        flash(f"已创建 {year} 年活动" if created else f"已修改 {year} 年活动的日期", "info")
        return redirect(url_for("stats.campaigns"))
    return form_page("stats/campaigns.html", form, campaigns=listing)


@bp.route("/table.<any(json, csv, xlsx):fmt>")
@staff_required
def download(fmt: str) -> Any:
    """The officer's own table (live, or as submitted once a province has reported)."""
    campaign = _campaign()
    org = _org()
    report = (
        reports.report_for(db.session, campaign, org) if org.level == OrgLevel.PROVINCE else None
    )
    table = reports.table_to_show(db.session, campaign, org, report)
    reporter, phone = (report.reporter or "", report.reporter_phone or "") if report else ("", "")
    record(
        db.session,
        current_actor(),
        "export",
        "stats_table",
        details={"format": fmt, "org": org.code},
    )
    name = f"{org.name}-{campaign.year}年统计表.{fmt}"
    if fmt == "json":
        return attachment(json.dumps(table, ensure_ascii=False), name, JSON)
    if fmt == "csv":
        header, rows = notice_rows(table, reporter, phone)
        return attachment(to_csv(header, rows), name, CSV)
    return attachment(to_notice_xlsx(table, reporter, phone), name, XLSX)


@bp.route("/tokens", methods=["GET", "POST"])
@staff_required
def tokens_page() -> Any:
    actor = current_actor()
    form = TokenForm()
    issued = None
    if form.validate_on_submit():
        _, issued = tokens.issue(db.session, actor, form.label.data or "")
        flash("令牌已签发：它只显示这一次，请立即妥善保存", "info")
    return render_template(
        "stats/tokens.html",
        form=form,
        tokens=tokens.tokens_of(db.session, actor),
        issued=issued,
        revoke_form=FlaskForm(),
    )


@bp.route("/tokens/<int:token_id>/revoke", methods=["POST"])
@staff_required
def revoke_token(token_id: int) -> Any:
    if not FlaskForm().validate_on_submit():
        raise DomainError("表单无效，请重试")
    tokens.revoke(db.session, current_actor(), token_id)
    flash("令牌已吊销", "info")
    return redirect(url_for("stats.tokens_page"))


@bp.route("/aid", methods=["POST"])
@staff_required
def aid() -> Any:
    """保存草稿: the province's one form as it stands (items 01–05 checked when typed)."""
    return _report_form(draft=True)


@bp.route("/submit", methods=["POST"])
@staff_required
def submit() -> Any:
    """确认上报: the same form, everything required; the table is frozen."""
    return _report_form(draft=False)


def _report_form(*, draft: bool) -> Any:
    """The province's one report form — items 01–05, 填报人, 联系电话, 总结报告 — posted to save a
    draft or to submit. Refused, it comes back with every error at once (the form's and the
    figures') and everything typed kept."""
    campaign = _campaign()
    org = _org()
    actor = current_actor()
    reports.check_province_officer(actor, org)  # who may, before what was sent
    form = DraftForm() if draft else ReportForm()
    typed = {key: request.form.get(key, "") for key in AID_KEYS if key in request.form}
    aid_errors: dict[str, str] = {}
    if any(v.strip() for v in typed.values()) or (typed and not draft):
        try:
            parse_aid(typed)
        except AidErrors as err:
            aid_errors = err.errors
    again = Again(
        "stats/index.html",
        lambda: _page(
            campaign,
            org,
            reports.report_for(db.session, campaign, org),
            typed or None,
            aid_errors,
        ),
    )
    valid = form.validate_on_submit()
    if not valid or aid_errors:  # every error at once, beside its field; what was typed kept
        return again(form)
    contact = {
        "reporter": form.reporter.data or "",
        "phone": form.phone.data or "",
        "summary": form.summary.data or "",
    }
    try:
        if draft:
            reports.save_draft(db.session, actor, campaign, org, typed or None, **contact)
        else:
            reports.submit(db.session, actor, campaign, org, aid=typed or None, **contact)
    except DomainError as err:
        return again(form, err)
    if draft:
        flash("已保存草稿：第01–05项、填报人、联系电话和总结报告", "info")
    else:
        flash(f"已上报 {campaign.year} 年统计表；上报后的数字不再随新记录变化", "info")
    return redirect(url_for("stats.index", campaign=campaign.year))


@bp.route("/provinces")
@hq_required
def provinces() -> Any:
    campaign = _campaign()
    statuses = reports.province_statuses(db.session, campaign)
    submitted = reports.submitted_count(statuses)
    return render_template(
        "stats/provinces.html",
        campaign=campaign,
        statuses=statuses,
        submitted=submitted,
        form=ReopenForm(),
    )


@bp.route("/national.xlsx")
@hq_required
def national() -> Any:
    campaign = _campaign()
    header, rows = national_rows(db.session, campaign)
    body = to_national_xlsx(
        header,
        rows,
        f"{campaign.year} 年阳光就业行动统计表（全国，截止 {campaign.cutoff_on}）",
        summary_rows(db.session, campaign),
    )
    record(
        db.session,
        current_actor(),
        "export",
        "stats_national",
        details={"format": "xlsx", "rows": len(rows)},
    )
    return attachment(body, f"全国-{campaign.year}年统计表.xlsx", XLSX)


@bp.route("/dashboard")
@hq_required
def dashboard() -> Any:
    """HQ's charts: one item across provinces, and progress toward submission (SVG, no script)."""
    campaign = _campaign()
    key = request.args.get("item", "06A")
    line = next((line for line in LINES if line.key == key), LINES[0])
    _, rows = national_rows(db.session, campaign)
    column = NATIONAL_FIRST + [x.key for x in LINES].index(line.key)
    bars = sorted(((r[1], r[column]) for r in rows[:-1]), key=lambda b: (-b[1], b[0]))
    statuses = reports.province_statuses(db.session, campaign)
    submitted = reports.submitted_count(statuses)
    return render_template(
        "stats/dashboard.html",
        campaign=campaign,
        line=line,
        lines=LINES,
        bars=bars,
        top=max((v for _, v in bars), default=0) or 1,
        total=rows[-1][column],
        submitted=submitted,
        provinces=len(statuses),
    )


@bp.route("/provinces/<code>")
@hq_required
def province(code: str) -> Any:
    """HQ reads a province's report: 填报人, 联系电话, the 总结报告 and the table (as submitted, or
    live while it has not been), and can chase or send it back."""
    campaign = _campaign()
    org = get_org(db.session, code)
    reports.check_reporting(org)
    report = reports.report_for(db.session, campaign, org)
    return render_template(
        "stats/province.html",
        campaign=campaign,
        org=org,
        report=report,
        table=reports.table_to_show(db.session, campaign, org, report),
        lines=LINES,
        aid_lines=AID_LINES,
        wording=wording,
        late=reports.is_late(campaign, report, clock.today()),
        form=ReopenForm(),
        chase_form=ChaseForm(),
    )


@bp.route("/provinces/<code>/chase", methods=["POST"])
@hq_required
def chase(code: str) -> Any:
    campaign = _campaign()
    form = ChaseForm()
    if not form.validate_on_submit():
        raise DomainError("表单已过期，请刷新后重试")
    org = get_org(db.session, code)
    reports.chase(db.session, current_actor(), campaign, org, form.message.data or "")
    flash(f"已向{org.name}发出催报", "info")
    return redirect(url_for("stats.provinces", campaign=campaign.year))


@bp.route("/provinces/<code>/reopen", methods=["POST"])
@hq_required
def reopen(code: str) -> Any:
    campaign = _campaign()
    form = ReopenForm()
    if not form.validate_on_submit():
        raise DomainError("退回须填写原因")
    org = get_org(db.session, code)
    reports.reopen(db.session, current_actor(), campaign, org, form.reason.data or "")
    flash(f"已退回{org.name}的统计表", "info")
    return redirect(url_for("stats.provinces", campaign=campaign.year))
