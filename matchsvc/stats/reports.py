"""Province reports: a province submits its table (frozen) with 填报人, 联系电话 and 总结报告;
only headquarters reopens one, with a reason."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from .. import clock
from ..actors import Actor
from ..audit import record
from ..errors import Conflict, DomainError, Forbidden, NotFound
from ..models import Campaign, Org, OrgLevel, ProvinceReport, ReportState, Role, utcnow
from ..notices.service import notify, officers_of
from .aid import parse_aid
from .compute import compute_table

_PHONE = re.compile(r"^[0-9+\-() ]{7,30}$")
#: Days before the due date from which province officers are reminded.
REMIND_DAYS = 7


def find_report(session: Session, campaign: Campaign, org: Org) -> ProvinceReport | None:
    return session.scalar(
        select(ProvinceReport).where(
            ProvinceReport.campaign_id == campaign.id, ProvinceReport.org_id == org.id
        )
    )


def report_for(session: Session, campaign: Campaign, org: Org) -> ProvinceReport:
    report = session.scalar(
        select(ProvinceReport).where(
            ProvinceReport.campaign_id == campaign.id, ProvinceReport.org_id == org.id
        )
    )
    if report is None:
        report = ProvinceReport(campaign_id=campaign.id, org_id=org.id, state=ReportState.DRAFT)
        session.add(report)
        session.flush()
    return report


def check_province_officer(actor: Actor, org: Org) -> None:
    if org.level != OrgLevel.PROVINCE or actor.role != Role.OFFICER or actor.org_id != org.id:
        raise Forbidden("只有省（区、市）总工会的工作人员可以上报本省的统计表")


def _check_contact(reporter: str, phone: str, summary: str, *, required: bool) -> None:
    if len(reporter) > 50 or (required and not reporter):
        raise DomainError("请填写填报人（不超过50个字）", field="reporter")
    if (phone or required) and not _PHONE.match(phone):
        raise DomainError("联系电话格式不正确", field="phone")
    if required and not summary:
        raise DomainError("请填写总结报告", field="summary")


def _open_report(session: Session, campaign: Campaign, org: Org) -> ProvinceReport:
    report = report_for(session, campaign, org)
    if report.state == ReportState.SUBMITTED:
        raise Conflict("本省统计表已上报；如需修改，请联系全总退回")
    return report


def save_draft(
    session: Session,
    actor: Actor,
    campaign: Campaign,
    org: Org,
    aid: dict[str, Any] | None,
    *,
    reporter: str,
    phone: str,
    summary: str,
) -> ProvinceReport:
    """The province's report saved as it stands: items 01–05 (checked, when any is typed),
    填报人, 联系电话 and the 总结报告, none required yet."""
    check_province_officer(actor, org)
    reporter, phone, summary = reporter.strip(), phone.strip(), summary.strip()
    _check_contact(reporter, phone, summary, required=False)
    report = _open_report(session, campaign, org)
    if aid is not None and any(str(v or "").strip() for v in aid.values()):
        report.aid = parse_aid(aid)
    report.reporter = reporter or None
    report.reporter_phone = phone or None
    report.summary = summary or None
    report.updated_at = utcnow()
    record(session, actor, "aid", report, org_id=org.id, details={"campaign": campaign.year})
    return report


def submit(
    session: Session,
    actor: Actor,
    campaign: Campaign,
    org: Org,
    *,
    reporter: str,
    phone: str,
    summary: str,
    aid: dict[str, Any] | None = None,
) -> ProvinceReport:
    """Freeze the province's table as of the campaign's cutoff, with who reports it and the
    总结报告; items 01–05 as typed in the same form (or, given none, as saved before)."""
    check_province_officer(actor, org)
    reporter, phone, summary = reporter.strip(), phone.strip(), summary.strip()
    _check_contact(reporter, phone, summary, required=True)
    report = _open_report(session, campaign, org)
    if aid is not None:
        report.aid = parse_aid(aid)
    if not report.aid:
        raise DomainError("请先填写第01–05项（金秋助学）的数字，再上报")
    table = compute_table(session, campaign, org)
    report.items, report.cutoff_on = {**report.aid, **table["items"]}, campaign.cutoff_on
    report.reporter, report.reporter_phone, report.summary = reporter, phone, summary
    report.state, report.submitted_at, report.submitted_by_id = (
        ReportState.SUBMITTED,
        utcnow(),
        actor.user_id,
    )
    report.updated_at = utcnow()
    record(session, actor, "submit", report, org_id=org.id, details={"campaign": campaign.year})
    return report


def reopen(
    session: Session, actor: Actor, campaign: Campaign, org: Org, reason: str
) -> ProvinceReport:
    if actor.role != Role.HQ:
        raise Forbidden("只有全总可以退回已上报的统计表")
    reason = reason.strip()
    if not reason:
        raise DomainError("退回须填写原因", field="reason")
    report = report_for(session, campaign, org)
    if report.state != ReportState.SUBMITTED:
        raise Conflict("该省尚未上报，无需退回")
    report.state, report.submitted_at, report.items = ReportState.REOPENED, None, None
    report.reopen_reason, report.updated_at = reason, utcnow()
    record(
        session,
        actor,
        "reopen",
        report,
        org_id=org.id,
        details={"campaign": campaign.year, "reason": reason},
    )
    notify(
        session,
        officers_of(session, org.id),
        f"全总退回了本省 {campaign.year} 年的统计表：{reason.rstrip('。.')}。请修改后重新上报。",
        f"/stats/?campaign={campaign.year}",
        "统计表被退回",
    )
    return report


def chase(
    session: Session, actor: Actor, campaign: Campaign, org: Org, message: str
) -> ProvinceReport:
    """HQ's 催报: a notice to a province that has not submitted, on its officers' pages."""
    if actor.role != Role.HQ:
        raise Forbidden("只有全总可以催报")
    check_reporting(org)
    report = report_for(session, campaign, org)
    if report.state == ReportState.SUBMITTED:
        raise Conflict(f"{org.name}已上报，无需催报")
    # one full stop, whatever was typed: pages and notices add their own
    message = " ".join((message or "").split())[:200].rstrip("。.！!；; ")
    report.chased_at = utcnow()
    report.chase_message = message or f"请尽快上报 {campaign.year} 年统计表和总结报告"
    record(
        session,
        actor,
        "chase",
        report,
        org_id=org.id,
        details={"campaign": campaign.year, "message": report.chase_message},
    )
    notify(
        session,
        officers_of(session, org.id),
        f"全总催报 {campaign.year} 年统计表：{report.chase_message}。",
        f"/stats/?campaign={campaign.year}",
        "催报",
    )
    return report


def is_late(campaign: Campaign, report: ProvinceReport | None, today: date) -> bool:
    """Past the due date and not submitted (reopened counts as not submitted)."""
    submitted = report is not None and report.state == ReportState.SUBMITTED
    return not submitted and today > campaign.report_due_on


def submitted_table(session: Session, campaign: Campaign, org: Org) -> dict[str, Any]:
    """The frozen table as submitted (DOMAIN.md shape)."""
    report = report_for(session, campaign, org)
    if report.state != ReportState.SUBMITTED or report.items is None or report.cutoff_on is None:
        raise DomainError(f"{org.name}尚未上报 {campaign.year} 年的统计表")
    return {
        "org": org.code,
        "org_name": org.name,
        "campaign": campaign.year,
        "cutoff": report.cutoff_on.isoformat(),
        "items": report.items,
    }


def table_to_show(
    session: Session, campaign: Campaign, org: Org, report: ProvinceReport | None
) -> dict[str, Any]:
    """The submitted (frozen) table once the province has reported, else the live one (with
    the items 01–05 entered so far)."""
    if report is not None and report.state == ReportState.SUBMITTED:
        return submitted_table(session, campaign, org)
    table = compute_table(session, campaign, org)
    if report is not None and report.aid:
        table["items"] = {**report.aid, **table["items"]}
    return table


@dataclass
class ProvinceStatus:
    org: Org
    report: ProvinceReport | None
    #: Past the due date and not submitted.
    late: bool = False


#: The region table has 台湾省, 香港 and 澳门 at province level; 全总 has no provincial union
#: there, so the 31 provincial unions report (各省上报, the national workbook).
NOT_REPORTING = ("710000", "810000", "820000")


def check_reporting(org: Org) -> None:
    """NotFound unless the org is one of the 31 provincial unions that report."""
    if org.level != OrgLevel.PROVINCE or org.code in NOT_REPORTING:
        raise NotFound("没有该省（区、市）总工会")


def reporting_provinces(session: Session) -> list[Org]:
    """The 31 provincial unions (省、自治区、直辖市总工会) that submit the table, by code."""
    return list(
        session.scalars(
            select(Org)
            .where(Org.level == OrgLevel.PROVINCE, Org.code.not_in(NOT_REPORTING))
            .order_by(Org.code)
        )
    )


def province_statuses(session: Session, campaign: Campaign) -> list[ProvinceStatus]:
    provinces = reporting_provinces(session)
    reports = {
        r.org_id: r
        for r in session.scalars(
            select(ProvinceReport).where(ProvinceReport.campaign_id == campaign.id)
        )
    }
    today = clock.today()
    return [
        ProvinceStatus(p, reports.get(p.id), is_late(campaign, reports.get(p.id), today))
        for p in provinces
    ]


def submitted_count(statuses: list[ProvinceStatus]) -> int:
    return sum(
        1 for s in statuses if s.report is not None and s.report.state == ReportState.SUBMITTED
    )


@dataclass
class Reminder:
    campaign: Campaign
    #: Days past the due date (0 before it), and HQ's 催报 if one was sent.
    overdue_days: int
    chase_message: str | None
    chased_at: datetime | None
    reopened: bool

    @property
    def overdue_words(self) -> str:
        """已逾期 12 天; a count of thousands of days (a campaign of years ago) is no news."""
        if self.overdue_days <= 0:
            return ""
        if self.overdue_days > REMIND_AFTER_DAYS:
            return "早已逾期"
        return f"已逾期 {self.overdue_days} 天"


#: After the due date the reminder goes on this long (a campaign of years ago does not nag).
REMIND_AFTER_DAYS = 120


def needs_reminder(session: Session, actor: Actor, today: date) -> list[Reminder]:
    """What a province officer is reminded of on every page: a report falling due soon, overdue,
    sent back by HQ, or chased by HQ, until it is submitted."""
    if actor.role != Role.OFFICER or actor.org_id is None:
        return []
    org = session.get(Org, actor.org_id)
    if org is None or org.level != OrgLevel.PROVINCE:
        return []
    reports = {
        r.campaign_id: r
        for r in session.scalars(select(ProvinceReport).where(ProvinceReport.org_id == org.id))
    }
    open_reports = [r.campaign_id for r in reports.values() if r.state != ReportState.SUBMITTED]
    due = session.scalars(
        select(Campaign).where(
            or_(
                Campaign.report_due_on.between(
                    today - timedelta(days=REMIND_AFTER_DAYS), today + timedelta(days=REMIND_DAYS)
                ),
                Campaign.id.in_(
                    [i for i in open_reports if reports[i].chased_at or reports[i].reopen_reason]
                ),
            )
        )
    ).all()
    out = []
    for c in due:
        r = reports.get(c.id)
        if r is not None and r.state == ReportState.SUBMITTED:
            continue
        out.append(
            Reminder(
                campaign=c,
                overdue_days=max(0, (today - c.report_due_on).days),
                chase_message=r.chase_message if r else None,
                chased_at=r.chased_at if r else None,
                reopened=r is not None and r.state == ReportState.REOPENED,
            )
        )
    return out
