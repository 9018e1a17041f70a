"""Every error of a form in one round: each form submitted with all its fields wrong comes back
once with every message — its validators' and the service's rules' (a duplicate ID number, a
closing date before the publishing date, a taken username) — and nothing is written."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from matchsvc import clock
from matchsvc.actors import Actor
from matchsvc.auth.service import create_user
from matchsvc.graduates.service import register_graduate
from matchsvc.models import AuditEvent, Employer, Graduate, Position, Role

from ..conftest import graduate_input, make_id, officer_actor
from ..helpers import PASSWORD, TODAY, csrf, employer, login, uscc

TAKEN_ID = make_id("440106", seq="612")
#: A credit code whose check character is wrong.
BAD_USCC = uscc(58)[:17] + ("0" if uscc(58)[17] != "0" else "1")


def says_all(response, *messages: str) -> str:  # type: ignore[no-untyped-def]
    """The refused page (422), having every one of the messages."""
    html = str(response.get_data(as_text=True))
    assert response.status_code == 422
    missing = [m for m in messages if m not in html]
    assert not missing, missing
    return html


def test_registration_all_wrong_says_it_all_at_once(app: Flask, session: Session, hq_actor: Actor) -> None:  # fmt: skip
    create_user(
        session, hq_actor, role=Role.OFFICER, username="gz", password=PASSWORD, org_code="440100"
    )
    taken = register_graduate(
        session, officer_actor(session, "440100"), graduate_input(TAKEN_ID, "440100", "440100")
    )
    session.commit()
    client = app.test_client()
    login(client, "gz", PASSWORD)
    late = clock.today().year + 3
    refused = client.post(
        "/graduates/new",
        data={
            "csrf_token": csrf(client, "/graduates/new"),
            "name": "",
            "id_number": TAKEN_ID,  # held already: said in this round too
            "phone": "1380013",
            "home_org": "440100",
            "school_name": "",
            "school_region": "440100",
            "major_text": "",
            "degree": "benke",
            "graduation_year": str(late),
            "family_kind": "worker",
            "parent_employer_uscc": "12345",
            "registered_on": "2012-02-30",
            "status": "unemployed",
        },
    )
    html = says_all(
        refused,
        "已在“",  # the duplicate
        "手机号应为11位",
        "此项必填",
        f"1950–{clock.today().year + 1}",
        "没有这一天",
        "统一社会信用代码",
    )
    assert 'value="1380013"' in html  # what was typed is kept
    assert session.scalar(select(func.count()).select_from(Graduate)) == 1
    # the duplicate's answer was a disclosure like any other: audited on the archive
    looked = session.scalars(select(AuditEvent).where(AuditEvent.action == "lookup")).all()
    assert [a.entity_id for a in looked] == [taken.id]


def _position(client, path: str, **fields: str):  # type: ignore[no-untyped-def]
    data = {
        "csrf_token": csrf(client, path),
        "kind": "job",
        "title": "",
        "min_degree": "",
        "work_region_code-1": "440000",
        "work_region_code-2": "440100",
        "headcount": "三人",
        "pay_min": "5000",
        "pay_max": "3000",
        "published_on": TODAY.isoformat(),
        "closes_on": TODAY.replace(year=TODAY.year - 1).isoformat(),
    }
    data.update(fields)
    return client.post(path, data=data)


def test_a_position_all_wrong_says_it_all_at_once(app: Flask, session: Session, hq_actor: Actor) -> None:  # fmt: skip
    e = employer(session, 57)
    create_user(
        session, hq_actor, role=Role.EMPLOYER, username="hr57", password=PASSWORD,
        employer_uscc=e.uscc,
    )  # fmt: skip
    create_user(
        session, hq_actor, role=Role.OFFICER, username="gz", password=PASSWORD, org_code="440100"
    )
    session.commit()
    for user, path in (("hr57", "/employer/positions/new"), ("gz", f"/employers/{e.id}")):
        client = app.test_client()
        login(client, user, PASSWORD)
        html = _position(client, path).get_data(as_text=True)
        for message in (
            "此项必填",
            "招聘人数须为数字",
            "薪酬下限不能高于上限",
            "截止日期不能早于发布日期",
        ):
            assert message in html, (user, message)
        # a field its validators refused keeps their one message; the rules fill the rest
        late = _position(client, path, title="仓库管理员", headcount="2", pay_max="abc")
        text = late.get_data(as_text=True)
        assert late.status_code == 422 and "截止日期不能早于发布日期" in text, user
        assert "薪酬下限不能高于上限" not in text  # pay_max unreadable: no comparison made
    assert session.scalar(select(func.count()).select_from(Position)) == 0


def test_signup_all_wrong_says_it_all_at_once(app: Flask, session: Session, hq_actor: Actor) -> None:  # fmt: skip
    create_user(
        session, hq_actor, role=Role.OFFICER, username="taken", password=PASSWORD,
        org_code="440100",
    )  # fmt: skip
    session.commit()
    client = app.test_client()
    refused = client.post(
        "/employer/signup",
        data={
            "csrf_token": csrf(client, "/employer/signup"),
            "name": "",  # the form's own validator
            "uscc": BAD_USCC,
            "kind": "other",
            "org": "440100",
            "contact_name": "",
            "contact_phone": "12345",
            "username": "taken",
            "password": "short",
        },
    )
    says_all(refused, "此项必填", "统一社会信用代码", "联系电话应为", "已被使用", "密码至少")
    assert session.scalar(select(func.count()).select_from(Employer)) == 0
