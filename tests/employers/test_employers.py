"""The officer's desk for employers and their positions: register, post, approve."""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from matchsvc.actors import Actor
from matchsvc.employers.service import register_employer
from matchsvc.models import (
    Employer,
    EmployerKind,
    EmployerStatus,
    Position,
)

from ..helpers import csrf, login, officers

USCC = "91350100M000100Y43"


def test_register_employer_and_post_a_position(
    client: FlaskClient, session: Session, hq_actor: Actor
) -> None:
    officers(session, hq_actor)
    login(client, "gz", "Passw0rd!")
    token = csrf(client, "/employers/")
    bad = client.post(
        "/employers/",
        data={
            "csrf_token": token,
            "name": "x",
            "uscc": USCC[:-1] + "0",
            "kind": "soe",
            "org": "440100",
        },
    )
    assert bad.status_code == 422 and "校验位" in bad.get_data(as_text=True)
    forged = client.post(
        "/employers/",
        data={"csrf_token": token, "name": "x", "uscc": USCC, "kind": "soe", "org": "420100"},
    )
    assert forged.status_code == 422  # an org outside the officer's region is not a choice
    ok = client.post(
        "/employers/",
        data={
            "csrf_token": token,
            "name": "广州地铁集团有限公司",
            "uscc": USCC.lower(),
            "kind": "soe",
            "org": "440100",
        },
    )
    assert ok.status_code == 302
    employer = session.scalar(select(Employer).where(Employer.uscc == USCC))
    assert employer is not None and employer.status == EmployerStatus.APPROVED
    dup = client.post(
        "/employers/",
        data={"csrf_token": token, "name": "别名", "uscc": USCC, "kind": "soe", "org": "440100"},
    )
    assert dup.status_code == 409 and "已登记" in dup.get_data(as_text=True)
    position = {
        "csrf_token": token,
        "kind": "job",
        "title": "站务员",
        "majors": "交通运输、机电一体化技术",
        "min_degree": "zhuanke",
        "work_region_code": "440100",
        "headcount": "10",
        "pay_min": "3000",
        "pay_max": "2000",
        "published_on": "2012-07-01",
    }
    refused = client.post(f"/employers/{employer.id}", data=position)
    assert refused.status_code == 422 and "薪酬下限不能高于上限" in refused.get_data(as_text=True)
    position["pay_max"] = "4500"
    assert client.post(f"/employers/{employer.id}", data=position).status_code == 302
    saved = session.scalar(select(Position).where(Position.employer_id == employer.id))
    assert saved is not None and [m.text for m in saved.majors] == ["交通运输", "机电一体化技术"]
    login(client, "wh", "Passw0rd!")
    assert client.get(f"/employers/{employer.id}").status_code == 404
    assert "广州地铁" not in client.get("/employers/").get_data(as_text=True)


def test_approve_pending_employer(client: FlaskClient, session: Session, hq_actor: Actor) -> None:
    officers(session, hq_actor)
    employer = register_employer(
        session,
        hq_actor,
        name="待审单位",
        uscc=USCC,
        kind=EmployerKind.CHARITABLE,
        org_code="440100",
    )
    session.commit()
    login(client, "wh", "Passw0rd!")
    token = csrf(client, "/employers/")
    assert (
        client.post(f"/employers/{employer.id}/approve", data={"csrf_token": token}).status_code
        == 404
    )
    login(client, "gz", "Passw0rd!")
    token = csrf(client, "/employers/")
    assert (
        client.post(f"/employers/{employer.id}/approve", data={"csrf_token": token}).status_code
        == 302
    )
    session.refresh(employer)
    assert employer.status == EmployerStatus.APPROVED and employer.approved_at is not None
