"""今日待办: each group counts what the officer has to do (and what is late) within their reach; a
service verifies an archive; HQ and provinces see the overdue counts per org below them; the
nightly reminders tell each one once; the page links every line to its action."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from matchsvc import clock
from matchsvc.actors import Actor
from matchsvc.assistance.service import record_service
from matchsvc.auth.service import create_user
from matchsvc.followups.service import remind_due
from matchsvc.graduates.service import register_graduate
from matchsvc.models import (
    Employer,
    EmployerKind,
    EmployerStatus,
    Graduate,
    GraduateRequest,
    Org,
    Position,
    ReferralState,
    RequestKind,
    Role,
    ServiceKind,
)
from matchsvc.orgs.service import add_org, get_org
from matchsvc.portals.requests import is_overdue, waiting_days
from matchsvc.referrals.service import record_step, refer
from matchsvc.worklist import service

from ..conftest import graduate_input, make_id, officer_actor
from ..helpers import PASSWORD, TODAY, csrf, employer, login, notice_texts, post, uscc


def _graduate(session: Session, seq: str, home: str, registered: date, **kw: object) -> Graduate:
    region = {"440100": "440106", "440106": "440106", "420100": "420106"}[home]
    return register_graduate(
        session,
        officer_actor(session, home),
        graduate_input(
            make_id(region, seq=seq), home, home, name=f"待办{seq}", registered_on=registered, **kw
        ),
    )


def _request(session: Session, g: Graduate, working_days_ago: int) -> GraduateRequest:
    made = clock.working_days_before(TODAY, working_days_ago)
    r = GraduateRequest(
        graduate_id=g.id,
        kind=RequestKind.CORRECTION,
        text="手机号已更换",
        created_at=datetime.combine(made, time(10), clock.CHINA),
    )
    session.add(r)
    session.flush()
    return r


def _world(session: Session, hq: Actor) -> dict[str, object]:
    add_org(session, hq, "440106", "天河区总工会", "440100")
    gz = officer_actor(session, "440100")
    old = TODAY - timedelta(days=800)
    stale = _graduate(session, "701", "440100", old)  # never helped, not verified for 2 years
    helped = _graduate(session, "702", "440106", old)
    record_service(
        session, gz, helped, kind=ServiceKind.POLICY, on=TODAY - timedelta(days=200),
        org=get_org(session, "440106"),
    )  # fmt: skip
    hired = _graduate(session, "703", "440106", TODAY - timedelta(days=90))
    record_service(
        session, gz, hired, kind=ServiceKind.EMPLOYED, on=TODAY - timedelta(days=40),
        org=get_org(session, "440106"),
    )  # fmt: skip
    e = employer(session, 81)
    create_user(
        session, hq, role=Role.EMPLOYER, username="hr81", password=PASSWORD, employer_uscc=e.uscc
    )
    p = post(session, e, "岗位81", [], published_on=TODAY - timedelta(days=60))
    waiting = _graduate(session, "704", "440100", TODAY - timedelta(days=30))
    late_referral = refer(session, gz, waiting.id, p.id, TODAY - timedelta(days=20))
    old_request = _request(session, stale, 8)
    new_request = _request(session, waiting, 2)
    pending = Employer(
        name="待审核单位",
        uscc=uscc(82),
        kind=EmployerKind.OTHER,
        org_id=get_org(session, "440106").id,
        status=EmployerStatus.PENDING,
    )
    session.add(pending)
    hubei = _graduate(session, "705", "420100", old)  # elsewhere: in no 广州 count
    session.flush()
    return {
        "gz": gz, "stale": stale, "helped": helped, "hired": hired, "waiting": waiting,
        "referral": late_referral, "old_request": old_request, "new_request": new_request,
        "hubei": hubei, "post": p,
    }  # fmt: skip


def test_each_group_counts_the_officers_own_work(session: Session, hq_actor: Actor) -> None:
    w = _world(session, hq_actor)
    gz = w["gz"]
    assert isinstance(gz, Actor)
    groups = {g.key: g for g in service.groups(session, gz)}
    assert groups["follow_ups"].count == 1 and groups["follow_ups"].overdue == 1
    assert groups["feedback"].count == 1
    assert groups["requests"].count == 2 and groups["requests"].overdue == 1
    assert is_overdue(w["old_request"]) and not is_overdue(w["new_request"])  # type: ignore[arg-type]
    assert waiting_days(w["old_request"]) == 8  # type: ignore[arg-type]
    assert groups["employers"].count == 1

    def names(key: str, actor: Actor = gz) -> list[str]:
        listed = sorted(g.name for g in session.scalars(service.archives(session, actor, key)))
        counted = {x.key: x for x in service.groups(session, actor)}[key]
        assert counted.count == len(listed), key  # the page's count is its list's length
        return listed

    assert names("unverified") == ["待办701"]  # 702 was helped 200 days ago
    assert names("no_contact") == ["待办701", "待办702"]
    assert names("never_helped") == ["待办701", "待办704"]  # 703 works now: not being helped
    assert service.total(list(groups.values())) == 1 + 1 + 2 + 1

    county = {g.key: g for g in service.groups(session, officer_actor(session, "440106"))}
    assert county["follow_ups"].count == 1 and county["feedback"].count == 0
    assert names("no_contact", officer_actor(session, "440106")) == ["待办702"]
    wuhan = {g.key: g for g in service.groups(session, officer_actor(session, "420100"))}
    assert names("unverified", officer_actor(session, "420100")) == ["待办705"]
    assert wuhan["requests"].count == wuhan["follow_ups"].count == wuhan["employers"].count == 0

    stale = w["stale"]
    assert isinstance(stale, Graduate)
    record_service(
        session, gz, stale, kind=ServiceKind.POLICY, on=TODAY, org=get_org(session, "440100")
    )
    assert stale.verified_on == TODAY
    again = {g.key: g for g in service.groups(session, gz)}
    assert again["unverified"].count == 0 and again["never_helped"].count == 1


def test_hq_and_provinces_see_the_overdue_counts_below_them(
    session: Session, hq_actor: Actor
) -> None:
    _world(session, hq_actor)
    national = {r.code: r.counts for r in service.by_org(session, hq_actor)}
    assert national["440000"] == {"follow_ups": 1, "feedback": 1, "requests": 1, "unverified": 1}
    assert national["420000"] == {"unverified": 1}
    province = {r.code: r for r in service.by_org(session, officer_actor(session, "440000"))}
    assert set(province) == {"440100"}  # 天河 is below 广州, counted in its row
    assert province["440100"].name == "广州市总工会"
    assert province["440100"].counts["follow_ups"] == 1
    city = {r.code: r.counts for r in service.by_org(session, officer_actor(session, "440100"))}
    assert city == {"440106": {"follow_ups": 1}}


def test_the_reminders_tell_each_once(session: Session, hq_actor: Actor) -> None:
    w = _world(session, hq_actor)
    for username, org in (("gz", "440100"), ("th", "440106"), ("wh", "420100")):
        create_user(
            session, hq_actor, role=Role.OFFICER, username=username, password=PASSWORD,
            org_code=org,
        )  # fmt: skip
    assert remind_due(session, TODAY) == 1
    assert remind_due(session, TODAY) == 0
    assert any("1 人次就业回访已到期" in t for t in notice_texts(session, "th"))
    assert not notice_texts(session, "gz")
    monday = TODAY + timedelta(days=(7 - TODAY.weekday()) % 7)
    assert service.remind_unverified(session, monday + timedelta(days=1)) == 0  # not a Monday
    assert service.remind_unverified(session, monday) == 2  # 广州 (701) and 武汉 (705)
    assert any("一年未核实" in t for t in notice_texts(session, "wh"))
    assert w["hubei"] is not None


def test_the_page_links_each_line_to_its_action(
    session: Session,
    hq_actor: Actor,
    client,  # type: ignore[no-untyped-def]
) -> None:
    w = _world(session, hq_actor)
    create_user(
        session, hq_actor, role=Role.OFFICER, username="gz", password=PASSWORD, org_code="440100"
    )
    session.commit()
    login(client, "gz", PASSWORD)
    page = client.get("/todo/").get_data(as_text=True)
    referral = w["referral"]
    for text in ("就业回访到期：1 人次", "待办703", "催办", "待办704", "毕业生申请：2 条",
                 "待审核单位", "一年未核实：1 人", "从未帮扶过：2 人", "今日待办"):  # fmt: skip
        assert text in page, text
    assert f"/officer/referrals/{referral.id}/chase" in page  # type: ignore[attr-defined]
    assert "下级组织逾期情况" not in page  # a city officer
    assert "1 条推荐待反馈" in page  # the nav's line
    chased = client.post(
        f"/officer/referrals/{referral.id}/chase",  # type: ignore[attr-defined]
        data={"csrf_token": csrf(client, "/todo/"), "back": "/todo/"},
    )
    assert chased.status_code == 302 and chased.headers["Location"].endswith("/todo/")
    assert any("催办" in t for t in notice_texts(session, "hr81"))
    archives = client.get("/todo/archives/never_helped").get_data(as_text=True)
    assert "待办701" in archives and "待办704" in archives and "待办705" not in archives
    assert client.get("/todo/archives/nothing").status_code == 404
    hr = client.application.test_client()
    login(hr, "hr81", PASSWORD)
    home = hr.get("/employer/").get_data(as_text=True)
    assert "待反馈：1 条" in home and "待办704" in home and "工会已催办 1 次" in home
    p = w["post"]
    assert isinstance(p, Position)
    record_step(session, officer_actor(session, "440100"), referral, ReferralState.REJECTED,  # type: ignore[arg-type]
                TODAY, reason="不合适")  # fmt: skip
    session.commit()
    assert "待反馈" not in hr.get("/employer/").get_data(as_text=True)
    assert session.scalar(select(Org.id).where(Org.code == "440106")) is not None
