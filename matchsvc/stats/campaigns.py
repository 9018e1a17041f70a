"""Campaigns: one year's action with its period, cutoff and report due date."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..actors import Actor
from ..audit import record
from ..errors import DomainError, NotFound
from ..models import Campaign


def get_campaign(session: Session, year: int) -> Campaign:
    campaign = session.scalar(select(Campaign).where(Campaign.year == year))
    if campaign is None:
        raise NotFound(f"没有 {year} 年的活动，请先创建（matchsvc campaign create {year}）")
    return campaign


def create_campaign(
    session: Session,
    actor: Actor,
    year: int,
    *,
    starts_on: date | None = None,
    ends_on: date | None = None,
    cutoff_on: date | None = None,
    report_due_on: date | None = None,
) -> Campaign | None:
    """Create a year's campaign (defaults: the 2012 pattern); None, changing nothing, if it exists."""
    if session.scalar(select(Campaign.id).where(Campaign.year == year)) is not None:
        return None
    dates = Campaign.default_dates(year)
    given = {
        "starts_on": starts_on,
        "ends_on": ends_on,
        "cutoff_on": cutoff_on,
        "report_due_on": report_due_on,
    }
    dates.update({k: v for k, v in given.items() if v is not None})
    if not dates["starts_on"] <= dates["ends_on"]:
        raise DomainError("结束日期不能早于开始日期")
    if not dates["starts_on"] <= dates["cutoff_on"] <= dates["report_due_on"]:
        raise DomainError("须满足：开始日期 ≤ 统计截止日期 ≤ 上报截止日期")
    campaign = Campaign(year=year, **dates)
    session.add(campaign)
    session.flush()
    record(session, actor, "create", campaign, details={"year": year})
    return campaign


def edit_campaign(
    session: Session,
    actor: Actor,
    campaign: Campaign,
    *,
    starts_on: date,
    ends_on: date,
    cutoff_on: date,
    report_due_on: date,
) -> Campaign:
    """HQ changes a campaign's dates, checked as on creation."""
    if not starts_on <= ends_on:
        raise DomainError("结束日期不能早于开始日期")
    if not starts_on <= cutoff_on <= report_due_on:
        raise DomainError("须满足：开始日期 ≤ 统计截止日期 ≤ 上报截止日期")
    campaign.starts_on, campaign.ends_on = starts_on, ends_on
    campaign.cutoff_on, campaign.report_due_on = cutoff_on, report_due_on
    record(session, actor, "update", campaign, details={"year": campaign.year})
    return campaign
