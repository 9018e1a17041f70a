"""After the retention period a graduate's personal data is anonymised; the statistics keep
their counts, the person can no longer be found or sign in."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from matchsvc.assistance.service import record_service
from matchsvc.auth.service import create_user
from matchsvc.config import load_config
from matchsvc.graduates.retention import ANONYMOUS, anonymise_expired
from matchsvc.graduates.service import find_by_id_number, register_graduate
from matchsvc.models import Campaign, Graduate, Role, ServiceKind, User
from matchsvc.orgs.service import get_org
from matchsvc.stats.compute import compute_table

from ..conftest import graduate_input, make_id, officer_actor


def test_old_records_are_anonymised_and_counts_stay(session: Session, hq_actor) -> None:  # type: ignore[no-untyped-def]
    actor = officer_actor(session, "440100")
    old_id, new_id = make_id("440106", seq="100"), make_id("440106", born="20030101", seq="101")
    old = register_graduate(
        session,
        actor,
        graduate_input(
            old_id, "440100", "440100", name="陈旧", phone="13911112222", skills="Python"
        ),
    )
    recent = register_graduate(
        session,
        actor,
        graduate_input(
            new_id,
            "440100",
            "440100",
            name="新人",
            graduation_year=2025,
            registered_on=date(2025, 7, 2),
        ),
    )
    record_service(
        session,
        actor,
        old,
        kind=ServiceKind.EMPLOYED,
        on=date(2012, 7, 20),
        org=get_org(session, "440100"),
    )
    create_user(
        session,
        hq_actor,
        role=Role.GRADUATE,
        username="old",
        password="Passw0rd!",
        graduate_id_number=old_id,
    )
    session.add(Campaign(year=2012, **Campaign.default_dates(2012)))
    session.flush()
    campaign = session.scalar(select(Campaign).where(Campaign.year == 2012))
    before = compute_table(session, campaign, get_org(session, "440100"))

    assert anonymise_expired(session, None, date(2026, 11, 28)) == 0  # off by default
    assert anonymise_expired(session, 5, date(2026, 11, 28)) == 1
    assert anonymise_expired(session, 5, date(2026, 11, 28)) == 0  # once

    session.refresh(old)
    assert old.name == ANONYMOUS and old.phone is None and old.skills is None
    assert old.id_number != old_id and old.anonymised_at is not None
    assert find_by_id_number(session, old_id) is None
    assert recent.name == "新人" and recent.anonymised_at is None
    user = session.scalar(select(User).where(User.username == "old"))
    assert user is not None and not user.is_active
    after = compute_table(session, campaign, get_org(session, "440100"))
    assert after["items"] == before["items"]


def test_the_job_reads_the_setting(session: Session, tmp_path: Path) -> None:
    from matchsvc.jobs import JOBS

    job = next(j for j in JOBS if j.id == "retention_anonymise")
    register_graduate(
        session,
        officer_actor(session, "440100"),
        graduate_input(make_id("440106", seq="100"), "440100", "440100"),
    )
    session.flush()
    now = datetime(2026, 11, 28, tzinfo=UTC)
    unset = load_config(tmp_path, {})["RETENTION_YEARS"]
    assert job.run(session, now, {"RETENTION_YEARS": unset}) == 0
    ten = load_config(tmp_path, {"MATCHSVC_RETENTION_YEARS": "10"})["RETENTION_YEARS"]
    assert job.run(session, now, {"RETENTION_YEARS": ten}) == 1
    assert session.scalar(select(Graduate.name)) == ANONYMOUS
