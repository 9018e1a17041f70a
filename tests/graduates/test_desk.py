"""The officer's desk for graduates: register, edit, status, services, transfers, search."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from matchsvc.actors import Actor
from matchsvc.assistance.service import record_service, void_service
from matchsvc.auth.service import create_user
from matchsvc.errors import Conflict, DomainError, NotFound
from matchsvc.graduates import service, transfers
from matchsvc.graduates.search import GraduateQuery, search
from matchsvc.models import (
    ArchiveTransfer,
    AuditEvent,
    Campaign,
    EmploymentStatus,
    Graduate,
    Hardship,
    Role,
    ServiceKind,
    ServiceRecord,
    Sex,
)
from matchsvc.orgs.service import get_org

from ..conftest import graduate_input, make_id, officer_actor
from ..helpers import csrf, login

PASSWORD = "Passw0rd!"


@pytest.fixture
def officers(session: Session, hq_actor: Actor) -> None:
    for username, org in (("gz", "440100"), ("wh", "420100"), ("sc", "510000")):
        create_user(
            session, hq_actor, role=Role.OFFICER, username=username, password=PASSWORD, org_code=org
        )
    session.add(Campaign(year=2012, **Campaign.default_dates(2012)))
    session.commit()


def form_data(client: FlaskClient, **overrides: str) -> dict[str, object]:
    data: dict[str, object] = {
        "csrf_token": csrf(client, "/graduates/new"),
        "name": "李小明",
        "id_number": make_id("440106", "19900315", "251"),
        "phone": "13800138000",
        "home_org": "440100",
        "origin_region_code": "440106",
        "school_name": "武汉大学",
        "school_region": "420100",
        "major_text": "计科",
        "degree": "benke",
        "graduation_year": "2012",
        "family_kind": "worker",
        "hardships": ["dibao", "single_parent"],
        "wish_regions": "440100、440300",
        "wants_internship": "y",
        "registered_on": "2012-07-05",
        "status": "signed",
        "status_since": "2012-07-20",
    }
    data.update(overrides)
    return data


def test_register_through_the_form(client: FlaskClient, session: Session, officers: None) -> None:
    login(client, "gz", PASSWORD)
    response = client.post("/graduates/new", data=form_data(client))
    assert response.status_code == 302, response.get_data(as_text=True)
    graduate = session.scalar(select(Graduate).where(Graduate.name == "李小明"))
    assert graduate is not None
    assert (graduate.sex, graduate.birth_date) == (Sex.MALE, date(1990, 3, 15))
    assert graduate.name_pinyin == "lixiaoming" and graduate.name_initials == "lxm"
    assert set(graduate.hardship_categories) == {Hardship.DIBAO, Hardship.SINGLE_PARENT}
    assert graduate.wish_regions == ["440100", "440300"] and graduate.wants_internship
    # Before the 状态日期 the graduate was 未就业, from the 登记日期.
    assert [(s.status, s.effective_on) for s in graduate.status_history] == [
        (EmploymentStatus.UNEMPLOYED, date(2012, 7, 5)),
        (EmploymentStatus.SIGNED, date(2012, 7, 20)),
    ]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "440106********" in page and graduate.id_number not in page
    assert "138****8000" in page and "13800138000" not in page
    assert session.scalar(
        select(AuditEvent).where(
            AuditEvent.entity_type == "graduate", AuditEvent.entity_id == graduate.id
        )
    )


def test_register_refuses_bad_and_duplicate_id_numbers(
    client: FlaskClient, session: Session, officers: None
) -> None:
    login(client, "gz", PASSWORD)
    bad = client.post(
        "/graduates/new", data=form_data(client, id_number=make_id("440106")[:-1] + "0")
    )
    assert bad.status_code == 422 and "校验位" in bad.get_data(as_text=True)
    assert client.post("/graduates/new", data=form_data(client)).status_code == 302
    count = session.scalar(select(func.count()).select_from(Graduate))
    login(client, "wh", PASSWORD)
    dup = client.post("/graduates/new", data=form_data(client, home_org="420100"))
    assert dup.status_code == 409 and "广州市总工会" in dup.get_data(as_text=True)
    assert session.scalar(select(func.count()).select_from(Graduate)) == count


def test_home_subtree_edits_school_region_does_not(
    client: FlaskClient, session: Session, officers: None
) -> None:
    login(client, "gz", PASSWORD)
    client.post("/graduates/new", data=form_data(client))
    graduate = session.scalar(select(Graduate).where(Graduate.name == "李小明"))
    assert graduate is not None
    page = client.get(f"/graduates/{graduate.id}/edit").get_data(as_text=True)
    assert "13800138000" not in page and "138****8000" in page  # never prefilled in full
    edit = form_data(
        client, major_text="软件工程", phone="13900139000", version=str(graduate.version)
    )
    response = client.post(f"/graduates/{graduate.id}/edit", data=edit)
    assert response.status_code == 302
    session.refresh(graduate)
    assert graduate.major_text == "软件工程" and graduate.phone == "13900139000"
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "update")).one()
    assert set(event.details["fields"]) == {"major_text", "phone"}
    assert "13900139000" not in str(event.details)
    login(client, "wh", PASSWORD)  # the school's region: sees, does not edit
    assert client.get(f"/graduates/{graduate.id}").status_code == 200
    assert client.get(f"/graduates/{graduate.id}/edit").status_code == 404
    assert (
        client.post(
            f"/graduates/{graduate.id}/edit", data=form_data(client, major_text="x")
        ).status_code
        == 404
    )
    login(client, "sc", PASSWORD)
    assert client.get(f"/graduates/{graduate.id}").status_code == 404


def test_a_stale_form_is_refused_with_what_changed(
    client: FlaskClient, session: Session, officers: None
) -> None:
    """Two officers open the same edit form; the second save would revert the first's change."""
    login(client, "gz", PASSWORD)
    client.post("/graduates/new", data=form_data(client))
    graduate = session.scalar(select(Graduate).where(Graduate.name == "李小明"))
    assert graduate is not None
    opened = str(graduate.version)
    first = client.post(
        f"/graduates/{graduate.id}/edit",
        data=form_data(client, major_text="软件工程", phone="", version=opened),
    )
    assert first.status_code == 302
    second = client.post(
        f"/graduates/{graduate.id}/edit",
        data=form_data(client, school_name="华中科技大学", phone="", version=opened),
    )
    assert second.status_code == 409
    text = second.get_data(as_text=True)
    assert "专业" in text and "gz" in text and "未保存您的修改" in text
    assert "华中科技大学" in text  # what the officer typed is kept on the form
    session.expire_all()
    kept = session.get(Graduate, graduate.id)
    assert kept is not None and kept.major_text == "软件工程" and kept.school_name == "武汉大学"
    assert kept.phone == "13800138000"  # an empty phone field keeps the number
    fresh = client.post(
        f"/graduates/{graduate.id}/edit",
        data=form_data(client, school_name="华中科技大学", phone="", version=str(kept.version)),
    )
    assert fresh.status_code == 302


@pytest.fixture
def graduate(session: Session, hq_actor: Actor) -> Graduate:
    g = service.register_graduate(
        session, hq_actor, graduate_input(make_id("440106"), "440100", "420100")
    )
    session.commit()
    return g


def test_status_changes_keep_history(session: Session, graduate: Graduate) -> None:
    gz = officer_actor(session, "440100")
    service.change_status(session, gz, graduate, EmploymentStatus.EMPLOYED, date(2012, 8, 10))
    service.change_status(
        session, gz, graduate, EmploymentStatus.SIGNED, date(2012, 7, 20)
    )  # entered late
    assert graduate.status == EmploymentStatus.EMPLOYED and graduate.status_since == date(
        2012, 8, 10
    )
    assert [s.status for s in graduate.status_history] == [
        EmploymentStatus.UNEMPLOYED,
        EmploymentStatus.SIGNED,
        EmploymentStatus.EMPLOYED,
    ]


def test_services_record_void_and_employment(session: Session, graduate: Graduate) -> None:
    gz, wh = officer_actor(session, "440100"), officer_actor(session, "420100")
    with pytest.raises(DomainError, match="须填写金额"):
        record_service(
            session,
            gz,
            graduate,
            kind=ServiceKind.LOAN,
            on=date(2012, 7, 9),
            org=get_org(session, "440100"),
        )
    with pytest.raises(NotFound):
        record_service(
            session,
            wh,
            graduate,
            kind=ServiceKind.POLICY,
            on=date(2012, 7, 9),
            org=get_org(session, "440100"),
        )
    loan = record_service(
        session,
        gz,
        graduate,
        kind=ServiceKind.LOAN,
        on=date(2012, 7, 9),
        org=get_org(session, "440100"),
        amount=Decimal("50000"),
    )
    # The school's region records services too, as its own org.
    record_service(
        session,
        wh,
        graduate,
        kind=ServiceKind.SKILL_TRAINING,
        on=date(2012, 7, 12),
        org=get_org(session, "420100"),
    )
    record_service(
        session,
        gz,
        graduate,
        kind=ServiceKind.EMPLOYED,
        on=date(2012, 8, 1),
        org=get_org(session, "440100"),
    )
    assert graduate.status == EmploymentStatus.EMPLOYED and graduate.status_since == date(
        2012, 8, 1
    )
    void_service(session, gz, loan, "金额录错")
    assert loan.is_void and loan.void_reason == "金额录错"
    with pytest.raises(Conflict):
        void_service(session, gz, loan, "again")


def test_void_through_http_is_limited_to_the_giving_org(
    client: FlaskClient, session: Session, officers: None, graduate: Graduate
) -> None:
    gz = officer_actor(session, "440100")
    loan = record_service(
        session,
        gz,
        graduate,
        kind=ServiceKind.JOB_SUBSIDY,
        on=date(2012, 7, 9),
        org=get_org(session, "440100"),
        amount=Decimal("800"),
    )
    session.commit()
    login(client, "wh", PASSWORD)
    token = csrf(client, f"/graduates/{graduate.id}")
    assert (
        client.post(
            f"/services/{loan.id}/void", data={"csrf_token": token, "reason": "x"}
        ).status_code
        == 404
    )
    login(client, "gz", PASSWORD)
    token = csrf(client, f"/graduates/{graduate.id}")
    assert (
        client.post(
            f"/services/{loan.id}/void", data={"csrf_token": token, "reason": ""}
        ).status_code
        == 422
    )
    asked = client.post(f"/services/{loan.id}/void", data={"csrf_token": token, "reason": "重复"})
    assert asked.status_code == 200 and "确认作废" in asked.get_data(as_text=True)  # asks first
    session.refresh(loan)
    assert loan.voided_at is None  # nothing done yet
    assert (
        client.post(
            f"/services/{loan.id}/void",
            data={"csrf_token": token, "reason": "重复", "confirm": "yes"},
        ).status_code
        == 302
    )
    page = client.get(f"/graduates/{graduate.id}").get_data(as_text=True)
    assert 'class="void"' in page and "已作废：重复" in page


def test_record_service_through_http(
    client: FlaskClient, session: Session, officers: None, graduate: Graduate
) -> None:
    login(client, "gz", PASSWORD)
    token = csrf(client, f"/graduates/{graduate.id}")
    data = {"csrf_token": token, "kind": "employed", "service_date": "2012-08-03", "org": "440100"}
    assert client.post(f"/graduates/{graduate.id}/services", data=data).status_code == 302
    session.refresh(graduate)
    assert graduate.status == EmploymentStatus.EMPLOYED
    forged = dict(data, org="510000", kind="policy")  # an org outside the officer's region
    assert client.post(f"/graduates/{graduate.id}/services", data=forged).status_code == 422


def test_transfer_accepted_moves_the_archive_with_its_history(
    client: FlaskClient, session: Session, officers: None, graduate: Graduate
) -> None:
    gz = officer_actor(session, "440100")
    record_service(
        session,
        gz,
        graduate,
        kind=ServiceKind.POLICY,
        on=date(2012, 7, 9),
        org=get_org(session, "440100"),
    )
    session.commit()
    login(client, "gz", PASSWORD)
    token = csrf(client, f"/graduates/{graduate.id}")
    assert (
        client.post(
            f"/graduates/{graduate.id}/transfer",
            data={"csrf_token": token, "to_org": "510100", "reason": "家庭迁居成都"},
        ).status_code
        == 302
    )
    again = client.post(
        f"/graduates/{graduate.id}/transfer",
        data={"csrf_token": token, "to_org": "510100", "reason": "x"},
    )
    assert again.status_code == 409
    login(client, "wh", PASSWORD)  # not the receiving org
    token = csrf(client, "/graduates/transfers")
    transfer_id = session.scalar(select(ArchiveTransfer.id))
    assert (
        client.post(
            f"/graduates/transfers/{transfer_id}/accept", data={"csrf_token": token}
        ).status_code
        == 404
    )
    login(client, "sc", PASSWORD)  # 四川省 is above 成都: may accept
    page = client.get("/graduates/transfers").get_data(as_text=True)
    assert "家庭迁居成都" in page and graduate.id_number not in page
    token = csrf(client, "/graduates/transfers")
    assert (
        client.post(
            f"/graduates/transfers/{transfer_id}/accept", data={"csrf_token": token}
        ).status_code
        == 302
    )
    session.refresh(graduate)
    assert graduate.home_org.code == "510100"
    assert len(client.get(f"/graduates/{graduate.id}").get_data(as_text=True)) > 0
    assert client.get(f"/graduates/{graduate.id}/edit").status_code == 200
    services = session.scalars(
        select(ServiceRecord).where(ServiceRecord.graduate_id == graduate.id)
    ).all()
    assert [s.kind for s in services] == [ServiceKind.POLICY]  # the history travelled with it
    login(client, "gz", PASSWORD)  # 广州 no longer holds the archive
    assert client.get(f"/graduates/{graduate.id}/edit").status_code == 404


def test_refused_transfer_changes_nothing(session: Session, graduate: Graduate) -> None:
    transfer = transfers.request_transfer(
        session, officer_actor(session, "440100"), graduate, "510100", "迁居"
    )
    with pytest.raises(NotFound):
        transfers.decide_transfer(
            session, officer_actor(session, "420000"), transfer.id, accept=True
        )
    transfers.decide_transfer(
        session, officer_actor(session, "510100"), transfer.id, accept=False, note="查无此户"
    )
    assert graduate.home_org.code == "440100"
    with pytest.raises(Conflict):
        transfers.decide_transfer(
            session, officer_actor(session, "510100"), transfer.id, accept=True
        )


def test_search_by_pinyin_initials_digits_and_filters(session: Session, hq_actor: Actor) -> None:
    session.add(Campaign(year=2012, **Campaign.default_dates(2012)))
    people = [
        ("张三", make_id("440106", seq="111"), 2012, [Hardship.DIBAO], "中山大学", "440100"),
        ("张珊珊", make_id("440106", seq="222"), 2011, [], "暨南大学", "440100"),
        ("曾小军", make_id("440106", seq="333"), 2012, [Hardship.DISABILITY], "武汉大学", "420100"),
    ]
    made = {}
    for name, idn, year, hardships, school, region in people:
        made[name] = service.register_graduate(
            session,
            hq_actor,
            graduate_input(
                idn,
                "440100",
                region,
                name=name,
                graduation_year=year,
                hardships=hardships,
                school_name=school,
            ),
        )
    gz = officer_actor(session, "440100")

    def names(**kw: object) -> list[str]:
        return [g.name for g in search(session, gz, GraduateQuery(**kw), 50).rows]  # type: ignore[arg-type]

    assert names(q="zhangsan") == ["张三"]
    assert names(q="ZhangShan") == ["张珊珊"]
    assert set(names(q="zs")) == {"张三", "张珊珊"}  # initials match as a prefix
    assert names(q="zss") == ["张珊珊"]
    assert names(q="zengxiao") == ["曾小军"]  # the surname's reading, not ceng
    last4 = made["张珊珊"].id_number[-4:]
    assert "张珊珊" in names(q=last4)
    assert names(q="武汉") == ["曾小军"]
    assert names(q=made["张珊珊"].id_number.lower()) == ["张珊珊"]  # a whole ID number
    assert set(names(cohort="fresh")) == {"张三", "曾小军"} and names(cohort="previous") == [
        "张珊珊"
    ]
    assert names(hardship="disability") == ["曾小军"]
    assert names(school_org="420000") == ["曾小军"]
    assert names(sort="name", descending=False) == ["曾小军", "张三", "张珊珊"]
    page = search(session, gz, GraduateQuery(page=2), 2)
    assert page.total == 3 and page.pages == 2 and len(page.rows) == 1
    assert names(q="%") == [] and names(q="'; DROP TABLE graduate; --") == []


def test_register_form_defaults_to_the_officers_org(client: FlaskClient, officers: None) -> None:
    login(client, "gz", PASSWORD)
    page = client.get("/graduates/new").get_data(as_text=True)
    assert page.count('<option selected value="440100">') == 2  # home org and school region
    assert (
        '<option value="000000">' not in page.split('name="school_region"')[1].split("</select>")[0]
    )


def test_a_region_code_not_in_the_table_is_refused_on_every_path(
    client: FlaskClient, session: Session, officers: None, hq_actor: object
) -> None:
    """999999 has six digits and names no place: the matcher told a graduate "工作地在生源地"."""
    from matchsvc.imports.engine import run_import
    from matchsvc.imports.graduates import GraduateImporter

    from ..imports.sheets import GRADUATE_HEADER, csv_bytes, graduate_row

    login(client, "gz", PASSWORD)
    before = session.scalar(select(func.count()).select_from(Graduate))
    for field in ("origin_region_code", "wish_regions"):
        bad = client.post("/graduates/new", data=form_data(client, **{field: "999999"}))
        page = bad.get_data(as_text=True)
        assert bad.status_code == 422 and "没有区划代码为 999999 的地区" in page, field
        assert 'value="李小明"' in page  # what was typed is kept
    row = graduate_row(make_id("440106", seq="778"))
    row[GRADUATE_HEADER.index("院校所在地代码")] = "999999"
    report = run_import(
        session,
        hq_actor,
        GraduateImporter,
        csv_bytes(GRADUATE_HEADER, [row]),
        "g.csv",
        dry_run=True,
    )
    assert any("999999" in e.reason for e in report.errors)
    assert session.scalar(select(func.count()).select_from(Graduate)) == before


def test_dates_as_officers_write_them_and_a_wrong_one_says_so(
    client: FlaskClient, session: Session, officers: None
) -> None:
    from matchsvc.validators import DATE_FORMAT, parse_date

    for text in ("2012-08-15", "2012/8/15", "2012.8.15", "2012年8月15日", " 2012-8-15 "):
        assert parse_date(text).isoformat() == "2012-08-15", text
    login(client, "gz", PASSWORD)
    for text, message in (("08/15/2012", DATE_FORMAT), ("2012-02-30", "没有这一天")):
        bad = client.post("/graduates/new", data=form_data(client, registered_on=text))
        page = bad.get_data(as_text=True)
        assert bad.status_code == 422 and message in page, text
        assert "此项必填" not in page
    ok = client.post("/graduates/new", data=form_data(client, registered_on="2012年7月5日"))
    assert ok.status_code == 302
    graduate = session.scalar(select(Graduate).where(Graduate.name == "李小明"))
    assert graduate is not None and graduate.registered_on.isoformat() == "2012-07-05"


def test_a_service_dated_in_the_future_is_refused(session: Session, hq_actor: object) -> None:
    from datetime import timedelta

    import pytest

    from matchsvc import clock
    from matchsvc.assistance.service import record_service
    from matchsvc.errors import DomainError
    from matchsvc.graduates.service import register_graduate
    from matchsvc.models import ServiceKind
    from matchsvc.orgs.service import get_org

    from ..conftest import graduate_input

    g = register_graduate(
        session,
        hq_actor,
        graduate_input(make_id("440106", seq="779"), "440100", "440100"),  # type: ignore[arg-type]
    )
    with pytest.raises(DomainError, match="不能晚于今天"):
        record_service(
            session,
            hq_actor,  # type: ignore[arg-type]
            g,
            kind=ServiceKind.POLICY,
            on=clock.today() + timedelta(days=1),
            org=get_org(session, "440100"),
        )


def test_a_graduation_year_past_next_year_or_before_fifteen_is_refused(
    client: FlaskClient, session: Session, officers: None, hq_actor: Actor
) -> None:
    from matchsvc import clock

    late = clock.today().year + 2
    login(client, "gz", PASSWORD)
    bad = client.post("/graduates/new", data=form_data(client, graduation_year=str(late)))
    page = bad.get_data(as_text=True)
    assert bad.status_code == 422 and f"1950–{late - 1}" in page
    assert session.scalar(select(Graduate).where(Graduate.name == "李小明")) is None
    officer = officer_actor(session, "440100")
    for year, words in ((late, "1950–"), (2000, "不满15岁")):
        with pytest.raises(DomainError, match=words) as refused:
            service.register_graduate(
                session,
                officer,
                graduate_input(make_id("440106", seq="909"), "440100", "440100",
                               graduation_year=year),
            )  # fmt: skip
        assert refused.value.field == "graduation_year"
