"""Jurisdiction at the edges: who may confirm a graduate's report, whose names a training list
and a drill-down show, and one answer for an ID number that is unknown or out of reach."""

from __future__ import annotations

from datetime import date

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from matchsvc.actors import Actor
from matchsvc.assistance.service import record_service
from matchsvc.auth.service import create_user
from matchsvc.errors import NotFound
from matchsvc.graduates.service import register_graduate
from matchsvc.models import (
    Campaign,
    EmploymentStatus,
    Graduate,
    GraduateRequest,
    RequestKind,
    Role,
    ServiceKind,
    TrainingKind,
)
from matchsvc.orgs.service import get_org
from matchsvc.portals.requests import pending_requests, resolve
from matchsvc.training.service import TrainingInput, create_offer, enrol

from ..conftest import graduate_input, make_id, officer_actor
from ..helpers import PASSWORD, csrf, login


def _officers(session: Session, hq: Actor) -> None:
    for username, org in (("gz", "440100"), ("wh", "420100"), ("gd", "440000")):
        create_user(
            session, hq, role=Role.OFFICER, username=username, password=PASSWORD, org_code=org
        )


def test_a_school_region_officer_cannot_confirm_a_signed_report(
    session: Session, hq_actor: Actor
) -> None:
    """Home 广州, school in 武汉: 武汉 sees the graduate but must not change their status."""
    g = register_graduate(
        session,
        hq_actor,
        graduate_input(make_id("440106"), "440100", "420100", name="钱跨省"),
    )
    request = GraduateRequest(
        graduate_id=g.id, kind=RequestKind.SIGNED, text="某公司", signed_on=date(2012, 7, 20)
    )
    session.add(request)
    session.flush()
    school_side = officer_actor(session, "420100")
    assert pending_requests(session, school_side) == []
    with pytest.raises(NotFound):
        resolve(session, school_side, request.id, accept=True)
    session.refresh(g)
    assert g.status != EmploymentStatus.SIGNED and request.resolved_at is None
    resolve(session, officer_actor(session, "440100"), request.id, accept=True)
    session.flush()
    session.refresh(g)
    assert g.status == EmploymentStatus.SIGNED


def _offer_with_an_outsider(session: Session, hq: Actor) -> tuple[int, Graduate, Graduate]:
    """A 广州 training offer with one 广州 graduate and one 湖北 graduate HQ enrolled."""
    own = register_graduate(
        session, hq, graduate_input(make_id("440106"), "440100", "440100", name="孙本地")
    )
    outsider = register_graduate(
        session, hq, graduate_input(make_id("420106"), "420100", "420100", name="周外省")
    )
    offer = create_offer(
        session,
        officer_actor(session, "440100"),
        TrainingInput(
            name="电工培训",
            kind=TrainingKind.SKILL,
            skills="电工",
            certificate=None,
            org_code="440100",
            region_code="440100",
            starts_on=date(2012, 7, 10),
            ends_on=date(2012, 7, 30),
            seats=5,
            signup_closes_on=date(2012, 7, 8),
        ),
    )
    enrol(session, officer_actor(session, "440100"), offer, own, date(2012, 7, 5))
    enrol(session, hq, offer, outsider, date(2012, 7, 5))
    return offer.id, own, outsider


def test_training_list_shows_only_graduates_within_reach(
    client: FlaskClient, session: Session, hq_actor: Actor
) -> None:
    _officers(session, hq_actor)
    offer_id, own, outsider = _offer_with_an_outsider(session, hq_actor)
    session.commit()
    login(client, "gz", PASSWORD)
    page = client.get(f"/training/{offer_id}").get_data(as_text=True)
    assert own.name in page and outsider.name not in page
    assert "另有 1 名学员" in page and "名额 2 / 5" in page


def test_training_enrolment_answers_alike_for_unknown_and_out_of_reach(
    client: FlaskClient, session: Session, hq_actor: Actor
) -> None:
    _officers(session, hq_actor)
    offer_id, _, outsider = _offer_with_an_outsider(session, hq_actor)
    session.commit()
    login(client, "gz", PASSWORD)
    token = csrf(client, f"/training/{offer_id}")
    answers = []
    for number in (make_id("420106", seq="999"), outsider.id_number):  # unknown, out of reach
        response = client.post(
            f"/training/{offer_id}",
            data={"csrf_token": token, "id_number": number, "enrolled_on": "2012-07-06"},
        )
        assert response.status_code in (404, 422)
        body = response.get_data(as_text=True)
        answers.append(
            (response.status_code, "未找到该身份证号的毕业生，或不在您的管辖范围内" in body)
        )
    assert answers[0] == answers[1] and answers[0][1]


def test_drill_down_names_only_graduates_within_reach(
    client: FlaskClient, session: Session, hq_actor: Actor
) -> None:
    """HQ records a policy consultation (12A) for a 湖北 graduate under 广州's org: 广州's item
    counts it, and its list does not name the person."""
    _officers(session, hq_actor)
    session.add(Campaign(year=2012, **Campaign.default_dates(2012)))
    _, own, outsider = _offer_with_an_outsider(session, hq_actor)
    gz = get_org(session, "440100")
    for g in (own, outsider):
        record_service(session, hq_actor, g, kind=ServiceKind.POLICY, on=date(2012, 7, 3), org=gz)
    session.commit()
    login(client, "gz", PASSWORD)
    page = client.get("/stats/items/12A?campaign=2012&org=440100").get_data(as_text=True)
    assert own.name in page and outsider.name not in page and "不在您的管辖范围内" in page
    login(client, "wh", PASSWORD)  # 湖北's own officer of the graduate cannot open 广州's list
    assert client.get("/stats/items/12A?campaign=2012&org=440100").status_code == 404
    assert session.scalar(select(Graduate.name).where(Graduate.id == outsider.id)) == "周外省"
