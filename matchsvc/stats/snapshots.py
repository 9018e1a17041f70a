"""Stored tables: a snapshot of every org's table for each campaign, once a day while it runs."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Campaign, SnapshotKind, StatsSnapshot
from .compute import compute_tables


def snapshot_open_campaigns(session: Session, today: date) -> int:
    """Store (or refresh) today's table of every org for each campaign between start and report due.

    The table is as of today while the campaign runs and as of its cutoff afterwards. One
    snapshot per campaign, org and day: a second run the same day updates it, never adds one.
    """
    stored = 0
    campaigns = session.scalars(
        select(Campaign).where(Campaign.starts_on <= today, Campaign.report_due_on >= today)
    )
    for campaign in campaigns:
        cutoff = min(today, campaign.cutoff_on)
        existing = {
            s.org_id: s
            for s in session.scalars(
                select(StatsSnapshot).where(
                    StatsSnapshot.campaign_id == campaign.id,
                    StatsSnapshot.kind == SnapshotKind.SCHEDULED,
                    StatsSnapshot.taken_on == today,
                )
            )
        }
        for org_id, items in compute_tables(session, campaign, cutoff).items():
            snapshot = existing.get(org_id)
            if snapshot is None:
                session.add(
                    StatsSnapshot(
                        campaign_id=campaign.id,
                        org_id=org_id,
                        cutoff_on=cutoff,
                        kind=SnapshotKind.SCHEDULED,
                        taken_on=today,
                        items=items,
                    )
                )
            else:
                snapshot.items, snapshot.cutoff_on = items, cutoff
            stored += 1
    return stored
