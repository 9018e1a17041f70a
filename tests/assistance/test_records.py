"""The officer's desk for employers, positions, training offers and job fairs."""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from matchsvc.actors import Actor
from matchsvc.auth.service import create_user
from matchsvc.employers.service import register_employer
from matchsvc.graduates.service import register_graduate
from matchsvc.models import (
    Employer,
    EmployerKind,
    EmployerStatus,
    JobFair,
    Position,
    Role,
    ServiceKind,
    ServiceRecord,
    TrainingEnrollment,
    TrainingOffer,
)

from ..conftest import graduate_input, make_id
from ..helpers import csrf, login

USCC = "91350100M000100Y43"


def officers(session: Session, hq_actor: Actor) -> None:
    for username, org in (("gz", "440100"), ("wh", "420100")):
        create_user(
            session,
            hq_actor,
            role=Role.OFFICER,
            username=username,
            password="Passw0rd!",
            org_code=org,
        )
    session.commit()


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


def test_training_enrol_and_complete(
    client: FlaskClient, session: Session, hq_actor: Actor
) -> None:
    officers(session, hq_actor)
    graduate = register_graduate(
        session, hq_actor, graduate_input(make_id("440106"), "440100", "440100")
    )
    outsider = register_graduate(
        session, hq_actor, graduate_input(make_id("420106"), "420100", "420100")
    )
    session.commit()
    login(client, "gz", "Passw0rd!")
    token = csrf(client, "/training/")
    offer = {
        "csrf_token": token,
        "name": "低压电工作业培训",
        "kind": "skill",
        "skills": "电工",
        "certificate": "低压电工证",
        "org": "440100",
        "region_code": "440100",
        "starts_on": "2012-07-10",
        "ends_on": "2012-07-30",
        "seats": "1",
        "signup_closes_on": "2012-07-08",
    }
    assert client.post("/training/", data=offer).status_code == 302
    created = session.scalar(select(TrainingOffer))
    assert created is not None
    enrol = {"csrf_token": token, "id_number": outsider.id_number, "enrolled_on": "2012-07-05"}
    assert (
        client.post(f"/training/{created.id}", data=enrol).status_code == 422
    )  # not in 广州's jurisdiction
    enrol["id_number"] = graduate.id_number
    assert client.post(f"/training/{created.id}", data=enrol).status_code == 302
    full = client.post(f"/training/{created.id}", data=enrol)
    assert full.status_code == 422 and "名额已满" in full.get_data(as_text=True)
    enrollment = session.scalar(select(TrainingEnrollment))
    assert enrollment is not None
    done = client.post(
        f"/training/enrolments/{enrollment.id}/complete",
        data={"csrf_token": token, "completed_on": "2012-07-30", "certificate": "y"},
    )
    assert done.status_code == 302
    kinds = sorted(
        s.kind.value
        for s in session.scalars(
            select(ServiceRecord).where(ServiceRecord.graduate_id == graduate.id)
        )
    )
    assert kinds == sorted([ServiceKind.SKILL_TRAINING.value, ServiceKind.CERTIFICATE.value])
    again = client.post(
        f"/training/enrolments/{enrollment.id}/complete",
        data={"csrf_token": token, "completed_on": "2012-07-30"},
    )
    assert again.status_code == 409


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
