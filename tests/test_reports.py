"""The province report: submit (frozen), reopened only by HQ with a reason; the reminder."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from decimal import Decimal

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from matchsvc.actors import Actor
from matchsvc.assistance.service import record_service
from matchsvc.auth.service import create_user
from matchsvc.graduates.service import register_graduate
from matchsvc.models import Campaign, ReportState, Role, ServiceKind
from matchsvc.orgs.service import get_org
from matchsvc.stats.reports import report_for

from .conftest import graduate_input, make_id
from .test_auth import csrf, login

PASSWORD = "Passw0rd!"


def setup(session: Session, hq_actor: Actor, due: date | None = None) -> Campaign:
    dates = Campaign.default_dates(2012)
    if due is not None:
        dates["report_due_on"] = due
    campaign = Campaign(year=2012, **dates)
    session.add(campaign)
    for username, role, org in (
        ("gd", Role.OFFICER, "440000"),
        ("gz", Role.OFFICER, "440100"),
        ("boss", Role.HQ, "000000"),
    ):
        create_user(
            session, hq_actor, role=role, username=username, password=PASSWORD, org_code=org
        )
    g = register_graduate(session, hq_actor, graduate_input(make_id("440106"), "440100", "440100"))
    record_service(
        session,
        hq_actor,
        g,
        kind=ServiceKind.JOB_SUBSIDY,
        on=date(2012, 8, 1),
        org=get_org(session, "440100"),
        amount=Decimal("500"),
    )
    session.commit()
    return campaign


def item(page: str, wording: str) -> str:
    match = re.search(re.escape(wording) + r'</td><td class="num"><a [^>]*>([^<]+)</a></td>', page)
    assert match, wording
    return match.group(1)


def test_submit_freeze_reopen(
    client: FlaskClient, session: Session, hq_actor: Actor, runner
) -> None:  # type: ignore[no-untyped-def]
    from matchsvc.cli import main

    campaign = setup(session, hq_actor)
    login(client, "gz", PASSWORD)  # a city officer sees the table but cannot submit
    assert (
        item(client.get("/stats/").get_data(as_text=True), "共资助困难职工家庭高校毕业生求职")
        == "1"
    )
    token = csrf(client, "/stats/")
    assert (
        client.post(
            "/stats/submit",
            data={"csrf_token": token, "reporter": "x", "phone": "020-1234567", "summary": "x"},
        ).status_code
        == 403
    )
    login(client, "gd", PASSWORD)
    token = csrf(client, "/stats/")
    empty = client.post(
        "/stats/submit",
        data={"csrf_token": token, "reporter": "王干事", "phone": "abc", "summary": "总结"},
    )
    assert empty.status_code == 422 and "联系电话格式不正确" in empty.get_data(as_text=True)
    ok = client.post(
        "/stats/submit",
        data={
            "csrf_token": token,
            "reporter": "王干事",
            "phone": "020-83123456",
            "summary": "今年共帮扶……",
        },
    )
    assert ok.status_code == 302
    report = report_for(session, campaign, get_org(session, "440000"))
    session.refresh(report)
    assert (
        report.state == ReportState.SUBMITTED
        and report.items is not None
        and report.items["14A"] == 1
    )
    # A record entered later changes the live table, not the submitted one.
    g = register_graduate(
        session, hq_actor, graduate_input(make_id("440106", seq="777"), "440100", "440100")
    )
    record_service(
        session,
        hq_actor,
        g,
        kind=ServiceKind.JOB_SUBSIDY,
        on=date(2012, 8, 2),
        org=get_org(session, "440100"),
        amount=Decimal("500"),
    )
    session.commit()
    assert (
        item(client.get("/stats/").get_data(as_text=True), "共资助困难职工家庭高校毕业生求职")
        == "1"
    )
    live = json.loads(
        runner.invoke(main, ["stats", "--campaign", "2012", "--org", "440000"]).output
    )
    frozen = json.loads(
        runner.invoke(
            main, ["stats", "--campaign", "2012", "--org", "440000", "--submitted"]
        ).output
    )
    assert live["items"]["14A"] == 2 and frozen["items"]["14A"] == 1
    again = client.post(
        "/stats/submit",
        data={
            "csrf_token": token,
            "reporter": "王干事",
            "phone": "020-83123456",
            "summary": "再报",
        },
    )
    assert again.status_code == 422 and "已上报" in again.get_data(as_text=True)
    # Only HQ reopens, with a reason.
    assert (
        client.post(
            "/stats/provinces/440000/reopen", data={"csrf_token": token, "reason": "x"}
        ).status_code
        == 403
    )
    login(client, "boss", PASSWORD)
    overview = client.get("/stats/provinces").get_data(as_text=True)
    assert "已上报 1 / 34" in overview and "王干事" in overview
    token = csrf(client, "/stats/provinces")
    assert (
        client.post(
            "/stats/provinces/440000/reopen", data={"csrf_token": token, "reason": ""}
        ).status_code
        == 422
    )
    assert (
        client.post(
            "/stats/provinces/440000/reopen", data={"csrf_token": token, "reason": "14项数字需核对"}
        ).status_code
        == 302
    )
    session.refresh(report)
    assert report.state == ReportState.REOPENED and report.items is None
    assert (
        runner.invoke(
            main, ["stats", "--campaign", "2012", "--org", "440000", "--submitted"]
        ).exit_code
        == 1
    )
    login(client, "gd", PASSWORD)
    assert "14项数字需核对" in client.get("/stats/").get_data(as_text=True)
    token = csrf(client, "/stats/")
    assert (
        client.post(
            "/stats/submit",
            data={
                "csrf_token": token,
                "reporter": "王干事",
                "phone": "020-83123456",
                "summary": "已核对",
            },
        ).status_code
        == 302
    )
    session.refresh(report)
    assert (
        report.state == ReportState.SUBMITTED
        and report.items is not None
        and report.items["14A"] == 2
    )


def test_reminder_as_the_due_date_nears(
    client: FlaskClient, session: Session, hq_actor: Actor
) -> None:
    setup(session, hq_actor, due=date.today() + timedelta(days=3))
    login(client, "gd", PASSWORD)
    assert "截止上报，本省尚未上报" in client.get("/graduates/").get_data(as_text=True)
    token = csrf(client, "/stats/")
    client.post(
        "/stats/submit",
        data={
            "csrf_token": token,
            "reporter": "王干事",
            "phone": "020-83123456",
            "summary": "总结",
        },
    )
    assert "截止上报" not in client.get("/graduates/").get_data(as_text=True)
    login(client, "gz", PASSWORD)  # not a province officer: no reminder
    assert "截止上报" not in client.get("/graduates/").get_data(as_text=True)
