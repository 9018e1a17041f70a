"""The employer and graduate portals and the referral loop, through the web (Flask client):
sign-up and approval, posting, masked candidates, referral → interview → hire (service, status,
filled position, item 13), activation codes, ID/phone login, interest and decline, signed reports,
corrections, the plain list, the data download — and what each role may never see."""

from __future__ import annotations

import json
import re
from datetime import timedelta

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from matchsvc.actors import Actor
from matchsvc.auth.service import create_user
from matchsvc.employers.service import approve_employer
from matchsvc.graduates.service import register_graduate
from matchsvc.models import (
    Campaign,
    Employer,
    EmployerStatus,
    EmploymentStatus,
    Graduate,
    Interest,
    InterestKind,
    Position,
    PositionKind,
    PositionStatus,
    Referral,
    ReferralState,
    Role,
    ServiceKind,
    ServiceRecord,
    User,
)
from matchsvc.orgs.service import get_org
from matchsvc.referrals import service as referrals
from matchsvc.stats.compute import compute_table

from ..conftest import graduate_input, make_id, officer_actor, portal_account
from ..helpers import PASSWORD, TODAY, csrf, employer, login, post, uscc

PHONE = "13912345678"


def token(client: FlaskClient, path: str) -> str:
    return csrf(client, path)


def make_graduate(session: Session, seq: str = "321", **kw: object) -> Graduate:
    values: dict[str, object] = {
        "name": "王小明",
        "wish_regions": ["440100"],
        "skills": "Python",
        "graduation_year": TODAY.year,
        "registered_on": TODAY - timedelta(days=20),
        "phone": PHONE,
    }
    values.update(kw)
    return register_graduate(
        session,
        officer_actor(session, "440100"),
        graduate_input(make_id("440106", seq=seq), "440100", "440100", **values),
    )


def test_employer_signs_up_is_approved_posts_and_hires(
    app, session: Session, hq_actor: Actor
) -> None:  # type: ignore[no-untyped-def]
    create_user(
        session, hq_actor, role=Role.OFFICER, username="gz", password=PASSWORD, org_code="440100"
    )
    session.add(Campaign(year=TODAY.year, **Campaign.default_dates(TODAY.year)))
    g = make_graduate(session)
    make_graduate(session, seq="322", name="赵不推", phone="13912340000")
    session.commit()

    emp = app.test_client()
    form = {
        "csrf_token": token(emp, "/employer/signup"),
        "name": "广州示例科技有限公司",
        "uscc": uscc(77),
        "kind": "other",
        "org": "440100",
        "contact_name": "陈经理",
        "contact_phone": "13800001111",
        "username": "demo_emp",
        "password": "short",
    }
    refused = emp.post("/employer/signup", data=form)
    assert refused.status_code == 422 and "密码" in refused.get_data(as_text=True)
    assert (
        session.scalar(select(Employer).where(Employer.uscc == uscc(77))) is None
    )  # nothing written
    form["password"] = PASSWORD
    assert emp.post("/employer/signup", data=form).status_code == 302
    company = session.scalar(select(Employer).where(Employer.uscc == uscc(77)))
    assert company is not None and company.status == EmployerStatus.PENDING
    login(emp, "demo_emp", PASSWORD)
    home = emp.get("/employer/", follow_redirects=True).get_data(as_text=True)
    assert "等待" in home and "审核" in home
    assert emp.get("/employer/positions/new", follow_redirects=True).status_code == 200
    assert session.scalar(select(Position.id).where(Position.employer_id == company.id)) is None

    officer = app.test_client()
    login(officer, "gz", PASSWORD)
    assert "1 家用人单位待审核" in officer.get("/graduates/").get_data(as_text=True)
    approve_employer(session, officer_actor(session, "440100"), company)
    session.commit()

    page = "/employer/positions/new"
    made = emp.post(
        page,
        data={
            "csrf_token": token(emp, page),
            "kind": "job",
            "title": "Python 开发",
            "majors": "计算机科学与技术",
            "min_degree": "benke",
            "work_region_code": "440100",
            "headcount": "1",
            "published_on": TODAY.isoformat(),
            "closes_on": (TODAY + timedelta(days=60)).isoformat(),
            "description": "Python",
        },
    )
    assert made.status_code == 302
    position = session.scalar(select(Position).where(Position.employer_id == company.id))
    assert position is not None and position.majors[0].code == "080901"

    detail = emp.get(f"/employer/positions/{position.id}").get_data(as_text=True)
    assert "王*" in detail and "王小明" not in detail and PHONE not in detail  # masked candidates

    # the officer refers; now the employer sees the name and phone
    referrals.refer(session, officer_actor(session, "440100"), g.id, position.id, TODAY)
    session.commit()
    detail = emp.get(f"/employer/positions/{position.id}").get_data(as_text=True)
    assert "王小明" in detail and PHONE in detail
    assert "赵不推" not in detail and "13912340000" not in detail
    ref = session.scalar(select(Referral).where(Referral.graduate_id == g.id))
    assert ref is not None
    step = f"/employer/referrals/{ref.id}/step"
    t = token(emp, f"/employer/positions/{position.id}")
    bad = emp.post(
        step,
        data={"csrf_token": t, "state": "rejected", "on": TODAY.isoformat(), "reason": ""},
        follow_redirects=True,
    )
    assert "原因" in bad.get_data(as_text=True)
    when = f"{TODAY + timedelta(days=1)} 09:30"
    placeless = emp.post(
        step,
        data={"csrf_token": t, "state": "interview", "on": TODAY.isoformat(), "interview_at": when},
    )
    page = placeless.get_data(as_text=True)
    # its own page: the error beside the place, the typed time kept, nothing recorded
    assert placeless.status_code == 422 and "请填写面试地点" in page and when in page
    session.expire_all()
    assert ref.state == ReferralState.REFERRED
    emp.post(
        step,
        data={
            "csrf_token": t,
            "state": "interview",
            "on": TODAY.isoformat(),
            "interview_at": when,
            "place": "公司大楼 3 楼",
        },
    )
    before = compute_table(
        session, session.scalar(select(Campaign)), get_org(session, "440100"), TODAY
    )["items"]["13A"]
    asked = emp.post(step, data={"csrf_token": t, "state": "hired", "on": TODAY.isoformat()})
    assert asked.status_code == 200 and "确认录用" in asked.get_data(as_text=True)  # asks first
    session.expire_all()
    assert ref.state == ReferralState.INTERVIEW  # nothing done yet
    emp.post(
        step, data={"csrf_token": t, "state": "hired", "on": TODAY.isoformat(), "confirm": "yes"}
    )
    session.expire_all()
    assert [s.state for s in ref.steps] == [
        ReferralState.REFERRED,
        ReferralState.INTERVIEW,
        ReferralState.HIRED,
    ]
    hired = session.get(Graduate, g.id)
    assert (
        hired is not None
        and hired.status == EmploymentStatus.EMPLOYED
        and hired.status_since == TODAY
    )
    service = session.scalar(select(ServiceRecord).where(ServiceRecord.graduate_id == g.id))
    assert (
        service is not None
        and service.kind == ServiceKind.EMPLOYED
        and service.org.code == "440100"
    )
    assert session.get(Position, position.id).status == PositionStatus.FILLED  # headcount 1 reached
    after = compute_table(
        session, session.scalar(select(Campaign)), get_org(session, "440100"), TODAY
    )["items"]["13A"]
    assert after == before + 1
    # another employer cannot touch this referral
    portal_account(session, hq_actor, "stranger", PASSWORD, employer_uscc=employer(session, 5).uscc)
    session.commit()
    s = app.test_client()
    login(s, "stranger", PASSWORD)
    assert s.get(f"/employer/positions/{position.id}").status_code == 404
    assert (
        s.post(
            step,
            data={"csrf_token": token(s, "/employer/"), "state": "hired", "on": TODAY.isoformat()},
        ).status_code
        == 404
    )


def test_internship_hire_records_internship(session: Session) -> None:
    from matchsvc.referrals.service import record_step

    gz = officer_actor(session, "440100")
    g = make_graduate(session)
    e = employer(session, 8)
    p = post(session, e, "见习生", [], kind=PositionKind.INTERNSHIP, headcount=2)
    ref = referrals.refer(session, gz, g.id, p.id, TODAY)
    record_step(
        session,
        Actor(role=Role.EMPLOYER, label="e", employer_id=e.id),
        ref,
        ReferralState.HIRED,
        TODAY,
    )
    kinds = session.scalars(
        select(ServiceRecord.kind).where(ServiceRecord.graduate_id == g.id)
    ).all()
    assert kinds == [ServiceKind.INTERNSHIP]
    assert g.status == EmploymentStatus.UNEMPLOYED and p.status == PositionStatus.OPEN


def test_graduate_activates_logs_in_and_acts(app, session: Session, hq_actor: Actor) -> None:  # type: ignore[no-untyped-def]
    create_user(
        session, hq_actor, role=Role.OFFICER, username="gz", password=PASSWORD, org_code="440100"
    )
    g = make_graduate(session)
    other = make_graduate(session, seq="322", name="赵别人", phone="13912340000")
    e = employer(session, 9)
    p1 = post(session, e, "Python 开发", ["计算机科学与技术"], description="Python")
    p2 = post(session, e, "软件测试", ["软件工程"])
    session.commit()
    officer = app.test_client()
    login(officer, "gz", PASSWORD)
    page = officer.post(
        f"/officer/graduates/{g.id}/activation",
        data={"csrf_token": token(officer, f"/graduates/{g.id}")},
    )
    code = re.search(r'class="code mono">([A-Z0-9-]+)<', page.get_data(as_text=True)).group(1)  # type: ignore[union-attr]
    slip = page.get_data(as_text=True)
    assert "（北京时间）" in slip and "UTC" not in slip  # the expiry as the graduate reads it

    me = app.test_client()
    wrong = me.post(
        "/activate",
        data={
            "csrf_token": token(me, "/activate"),
            "id_number": make_id("440106", seq="322"),
            "code": code,
            "password": PASSWORD,
        },
    )
    assert wrong.status_code == 422  # another person's ID number with this code
    unread = me.post(
        "/activate",
        data={
            "csrf_token": token(me, "/activate"),
            "id_number": make_id("440106", seq="321"),
            "code": code,
            "password": PASSWORD,
        },
    )
    assert unread.status_code == 422  # the privacy notice not accepted: nothing activated
    assert "请阅读并同意个人信息保护说明" in unread.get_data(as_text=True)
    ok = me.post(
        "/activate",
        data={
            "csrf_token": token(me, "/activate"),
            "id_number": make_id("440106", seq="321"),
            "code": code,
            "password": PASSWORD,
            "privacy": "y",
            "by_sms": "y",
        },
    )
    assert ok.status_code == 302
    account = session.scalar(select(User).where(User.graduate_id == g.id))
    assert account is not None and account.privacy_accepted_at is not None
    assert account.notify_sms and not account.notify_email  # each consent on its own
    again = me.post(
        "/activate",
        data={
            "csrf_token": token(me, "/activate"),
            "id_number": make_id("440106", seq="321"),
            "code": code,
            "password": PASSWORD,
            "privacy": "y",
        },
    )
    assert again.status_code == 422  # one-time
    assert login(me, PHONE, PASSWORD).status_code == 302
    by_id = app.test_client()
    assert login(by_id, make_id("440106", seq="321"), PASSWORD).status_code == 302
    home = me.get("/me").get_data(as_text=True)
    assert "Python 开发" in home and "匹配度" in home and "新" in home
    assert "赵别人" not in home and make_id("440106", seq="321") not in home  # own ID masked
    second = me.get("/me").get_data(as_text=True)
    assert "个新推荐" not in second  # seen now

    t = token(me, "/me")
    assert me.post(f"/me/positions/{p1.id}/interest", data={"csrf_token": t}).status_code == 302
    assert (
        session.scalar(select(Interest.kind).where(Interest.position_id == p1.id))
        == InterestKind.INTERESTED
    )
    me.post(f"/me/positions/{p2.id}/decline", data={"csrf_token": t, "reason": ""})
    assert (
        session.scalar(select(Interest.id).where(Interest.position_id == p2.id)) is None
    )  # reason required
    me.post(f"/me/positions/{p2.id}/decline", data={"csrf_token": t, "reason": "离家太远"})
    assert "软件测试" not in me.get("/me").get_data(as_text=True)

    me.post("/me/signed", data={"csrf_token": t, "signed_on": TODAY.isoformat(), "text": "某公司"})
    me.post("/me/correction", data={"csrf_token": t, "text": "手机号已更换"})
    reqs = officer.get("/officer/requests").get_data(as_text=True)
    assert "报告已签约" in reqs and "手机号已更换" in reqs
    rid = re.search(r"/officer/requests/(\d+)/accept", reqs).group(1)  # type: ignore[union-attr]
    officer.post(
        f"/officer/requests/{rid}/accept", data={"csrf_token": token(officer, "/officer/requests")}
    )
    session.expire_all()
    assert session.get(Graduate, g.id).status == EmploymentStatus.SIGNED

    me.post("/me/personalised", data={"csrf_token": t})
    plain = me.get("/me").get_data(as_text=True)
    assert "我所在地区的岗位" in plain and "匹配度" not in plain

    data = json.loads(me.get("/me/data.json").get_data(as_text=True))
    assert data["档案"]["身份证号"] == make_id("440106", seq="321")
    assert {i["意向"] for i in data["表达的意向"]} == {"感兴趣", "不感兴趣"}
    assert all(i["岗位"] for i in data["表达的意向"])  # posts by name, not ids
    assert data["账号"]["接收短信通知"] == "是"  # the consent given at activation
    assert data["账号"]["同意个人信息保护说明的时间"].endswith("（北京时间）")
    assert data["档案"]["求职意向地区"] == ["广东省广州市"]  # places by name, not codes
    assert "赵别人" not in json.dumps(data, ensure_ascii=False)
    # a graduate is not staff and not an employer
    assert me.get(f"/graduates/{other.id}").status_code in (302, 403, 404)
    assert me.get(f"/api/v1/graduates/{other.id}/recommendations").status_code == 404
    assert me.get("/employer/").status_code == 403


GET_ID_ARGS = (
    "graduate_id",
    "position_id",
    "employer_id",
    "referral_id",
    "request_id",
    "transfer_id",
    "offer_id",
    "service_id",
    "fair_id",
    "campaign",
    "year",
    "token_id",
)


def _every_get_url(app, ids: dict[str, int]) -> list[str]:  # type: ignore[no-untyped-def]
    urls = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        values = {}
        for arg in rule.arguments:
            if arg in ids:
                values[arg] = ids[arg]
            elif arg == "fmt":
                values[arg] = "csv"
            elif arg == "decision":
                values[arg] = "accept"
            else:
                values[arg] = 1
        try:
            with app.test_request_context():
                from flask import url_for

                urls.append(url_for(rule.endpoint, **values))
        except Exception:  # a rule whose arguments we cannot fill: visit the path as it is
            continue
    return urls


def test_no_url_shows_an_employer_or_a_graduate_what_they_may_not_see(
    app, session: Session, hq_actor: Actor
) -> None:  # type: ignore[no-untyped-def]
    g = make_graduate(session)  # never referred, never interested
    mine = make_graduate(session, seq="322", name="钱自己", phone="13700000000")
    e = employer(session, 11)
    p = post(session, e, "Python 开发", ["计算机科学与技术"], description="Python")
    portal_account(session, hq_actor, "emp", PASSWORD, employer_uscc=e.uscc)
    portal_account(
        session, hq_actor, "me", PASSWORD, graduate_id_number=make_id("440106", seq="322")
    )
    session.commit()
    secrets = [g.name, make_id("440106", seq="321"), PHONE]
    emp = app.test_client()
    login(emp, "emp", PASSWORD)
    ids = {"graduate_id": g.id, "position_id": p.id, "employer_id": e.id}
    urls = _every_get_url(app, ids)
    assert len(urls) > 40
    shown = 0
    for url in urls:
        body = emp.get(url).get_data(as_text=True)
        shown += "王*" in body  # the candidate appears, masked
        for s in secrets:
            assert s not in body, (url, s)
    assert shown >= 1
    me = app.test_client()
    login(me, "me", PASSWORD)
    for url in urls:
        body = me.get(url).get_data(as_text=True)
        for s in secrets:
            assert s not in body, (url, s)
    assert mine.name in me.get("/me").get_data(as_text=True)


def test_the_plain_list_costs_the_same_queries_however_many_positions(  # type: ignore[no-untyped-def]
    app, session: Session, hq_actor: Actor, connection
) -> None:
    """The graduate's plain list reads the declined positions once, not once per position; and
    turning personalised recommendations off is the graduate's own audited choice."""
    from sqlalchemy import event

    from matchsvc.models import AuditEvent
    from matchsvc.portals.home import toggle_personalised

    g = make_graduate(session)
    portal_account(
        session, hq_actor, "me", PASSWORD, graduate_id_number=make_id("440106", seq="321")
    )
    e = employer(session, 9)
    assert toggle_personalised(session, Actor(Role.GRADUATE, "me", graduate_id=g.id)) is False
    audited = session.scalar(select(AuditEvent).where(AuditEvent.action == "personalised"))
    assert audited is not None and audited.details == {"on": False}
    session.commit()
    me = app.test_client()
    login(me, "me", PASSWORD)
    counts = []
    for n in (3, 12):
        for i in range(n):
            post(session, e, f"岗位{n}-{i}", [])
        session.commit()
        statements: list[object] = []

        def count(*args: object, statements: list[object] = statements) -> None:
            statements.append(args)

        event.listen(connection, "before_cursor_execute", count)
        try:
            page = me.get("/me").get_data(as_text=True)
        finally:
            event.remove(connection, "before_cursor_execute", count)
        assert f"岗位{n}-{n - 1}" in page
        counts.append(len(statements))
    assert counts[0] == counts[1] > 0, counts
