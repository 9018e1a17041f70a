"""Training offers: create, enrol within reach, record completion and its services."""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from matchsvc.actors import Actor
from matchsvc.graduates.service import register_graduate
from matchsvc.models import (
    ServiceKind,
    ServiceRecord,
    TrainingEnrollment,
    TrainingOffer,
)

from ..conftest import graduate_input, make_id
from ..helpers import csrf, login, officers

USCC = "91350100M000100Y43"


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
