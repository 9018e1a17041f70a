"""Province reports: a province submits its table (frozen) with 填报人, 联系电话 and 总结报告;
only headquarters reopens one, with a reason."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..actors import Actor
from ..audit import record
from ..errors import Conflict, DomainError, Forbidden
from ..models import Campaign, Org, OrgLevel, ProvinceReport, ReportState, Role, utcnow
from .compute import compute_table

_PHONE = re.compile(r"^[0-9+\-() ]{7,30}$")
#: Days before the due date from which province officers are reminded.
REMIND_DAYS = 7


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


def submit(
    session: Session,
    actor: Actor,
    campaign: Campaign,
    org: Org,
    *,
    reporter: str,
    phone: str,
    summary: str,
) -> ProvinceReport:
    """Freeze the province's table as of the campaign's cutoff, with who reports it."""
    check_province_officer(actor, org)
    reporter, phone, summary = reporter.strip(), phone.strip(), summary.strip()
    if not reporter or len(reporter) > 50:
        raise DomainError("请填写填报人（不超过50个字）", field="reporter")
    if not _PHONE.match(phone):
        raise DomainError("联系电话格式不正确", field="phone")
    if not summary:
        raise DomainError("请填写总结报告", field="summary")
    report = report_for(session, campaign, org)
    if report.state == ReportState.SUBMITTED:
        raise Conflict("本省统计表已上报；如需修改，请联系全总退回")
    table = compute_table(session, campaign, org)
    report.items, report.cutoff_on = table["items"], campaign.cutoff_on
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
    return report


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
    """The submitted (frozen) table once the province has reported, else the live one."""
    if report is not None and report.state == ReportState.SUBMITTED:
        return submitted_table(session, campaign, org)
    return compute_table(session, campaign, org)


@dataclass
class ProvinceStatus:
    org: Org
    report: ProvinceReport | None


#: The region table has 台湾省, 香港 and 澳门 at province level; 全总 has no provincial union
#: there, so the 31 provincial unions report (各省上报, the national workbook).
NOT_REPORTING = ("710000", "810000", "820000")


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
    return [ProvinceStatus(p, reports.get(p.id)) for p in provinces]


def submitted_count(statuses: list[ProvinceStatus]) -> int:
    return sum(
        1 for s in statuses if s.report is not None and s.report.state == ReportState.SUBMITTED
    )


def needs_reminder(session: Session, actor: Actor, today: date) -> list[Campaign]:
    """Campaigns whose report a province officer has not submitted and that fall due soon."""
    if actor.role != Role.OFFICER or actor.org_id is None:
        return []
    org = session.get(Org, actor.org_id)
    if org is None or org.level != OrgLevel.PROVINCE:
        return []
    due = session.scalars(
        select(Campaign).where(
            Campaign.report_due_on >= today,
            Campaign.report_due_on <= today + timedelta(days=REMIND_DAYS),
        )
    ).all()
    submitted = set(
        session.scalars(
            select(ProvinceReport.campaign_id).where(
                ProvinceReport.org_id == org.id, ProvinceReport.state == ReportState.SUBMITTED
            )
        )
    )
    return [c for c in due if c.id not in submitted]
