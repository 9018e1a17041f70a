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
    TrainingKind,
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


def test_a_trainee_is_chosen_by_name_not_by_a_number_shown_masked(
    client: FlaskClient, session: Session, hq_actor: Actor
) -> None:
    from datetime import timedelta

    from matchsvc.training.service import TrainingInput, create_offer

    from ..conftest import officer_actor
    from ..helpers import TODAY

    officers(session, hq_actor)
    wants = register_graduate(
        session, hq_actor,
        graduate_input(make_id("440106", seq="311"), "440100", "440100", name="想培训",
                       wants_training=True, school_name="华南理工大学", major_text="电气工程"),
    )  # fmt: skip
    register_graduate(
        session, hq_actor,
        graduate_input(make_id("440106", seq="312"), "440100", "440100", name="不想培训"),
    )  # fmt: skip
    far = register_graduate(
        session, hq_actor,
        graduate_input(make_id("420106", seq="313"), "420100", "420100", name="武汉学员",
                       wants_training=True),
    )  # fmt: skip
    offer = create_offer(
        session, officer_actor(session, "440100"),
        TrainingInput(name="电工培训", kind=TrainingKind.SKILL, skills="电工", org_code="440100",
                      region_code="440100", starts_on=TODAY + timedelta(days=9),
                      ends_on=TODAY + timedelta(days=19), seats=5,
                      signup_closes_on=TODAY + timedelta(days=5)),
    )  # fmt: skip
    session.commit()
    login(client, "gz", "Passw0rd!")
    path = f"/training/{offer.id}"
    page = client.get(path).get_data(as_text=True)
    assert "想培训（华南理工大学 电气工程" in page  # named by name, school and major
    assert "不想培训" not in page and "武汉学员" not in page  # asked for none / out of reach
    assert wants.id_number[6:] not in page  # no number is asked for or shown in full
    token = csrf(client, path)
    nothing = client.post(path, data={"csrf_token": token, "enrolled_on": TODAY.isoformat()})
    assert nothing.status_code == 422 and "请从名单中选择学员" in nothing.get_data(as_text=True)
    forged = client.post(
        path, data={"csrf_token": token, "graduate": str(far.id), "enrolled_on": TODAY.isoformat()}
    )
    assert forged.status_code == 422  # a graduate out of reach, whatever the form says
    for junk in ("99999999999999999999", "-1", "abc"):  # beyond the database's integer too
        bad = client.post(
            path, data={"csrf_token": token, "graduate": junk, "enrolled_on": TODAY.isoformat()}
        )
        assert bad.status_code == 422 and "请从名单中选择学员" in bad.get_data(as_text=True)
    assert session.scalar(select(TrainingEnrollment)) is None
    ok = client.post(
        path,
        data={"csrf_token": token, "graduate": str(wants.id), "enrolled_on": TODAY.isoformat()},
    )
    assert ok.status_code == 302
    enrolled = session.scalar(select(TrainingEnrollment))
    assert enrolled is not None and enrolled.graduate_id == wants.id
    assert (
        "想培训（华南理工大学"
        not in client.get(path).get_data(as_text=True).split("<h2>报名</h2>")[1]
    )
