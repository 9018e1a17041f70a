"""The province report: submit (frozen), reopened only by HQ with a reason; the reminder."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from decimal import Decimal

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from matchsvc import clock
from matchsvc.actors import Actor
from matchsvc.assistance.service import record_service
from matchsvc.auth.service import create_user
from matchsvc.graduates.service import register_graduate
from matchsvc.models import Campaign, ReportState, Role, ServiceKind
from matchsvc.orgs.service import get_org
from matchsvc.stats.reports import report_for

from ..conftest import graduate_input, make_id
from ..helpers import AID, csrf, login, notice_texts

PASSWORD = "Passw0rd!"


def setup(
    session: Session, hq_actor: Actor, due: date | None = None, *, aid: bool = True
) -> Campaign:
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
    if aid:  # 广东 has entered its items 01–05 (submitting needs them)
        from matchsvc.models import User
        from matchsvc.stats.reports import save_draft

        gd = session.scalar(select(User).where(User.username == "gd"))
        assert gd is not None
        save_draft(
            session,
            Actor.for_user(gd),
            campaign,
            get_org(session, "440000"),
            AID,
            reporter="",
            phone="",
            summary="",
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
    unconfirmed = client.post(
        "/stats/submit",
        data={
            "csrf_token": token,
            "reporter": "王干事",
            "phone": "020-83123456",
            "summary": "总结",
        },
    )
    page = unconfirmed.get_data(as_text=True)
    assert unconfirmed.status_code == 422 and "请勾选确认后再上报" in page  # irreversible: asked
    assert 'value="王干事"' in page and "总结</textarea>" in page  # what was typed is kept
    empty = client.post(
        "/stats/submit",
        data={
            "csrf_token": token,
            "reporter": "王干事",
            "phone": "abc",
            "summary": "总结",
            "confirm": "y",
        },
    )
    assert empty.status_code == 422 and "联系电话格式不正确" in empty.get_data(as_text=True)
    ok = client.post(
        "/stats/submit",
        data={
            "csrf_token": token,
            "reporter": "王干事",
            "phone": "020-83123456",
            "summary": "今年共帮扶……",
            "confirm": "y",
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
            "confirm": "y",
        },
    )
    assert again.status_code == 409 and "已上报" in again.get_data(as_text=True)
    # Only HQ reopens, with a reason.
    assert (
        client.post(
            "/stats/provinces/440000/reopen", data={"csrf_token": token, "reason": "x"}
        ).status_code
        == 403
    )
    login(client, "boss", PASSWORD)
    overview = client.get("/stats/provinces").get_data(as_text=True)
    assert "已上报 1 / 31" in overview and "王干事" in overview
    # HQ reads the province's items 01–05 too, as submitted
    sent = client.get("/stats/provinces/440000?campaign=2012").get_data(as_text=True)
    for key in ("01A", "04A_amount", "05A_persons"):
        assert f'id="aid-{key}"' in sent, key
    row = sent[sent.index('id="aid-04A_amount"') :].split("</tr>")[0]
    assert "24.50" in row and "万元" in row
    token = csrf(client, "/stats/provinces")
    assert (
        client.post(
            "/stats/provinces/440000/reopen", data={"csrf_token": token, "reason": ""}
        ).status_code
        == 422
    )
    assert (
        client.post(
            "/stats/provinces/440000/reopen",
            data={"csrf_token": token, "reason": "14项数字需核对，请核对后重新上报。"},
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
    reopened = client.get("/stats/").get_data(as_text=True)
    assert "14项数字需核对" in reopened and reopened.count("重新上报。") == 1  # said once
    token = csrf(client, "/stats/")
    assert (
        client.post(
            "/stats/submit",
            data={
                "csrf_token": token,
                "reporter": "王干事",
                "phone": "020-83123456",
                "summary": "已核对",
                "confirm": "y",
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
    setup(session, hq_actor, due=clock.today() + timedelta(days=3))
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
            "confirm": "y",
        },
    )
    assert "截止上报" not in client.get("/graduates/").get_data(as_text=True)
    login(client, "gz", PASSWORD)  # not a province officer: no reminder
    assert "截止上报" not in client.get("/graduates/").get_data(as_text=True)


def test_hq_creates_and_edits_campaigns_on_the_web(
    client: FlaskClient, session: Session, hq_actor: Actor
) -> None:
    setup(session, hq_actor)
    login(client, "gd", PASSWORD)
    assert client.get("/stats/campaigns").status_code == 403
    login(client, "boss", PASSWORD)
    token = csrf(client, "/stats/campaigns")
    assert (
        client.post("/stats/campaigns", data={"csrf_token": token, "year": "2013"}).status_code
        == 302
    )
    created = session.scalar(select(Campaign).where(Campaign.year == 2013))
    assert created is not None and (created.starts_on, created.report_due_on) == (
        date(2013, 7, 1),
        date(2013, 9, 10),
    )
    bad = client.post(
        "/stats/campaigns", data={"csrf_token": token, "year": "2013", "cutoff_on": "2013-06-01"}
    )
    assert bad.status_code == 422 and "统计截止日期" in bad.get_data(as_text=True)
    assert (
        client.post(
            "/stats/campaigns",
            data={"csrf_token": token, "year": "2013", "report_due_on": "2013-09-20"},
        ).status_code
        == 302
    )
    session.refresh(created)
    assert created.report_due_on == date(2013, 9, 20) and created.cutoff_on == date(2013, 8, 31)


def test_download_own_table(client: FlaskClient, session: Session, hq_actor: Actor) -> None:
    from matchsvc.stats.export import read_notice_xlsx

    setup(session, hq_actor)
    login(client, "gd", PASSWORD)
    as_json = client.get("/stats/table.json?campaign=2012")
    assert (
        as_json.status_code == 200
        and as_json.json["org"] == "440000"
        and as_json.json["items"]["14A"] == 1
    )
    workbook = client.get("/stats/table.xlsx?campaign=2012")
    assert read_notice_xlsx(workbook.data) == as_json.json["items"]
    text = client.get("/stats/table.csv?campaign=2012").data.decode("utf-8-sig")
    assert "广东省总工会" in text and "发放求职补贴" in text
    assert "填报说明：数据统计截止日期为2012年8月31日。" in text  # the CSV carries it too


def test_hq_reads_the_summary_chases_the_late_and_the_reminder_goes_on(
    app, session: Session, hq_actor: Actor
) -> None:  # type: ignore[no-untyped-def]
    from matchsvc.models import AuditEvent

    setup(session, hq_actor, due=clock.today() - timedelta(days=3))
    gd, boss = app.test_client(), app.test_client()
    login(gd, "gd", PASSWORD)
    login(boss, "boss", PASSWORD)
    assert "已逾期 3 天" in gd.get("/graduates/").get_data(as_text=True)  # after the due date too
    listing = boss.get("/stats/provinces?campaign=2012").get_data(as_text=True)
    assert "逾期" in listing and "/stats/provinces/440000?campaign=2012" in listing
    assert "/stats/provinces/710000" not in listing  # 台湾省 has no provincial union to report
    token = csrf(boss, "/stats/provinces?campaign=2012")
    chased = boss.post(
        "/stats/provinces/440000/chase?campaign=2012",
        data={"csrf_token": token, "message": "请于本周五前上报，逾期将通报。"},
    )
    assert chased.status_code == 302
    assert session.scalar(select(AuditEvent).where(AuditEvent.action == "chase")) is not None
    page = gd.get("/graduates/").get_data(as_text=True)
    assert "全总催报" in page and "逾期将通报。" in page and "。。" not in page
    # the chase reaches 通知 too, not only the banner
    assert any("全总催报" in t and "本周五" in t for t in notice_texts(session, "gd"))
    gd.post(
        "/stats/submit?campaign=2012",
        data={
            "csrf_token": csrf(gd, "/stats/"),
            "reporter": "王干事",
            "phone": "020-83123456",
            "summary": "今年共帮扶困难职工家庭高校毕业生二十名。\n第二段。",
            "confirm": "y",
        },
    )
    assert "截止上报" not in gd.get("/graduates/").get_data(as_text=True)
    report = boss.get("/stats/provinces/440000?campaign=2012").get_data(as_text=True)
    assert "今年共帮扶困难职工家庭高校毕业生二十名。" in report and "王干事" in report
    again = boss.post(
        "/stats/provinces/440000/chase?campaign=2012", data={"csrf_token": token, "message": ""}
    )
    assert again.status_code == 409  # submitted: nothing to chase
    boss.post(
        "/stats/provinces/440000/reopen?campaign=2012",
        data={"csrf_token": token, "reason": "14项需核对"},
    )
    assert "被退回后尚未上报" in gd.get("/graduates/").get_data(as_text=True)
    assert any("退回" in t and "14项需核对" in t for t in notice_texts(session, "gd"))


def test_a_reminder_of_a_campaign_long_past_counts_no_thousands_of_days() -> None:
    from matchsvc.models import Campaign
    from matchsvc.stats.reports import Reminder

    old = Campaign(year=2012, **Campaign.default_dates(2012))
    far = Reminder(old, 5199, "请上报", None, True)
    near = Reminder(old, 12, None, None, False)
    assert far.overdue_words == "早已逾期" and near.overdue_words == "已逾期 12 天"
    assert Reminder(old, 0, None, None, False).overdue_words == ""


def test_items_01_to_05_entered_checked_frozen_and_in_every_export(
    app, session: Session, hq_actor: Actor
) -> None:  # type: ignore[no-untyped-def]
    import io

    from openpyxl import load_workbook

    from matchsvc.stats.export import read_notice_xlsx

    setup(session, hq_actor, aid=False)
    gd = app.test_client()
    login(gd, "gd", PASSWORD)
    token = csrf(gd, "/stats/")
    submit = {
        "csrf_token": token,
        "reporter": "王干事",
        "phone": "020-83123456",
        "summary": "总结",
        "confirm": "y",
    }
    early = gd.post("/stats/submit", data=submit)
    assert early.status_code == 422 and "请先填写第01–05项" in early.get_data(as_text=True)
    wrong = dict(AID, **{"01A": "101", "03B": "abc", "04B_amount": "1.234"})
    refused = gd.post("/stats/aid", data={"csrf_token": token, **wrong})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert "应等于 B+C+D+E 之和（100），现为 101" in page  # the sum, beside 01A
    assert "请填写数字" in page and "最多两位小数" in page
    assert 'name="01A" inputmode="decimal" value="101"' in page  # what was typed is kept
    assert report_for(session, campaign_of(session), get_org(session, "440000")).aid is None
    saved = gd.post("/stats/aid", data={"csrf_token": token, **AID})
    assert saved.status_code == 302
    shown = gd.get("/stats/").get_data(as_text=True)
    assert "2012年助学活动共筹集资金" in shown and "24.50" in shown
    assert "2012年其中" not in shown  # the year names each item once, as the printed form does
    assert gd.post("/stats/submit", data=submit).status_code == 302
    report = report_for(session, campaign_of(session), get_org(session, "440000"))
    session.refresh(report)
    assert report.items is not None and report.items["01A"] == 100.0
    assert report.items["04A_amount"] == 24.5 and report.items["05A_persons"] == 15
    as_json = gd.get("/stats/table.json?campaign=2012").json
    assert as_json["items"]["02D"] == 20.0 and as_json["items"]["06A"] == 1
    api = gd.get("/api/v1/stats?campaign=2012&org=440000").json
    assert api["items"]["03A"] == 500
    csv_text = gd.get("/stats/table.csv?campaign=2012").data.decode("utf-8-sig")
    assert "（01）" in csv_text and "2012年助学活动中共资助困难单亲女职工子女" in csv_text
    workbook = gd.get("/stats/table.xlsx?campaign=2012").data
    assert read_notice_xlsx(workbook) == as_json["items"]
    boss = app.test_client()
    login(boss, "boss", PASSWORD)
    national = load_workbook(io.BytesIO(boss.get("/stats/national.xlsx?campaign=2012").data))
    rows = {r[0].value: [c.value for c in r] for r in national["全国"].iter_rows(min_row=3)}
    assert rows["440000"][3] == 100 and rows["000000"][3] == 100  # 01A, and the total


def campaign_of(session: Session) -> Campaign:
    campaign = session.scalar(select(Campaign).where(Campaign.year == 2012))
    assert campaign is not None
    return campaign


def test_one_report_form_keeps_everything_and_the_province_reads_what_it_sent(
    client: FlaskClient, session: Session, hq_actor: Actor
) -> None:
    """Items 01–05, 填报人, 联系电话 and the 总结报告 are one form: a wrong sum comes back with
    every field as typed; a draft keeps the 总结报告; the sent report is on the province's page."""
    setup(session, hq_actor, aid=False)
    login(client, "gd", PASSWORD)
    token = csrf(client, "/stats/")
    summary = "今年全省共帮扶困难职工家庭高校毕业生二十名。\n其中签约十二名，见习三名。" * 20
    contact = {"reporter": "王干事", "phone": "020-83123456", "summary": summary}
    wrong = dict(AID, **{"01A": "101"})
    refused = client.post("/stats/submit", data={"csrf_token": token, **wrong, **contact})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert "应等于 B+C+D+E 之和（100），现为 101" in page
    assert "请勾选确认后再上报" in page  # every error of the form at once
    assert 'value="王干事"' in page and 'value="020-83123456"' in page
    assert "其中签约十二名，见习三名。</textarea>" in page  # the long summary, kept
    assert 'name="01A" inputmode="decimal" value="101"' in page
    # 保存草稿 from the same form: no confirmation needed, the summary saved with the figures
    draft = client.post("/stats/aid", data={"csrf_token": token, **AID, **contact})
    assert draft.status_code == 302
    report = report_for(session, campaign_of(session), get_org(session, "440000"))
    session.refresh(report)
    assert report.summary == summary.strip() and report.reporter == "王干事"
    assert report.aid is not None and report.aid["01A"] == 100
    assert report.state == ReportState.DRAFT
    again = client.get("/stats/").get_data(as_text=True)
    assert "其中签约十二名，见习三名。</textarea>" in again and 'value="王干事"' in again
    sent = client.post(
        "/stats/submit", data={"csrf_token": token, **AID, **contact, "confirm": "y"}
    )
    assert sent.status_code == 302
    shown = client.get("/stats/").get_data(as_text=True)
    assert "已上报的总结报告" in shown and "其中签约十二名，见习三名。" in shown
    assert "<textarea" not in shown  # frozen: no form any more


def test_a_draft_with_a_wrong_phone_changes_nothing(
    client: FlaskClient, session: Session, hq_actor: Actor
) -> None:
    setup(session, hq_actor, aid=False)
    login(client, "gd", PASSWORD)
    token = csrf(client, "/stats/")
    data = {"csrf_token": token, **AID, "reporter": "王干事", "phone": "abc", "summary": "草稿"}
    refused = client.post("/stats/aid", data=data)
    assert refused.status_code == 422 and "联系电话格式不正确" in refused.get_data(as_text=True)
    report = report_for(session, campaign_of(session), get_org(session, "440000"))
    session.refresh(report)
    assert report.aid is None and report.summary is None
