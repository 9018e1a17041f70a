"""Issue 26's low items: registering after the campaign's cutoff says the day counts in no table
of it; the employer's home counts lead to the posts (per post, to its applicants and interest)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session

from matchsvc.actors import Actor
from matchsvc.auth.service import create_user
from matchsvc.graduates.service import register_graduate
from matchsvc.models import Campaign, InterestKind, Role
from matchsvc.referrals.interest import set_interest
from matchsvc.referrals.service import refer

from ..conftest import graduate_input, make_id, officer_actor
from ..helpers import PASSWORD, TODAY, employer, login, post


def test_registering_after_the_cutoff_is_told_before_saving(
    session: Session,
    hq_actor: Actor,
    client,  # type: ignore[no-untyped-def]
) -> None:
    create_user(
        session, hq_actor, role=Role.OFFICER, username="gz", password=PASSWORD, org_code="440100"
    )
    session.add(Campaign(year=2012, **Campaign.default_dates(2012)))
    session.commit()
    login(client, "gz", PASSWORD)
    page = client.get("/graduates/new").get_data(as_text=True)
    assert 'id="registration-note"' in page and "2012-08-31" in page and "06 项" in page
    running = Campaign(
        year=TODAY.year,
        starts_on=TODAY - timedelta(days=1),
        ends_on=TODAY + timedelta(days=30),
        cutoff_on=TODAY + timedelta(days=30),
        report_due_on=TODAY + timedelta(days=40),
    )
    session.add(running)
    session.commit()
    assert 'id="registration-note"' not in client.get("/graduates/new").get_data(as_text=True)


def test_the_employers_counts_lead_to_the_posts(
    session: Session,
    hq_actor: Actor,
    client,  # type: ignore[no-untyped-def]
) -> None:
    e = employer(session, 95)
    create_user(
        session, hq_actor, role=Role.EMPLOYER, username="hr95", password=PASSWORD,
        employer_uscc=e.uscc,
    )  # fmt: skip
    wanted, quiet = post(session, e, "站务员", []), post(session, e, "司机", [])
    officer = officer_actor(session, "440100")
    a = register_graduate(
        session, officer, graduate_input(make_id("440106", seq="951"), "440100", "440100")
    )
    b = register_graduate(
        session, officer, graduate_input(make_id("440106", seq="952"), "440100", "440100")
    )
    set_interest(session, Actor(role=Role.GRADUATE, label="a", graduate_id=a.id), wanted.id,
                 InterestKind.INTERESTED)  # fmt: skip
    refer(session, officer, b.id, wanted.id, TODAY)
    session.commit()
    login(client, "hr95", PASSWORD)
    home = client.get("/employer/").get_data(as_text=True)
    assert 'href="#positions"' in home and 'id="positions"' in home
    assert f'/employer/positions/{wanted.id}#interested">1</a>' in home
    assert f'/employer/positions/{wanted.id}#applicants">1</a>' in home
    assert f"/employer/positions/{quiet.id}#" not in home
    page = client.get(f"/employer/positions/{wanted.id}").get_data(as_text=True)
    assert 'id="applicants"' in page and 'id="interested"' in page
