"""Forms that forgive: a refused form comes back as its own page (422) with every error beside
its field at once and every value kept; places are chosen from the region table; unions are
listed by province; headcounts and landlines are read as people write them."""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from matchsvc.actors import Actor
from matchsvc.auth.service import create_user
from matchsvc.graduates.service import register_graduate
from matchsvc.models import Employer, Position, Role, ServiceRecord, TrainingOffer

from ..conftest import graduate_input, make_id, officer_actor
from ..helpers import PASSWORD, TODAY, csrf, employer, login, uscc


def _signup(client: FlaskClient, **overrides: str) -> dict[str, str]:
    data = {
        "csrf_token": csrf(client, "/employer/signup"),
        "name": "广州示例科技有限公司",
        "uscc": uscc(55),
        "kind": "other",
        "org": "440100",
        "region_code-1": "440000",
        "region_code-2": "440100",
        "region_code-3": "440106",
        "contact_name": "陈经理",
        "contact_phone": "020-87654321",
        "username": "shili",
        "password": PASSWORD,
    }
    data.update(overrides)
    return data


def test_employer_signup_says_every_error_at_once(app, session: Session) -> None:  # type: ignore[no-untyped-def]
    client = app.test_client()
    page = client.get("/employer/signup").get_data(as_text=True)
    assert '<optgroup label="广东省">' in page and '<optgroup label="湖北省">' in page
    bad = client.post(
        "/employer/signup",
        data=_signup(
            client,
            uscc="91440101MA59XXXXX",
            contact_phone="12345",
            username="a b",
            password="short",
        ),
    )
    html = bad.get_data(as_text=True)
    assert bad.status_code == 422
    for message in (
        "统一社会信用代码应为18位",
        "联系电话应为11位手机号",
        "用户名不能为空、不能含空格",
        "密码至少",
    ):
        assert message in html, message
    assert 'value="陈经理"' in html and 'value="440106" selected' in html  # kept
    assert session.scalar(select(func.count()).select_from(Employer)) == 0
    ok = client.post("/employer/signup", data=_signup(client))
    assert ok.status_code == 302
    company = session.scalar(select(Employer).where(Employer.uscc == uscc(55)))
    assert company is not None
    assert company.contact_phone == "020-87654321"  # a landline is a contact number
    assert company.region_code == "440106"  # chosen, not typed


def test_position_form_counts_and_places(app, session: Session, hq_actor: Actor) -> None:  # type: ignore[no-untyped-def]
    e = employer(session, 56)
    create_user(
        session,
        hq_actor,
        role=Role.EMPLOYER,
        username="hr56",
        password=PASSWORD,
        employer_uscc=e.uscc,
    )
    session.commit()
    client = app.test_client()
    login(client, "hr56", PASSWORD)
    base = {
        "csrf_token": csrf(client, "/employer/positions/new"),
        "kind": "job",
        "title": "仓库管理员",
        "min_degree": "",
        "work_region_code-1": "440000",
        "work_region_code-2": "440100",
        "published_on": TODAY.isoformat(),
    }
    for headcount, message in (
        ("0", "招聘人数至少为1"),
        ("100000000", "招聘人数最多为10000"),
        ("三人", "招聘人数须为数字"),
    ):
        refused = client.post("/employer/positions/new", data={**base, "headcount": headcount})
        html = refused.get_data(as_text=True)
        assert refused.status_code == 422 and message in html, headcount
        assert "此项必填" not in html and 'value="仓库管理员"' in html
    mismatch = client.post(
        "/employer/positions/new",
        data={**base, "headcount": "2", "work_region_code-2": "420100"},
    )
    assert mismatch.status_code == 422 and "与上一级不符" in mismatch.get_data(as_text=True)
    assert session.scalar(select(func.count()).select_from(Position)) == 0
    made = client.post("/employer/positions/new", data={**base, "headcount": "2"})
    assert made.status_code == 302
    position = session.scalar(select(Position))
    assert position is not None and position.work_region_code == "440100"


def test_a_refused_service_comes_back_with_what_was_typed(
    app, session: Session, hq_actor: Actor
) -> None:  # type: ignore[no-untyped-def]
    create_user(
        session, hq_actor, role=Role.OFFICER, username="gz", password=PASSWORD, org_code="440100"
    )
    g = register_graduate(
        session,
        officer_actor(session, "440100"),
        graduate_input(make_id("440106", seq="901"), "440100", "440100"),
    )
    session.commit()
    client = app.test_client()
    login(client, "gz", PASSWORD)
    t = csrf(client, f"/graduates/{g.id}")
    tomorrow = TODAY.replace(year=TODAY.year + 1).isoformat()
    refused = client.post(
        f"/graduates/{g.id}/services",
        data={
            "csrf_token": t,
            "kind": "job_subsidy",
            "service_date": tomorrow,
            "org": "440100",
            "amount": "",
            "remark": "7月补贴",
        },
    )
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422 and "记录帮扶服务" in html
    assert "须填写金额" in html and "服务日期不能晚于今天" in html  # both at once
    assert 'value="7月补贴"' in html and tomorrow in html  # kept
    assert session.scalar(select(func.count()).select_from(ServiceRecord)) == 0
    bad_date = client.post(
        f"/graduates/{g.id}/services",
        data={"csrf_token": t, "kind": "policy", "service_date": "2012/13/40", "org": "440100"},
    )
    assert bad_date.status_code == 422 and "没有这一天" in bad_date.get_data(as_text=True)
    # the same service twice (kind, date, amount): asked before it is recorded again
    paid = {
        "csrf_token": t, "kind": "job_subsidy", "service_date": "2012-07-15", "org": "440100",
        "amount": "800", "remark": "7月补贴",
    }  # fmt: skip
    assert client.post(f"/graduates/{g.id}/services", data=paid).status_code == 302
    twice = client.post(f"/graduates/{g.id}/services", data=paid)
    text = twice.get_data(as_text=True)
    assert twice.status_code == 200 and "可能重复录入" in text and "800" in text
    assert session.scalar(select(func.count()).select_from(ServiceRecord)) == 1  # not yet
    sure = client.post(f"/graduates/{g.id}/services", data={**paid, "confirm": "yes"})
    assert sure.status_code == 302
    assert session.scalar(select(func.count()).select_from(ServiceRecord)) == 2
    other_day = client.post(
        f"/graduates/{g.id}/services", data={**paid, "service_date": "2012-08-15"}
    )
    assert other_day.status_code == 302  # another month's subsidy: no question


def test_training_and_fair_forms_choose_places_and_count(
    app, session: Session, hq_actor: Actor
) -> None:  # type: ignore[no-untyped-def]
    create_user(
        session, hq_actor, role=Role.OFFICER, username="gz", password=PASSWORD, org_code="440100"
    )
    session.commit()
    client = app.test_client()
    login(client, "gz", PASSWORD)
    offer = {
        "csrf_token": csrf(client, "/training/"),
        "name": "低压电工作业培训",
        "kind": "skill",
        "skills": "电工",
        "org": "440100",
        "region_code-1": "440000",
        "region_code-2": "440100",
        "region_code-3": "440106",
        "starts_on": "2026/12/20",
        "ends_on": "2027年1月10日",
        "seats": "0",
        "signup_closes_on": "2026.12.18",
    }
    refused = client.post("/training/", data=offer)
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422 and "名额至少为1" in html
    assert 'value="440106" selected' in html and 'value="低压电工作业培训"' in html
    assert client.post("/training/", data={**offer, "seats": "30"}).status_code == 302
    created = session.scalar(select(TrainingOffer))
    assert created is not None and created.region_code == "440106"
    fair = {
        "csrf_token": csrf(client, "/fairs/"),
        "name": "天河区专场招聘会",
        "held_on": TODAY.isoformat(),
        "org": "440100",
        "positions_offered": "很多",
    }
    bad = client.post("/fairs/", data=fair)
    assert bad.status_code == 422 and "岗位数须为数字" in bad.get_data(as_text=True)
