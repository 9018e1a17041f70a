"""The privacy notice a graduate accepts at activation is read against what every employer page
shows: the phone of those who applied or were referred (and of interest taken up), not of those
who only said they are interested, and never an ID number, full or masked."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from matchsvc.actors import Actor
from matchsvc.auth.service import create_user
from matchsvc.graduates.service import register_graduate
from matchsvc.models import Campaign, InterestKind, Role
from matchsvc.pii import mask_id_number
from matchsvc.referrals.interest import set_interest
from matchsvc.referrals.service import apply

from ..conftest import graduate_input, make_id, officer_actor, portal_account
from ..helpers import PASSWORD, TODAY, employer, login, post


def _notice(app: Flask) -> str:
    assert app.jinja_loader is not None
    source, _, _ = app.jinja_loader.get_source(app.jinja_env, "portals/_privacy.html")
    return source


def test_the_notice_says_what_employer_pages_show(
    app: Flask, client: FlaskClient, session: Session, hq_actor: Actor
) -> None:
    promise = _notice(app)
    assert "还能看到您的手机号" in promise and "看不到您的身份证号" in promise
    assert "看不到身份证号和手机号" not in promise  # the old, false promise

    session.add(Campaign(year=TODAY.year, **Campaign.default_dates(TODAY.year)))
    gz = officer_actor(session, "440100")
    people = {}
    for seq, name, phone in (("711", "林应聘", "13800138711"), ("712", "周兴趣", "13800138712")):
        number = make_id("440106", seq=seq)
        people[name] = (
            number,
            phone,
            register_graduate(
                session, gz, graduate_input(number, "440100", "440100", name=name, phone=phone)
            ),
        )
        portal_account(session, hq_actor, f"u{seq}", PASSWORD, graduate_id_number=number)
    e = employer(session, 91)
    create_user(
        session,
        hq_actor,
        role=Role.EMPLOYER,
        username="hr91",
        password=PASSWORD,
        employer_uscc=e.uscc,
    )
    p = post(session, e, "站务员", [], headcount=2)
    session.flush()

    def graduate(name: str) -> Actor:
        g = people[name][2]
        return Actor(role=Role.GRADUATE, label=name, graduate_id=g.id)

    apply(session, graduate("林应聘"), p.id, TODAY)
    set_interest(session, graduate("周兴趣"), p.id, InterestKind.INTERESTED)
    session.commit()

    login(client, "hr91", PASSWORD)
    pages = {}
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/employer") or "GET" not in (rule.methods or set()):
            continue
        if rule.arguments == {"position_id"}:
            url = rule.rule.replace("<int:position_id>", str(p.id))
        elif rule.arguments:
            continue
        else:
            url = rule.rule
        response = client.get(url)
        if response.status_code == 200 and response.mimetype == "text/html":
            pages[url] = response.get_data(as_text=True)
    assert f"/employer/positions/{p.id}" in pages and len(pages) >= 3
    for url, page in pages.items():
        for number, _, _ in people.values():
            assert number not in page and mask_id_number(number) not in page, url
        assert "13800138712" not in page, url  # only interested: no phone
    assert "13800138711" in pages[f"/employer/positions/{p.id}"]  # applied: the phone, as told
    assert "周兴趣" in pages[f"/employer/positions/{p.id}"]
