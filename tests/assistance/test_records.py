"""The officer's desk: job fairs and the review of parents' employers."""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from matchsvc.actors import Actor
from matchsvc.employers.service import register_employer
from matchsvc.graduates.service import register_graduate
from matchsvc.models import (
    EmployerKind,
    JobFair,
)

from ..conftest import graduate_input, make_id
from ..helpers import csrf, login, officers

USCC = "91350100M000100Y43"


def test_fairs(client: FlaskClient, session: Session, hq_actor: Actor) -> None:
    officers(session, hq_actor)
    login(client, "gz", "Passw0rd!")
    token = csrf(client, "/fairs/")
    data = {
        "csrf_token": token,
        "name": "专场招聘会",
        "held_on": "2012-07-20",
        "org": "440100",
        "positions_offered": "0",
    }
    assert client.post("/fairs/", data=data).status_code == 302
    again = client.post("/fairs/", data=data)
    assert again.status_code == 409 and "该活动已登记" in again.get_data(as_text=True)
    assert client.post("/fairs/", data=dict(data, org="420100", name="x")).status_code == 422
    assert session.scalar(select(func.count()).select_from(JobFair)) == 1
    assert "专场招聘会" in client.get("/fairs/").get_data(as_text=True)


def test_review_parent_employer_matches(
    client: FlaskClient, session: Session, hq_actor: Actor
) -> None:
    officers(session, hq_actor)
    employer = register_employer(
        session,
        hq_actor,
        name="广州地铁集团有限公司",
        uscc=USCC,
        kind=EmployerKind.SOE,
        org_code="440100",
        approve=True,
    )
    graduate = register_graduate(
        session,
        hq_actor,
        graduate_input(make_id("440106"), "440100", "440100", parent_employer_name="广州地铁集团"),
    )
    elsewhere = register_graduate(
        session,
        hq_actor,
        graduate_input(
            make_id("420106"), "420100", "440100", name="李四", parent_employer_name="广州地铁"
        ),
    )
    session.commit()
    login(client, "gz", "Passw0rd!")
    page = client.get("/graduates/parent-employers").get_data(as_text=True)
    assert "广州地铁集团有限公司" in page and "广州地铁集团" in page
    assert "李四" not in page  # not 广州's archive to correct
    token = csrf(client, "/graduates/parent-employers")
    forged = client.post(
        "/graduates/parent-employers",
        data={"csrf_token": token, "graduate": elsewhere.id, "employer": employer.id},
    )
    assert (
        forged.status_code == 404
    )  # 武汉's archive: 广州 may see the graduate (school) but not edit
    done = client.post(
        "/graduates/parent-employers",
        data={"csrf_token": token, "graduate": graduate.id, "employer": employer.id},
    )
    assert done.status_code == 302
    session.refresh(graduate)
    assert graduate.parent_employer_id == employer.id
