"""Campaigns: one year's action with its period, cutoff and report due date."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..actors import Actor
from ..audit import record
from ..errors import DomainError, NotFound
from ..models import Campaign


def current_campaign(session: Session, today: date) -> Campaign | None:
    """The campaign of `today`: the one whose period holds today, else the latest that started
    before today (the one being reported); None before the first campaign starts."""
    running = session.scalar(
        select(Campaign)
        .where(Campaign.starts_on <= today, Campaign.ends_on >= today)
        .order_by(Campaign.starts_on.desc())
        .limit(1)
    )
    if running is not None:
        return running
    return session.scalar(
        select(Campaign)
        .where(Campaign.starts_on < today)
        .order_by(Campaign.starts_on.desc())
        .limit(1)
    )


def current_year(session: Session, today: date) -> int:
    """The current campaign's year (today's year before any campaign has started)."""
    campaign = current_campaign(session, today)
    return campaign.year if campaign is not None else today.year


def registration_note(session: Session, today: date) -> str | None:
    """What an officer registering today should know: past the current campaign's cutoff, a
    registration dated today counts in no table of that campaign (DOMAIN.md's 06: registered on
    or before the cutoff), so catching up on that summer's graduates needs their own date."""
    campaign = current_campaign(session, today)
    if campaign is None or today <= campaign.cutoff_on:
        return None
    return (
        f"今天已过 {campaign.year} 年阳光就业行动的统计截止日（{campaign.cutoff_on}）：按今天登记的，"
        f"不计入 {campaign.year} 年统计表的登记人数（06 项）；补登当年已登记的毕业生，"
        "请填写当时的登记日期。"
    )


def fresh_year(session: Session, today: date) -> int:
    """The graduation year that is 应届 today, as the matcher and its reasons read it: the current
    campaign's, or today's year once that campaign's year has passed — a 2012 graduate is not
    应届 in 2026 because the last campaign held was 2012's. (The statistics table keeps its
    campaign's own year: DOMAIN.md's 06B.)"""
    return max(current_year(session, today), today.year)


def save_campaign(
    session: Session,
    actor: Actor,
    year: int,
    dates: dict[str, date | None],
) -> tuple[Campaign, bool]:
    """HQ creates a year's campaign (dates not given follow the 2012 pattern) or changes the dates
    of the existing one (dates not given stay); returns it and whether it was created."""
    existing = session.scalar(select(Campaign).where(Campaign.year == year))
    if existing is None:
        created = create_campaign(session, actor, year, **dates)
        assert created is not None
        return created, True
    kept = {k: v or getattr(existing, k) for k, v in dates.items()}
    return edit_campaign(session, actor, existing, **kept), False


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
