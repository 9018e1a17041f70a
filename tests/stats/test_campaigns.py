"""One rule for the current campaign, used by the statistics pages and the officers' list: the
campaign whose period holds today, else the latest that started before today. The matcher's 应届
follows it until its year has passed, then today's year."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from matchsvc.actors import Actor
from matchsvc.matching.service import make_policy
from matchsvc.stats.campaigns import create_campaign, current_campaign, current_year


def test_the_current_campaign(session: Session, hq_actor: Actor) -> None:
    assert current_campaign(session, date(2012, 7, 10)) is None  # none yet
    for year in (2011, 2012, 2013):
        create_campaign(session, hq_actor, year)
    # inside a period: that campaign
    assert current_campaign(session, date(2012, 7, 10)).year == 2012  # type: ignore[union-attr]
    # between periods: the latest that started before today (being reported), not the next one
    assert current_campaign(session, date(2012, 12, 1)).year == 2012  # type: ignore[union-attr]
    assert current_campaign(session, date(2013, 6, 30)).year == 2012  # type: ignore[union-attr]
    assert current_campaign(session, date(2013, 7, 1)).year == 2013  # type: ignore[union-attr]
    # before the first one: none, and the year of today for the matcher
    assert current_campaign(session, date(2011, 6, 1)) is None
    assert current_year(session, date(2011, 6, 1)) == 2011
    # who is 应届 for the matcher: the campaign's year, or today's once that year has passed
    assert make_policy(session, {}, date(2012, 12, 1)).campaign_year == 2012
    assert make_policy(session, {}, date(2013, 6, 30)).campaign_year == 2013
    assert make_policy(session, {}, date(2026, 12, 6)).campaign_year == 2026  # 2012's are 往届
    assert current_year(session, date(2026, 12, 6)) == 2013  # the table still reports 2013's


def test_the_stats_page_shows_the_current_campaign(app, session: Session, hq_actor: Actor) -> None:  # type: ignore[no-untyped-def]
    from matchsvc import clock
    from matchsvc.auth.service import create_user
    from matchsvc.models import Role

    from ..helpers import PASSWORD, login

    this_year = clock.today().year
    create_campaign(session, hq_actor, this_year - 1)
    create_campaign(session, hq_actor, this_year + 1)  # created in advance: not current yet
    create_user(session, hq_actor, role=Role.HQ, username="boss", password=PASSWORD)
    session.commit()
    client = app.test_client()
    login(client, "boss", PASSWORD)
    page = client.get("/stats/").get_data(as_text=True)
    assert f"<h1>{this_year - 1} 年阳光就业行动统计表" in page
