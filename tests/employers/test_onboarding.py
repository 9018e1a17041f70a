"""An employer's way in: signup asks which union reviews it (none chosen for it, and never a
union the ACFTU does not have); the reviewing officer sees the contact and decides on the page;
不通过 says why and whom to call, asks first, reaches the employer and can be undone."""

from __future__ import annotations

import re

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from matchsvc.actors import Actor
from matchsvc.auth.service import create_user
from matchsvc.employers.service import register_employer
from matchsvc.models import AuditEvent, Employer, EmployerKind, EmployerStatus, Role

from ..helpers import PASSWORD, csrf, login, notice_texts, uscc


def test_signup_chooses_no_union_for_the_employer_and_offers_only_real_ones(app: Flask) -> None:
    client = app.test_client()
    page = client.get("/employer/signup").get_data(as_text=True)
    unions = re.search(r'<select id="org".*?</select>', page, re.S)
    assert unions is not None
    first = re.search(r"<option[^>]*>", unions.group(0))
    assert first is not None and 'value=""' in first.group(0)  # nothing chosen for them
    assert " selected" not in unions.group(0)  # not 北京市总工会 because it comes first
    for absent in ("710000", "810000", "820000", "台湾", "香港", "澳门"):
        assert absent not in unions.group(0), absent
    refused = client.post(
        "/employer/signup",
        data={"csrf_token": csrf(client, "/employer/signup"), "org": "", "name": "某公司"},
    )
    assert refused.status_code == 422 and "请选择审核您单位的工会" in refused.get_data(as_text=True)


def _pending(session: Session, hq: Actor) -> Employer:
    create_user(session, hq, role=Role.OFFICER, username="gz", password=PASSWORD, org_code="440100")
    e = register_employer(
        session, hq, name="待审科技有限公司", uscc=uscc(71), kind=EmployerKind.OTHER,
        org_code="440100",
    )  # fmt: skip
    e.contact_name, e.contact_phone = "黄经理", "020-83331234"
    create_user(
        session, hq, role=Role.EMPLOYER, username="hr71", password=PASSWORD, employer_uscc=e.uscc
    )
    session.commit()
    return e


def test_not_approved_says_why_and_whom_to_call_and_can_be_undone(
    app: Flask, session: Session, hq_actor: Actor
) -> None:
    e = _pending(session, hq_actor)
    officer = app.test_client()
    login(officer, "gz", PASSWORD)
    detail = officer.get(f"/employers/{e.id}").get_data(as_text=True)
    assert "黄经理" in detail and "020-83331234" in detail  # the contact, to check with
    assert f"/employers/{e.id}/approve" in detail and f"/employers/{e.id}/reject" in detail
    asked = officer.get(f"/employers/{e.id}/reject")
    assert asked.status_code == 200 and "确认不通过" in asked.get_data(as_text=True)
    session.refresh(e)
    assert e.status == EmployerStatus.PENDING  # asking changed nothing
    path = f"/employers/{e.id}/reject"
    empty = officer.post(path, data={"csrf_token": csrf(officer, path), "reason": "", "phone": ""})
    text = empty.get_data(as_text=True)
    assert empty.status_code == 422 and "请写明不通过的原因" in text and "请填写联系电话" in text
    done = officer.post(
        path,
        data={
            "csrf_token": csrf(officer, path),
            "reason": "营业执照上的名称与填写的单位名称不一致",
            "phone": "020-83339999",
        },
    )
    assert done.status_code == 302
    session.refresh(e)
    assert e.status == EmployerStatus.REJECTED and e.review_phone == "020-83339999"
    told = notice_texts(session, "hr71")
    assert any("营业执照上的名称" in t and "020-83339999" in t for t in told)
    hr = app.test_client()
    login(hr, "hr71", PASSWORD)
    home = hr.get("/employer/").get_data(as_text=True)
    assert "营业执照上的名称" in home and "020-83339999" in home
    undo = officer.post(
        f"/employers/{e.id}/reopen", data={"csrf_token": csrf(officer, f"/employers/{e.id}")}
    )
    assert undo.status_code == 302
    session.refresh(e)
    assert e.status == EmployerStatus.PENDING and e.decision_reason is None
    actions = session.scalars(
        select(AuditEvent.action).where(AuditEvent.entity_type == "employer")
    ).all()
    assert "reject" in actions and "reopen" in actions
