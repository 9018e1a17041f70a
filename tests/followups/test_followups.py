"""回访 after a hire: every 实现就业 (a referral's hire, an application's, a confirmed 报告已签约, one
an officer records) schedules follow-ups at 1, 3 and 6 months; answering "left, wants help" puts the
graduate back to 未就业 for the matcher and cancels the later follow-ups; 稳定就业 and retention per
province count the answers; only the home org (or the graduate) answers; a void takes the
follow-ups with it."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from matchsvc import clock
from matchsvc.actors import Actor
from matchsvc.assistance.service import record_service, void_service
from matchsvc.auth.service import create_user
from matchsvc.cli import main
from matchsvc.config import ConfigError, follow_up_settings
from matchsvc.errors import Conflict, DomainError, Invalid, NotFound, problems_of
from matchsvc.followups import retention, service
from matchsvc.followups.service import Answer
from matchsvc.graduates.service import register_graduate
from matchsvc.matching import loader
from matchsvc.models import (
    AuditEvent,
    EmploymentStatus,
    FollowUp,
    FollowUpState,
    Graduate,
    Hire,
    HireSource,
    ReferralState,
    RequestKind,
    Role,
    ServiceKind,
)
from matchsvc.orgs.service import add_org, get_org
from matchsvc.portals.requests import ask, resolve
from matchsvc.referrals.service import apply, record_step, refer

from ..conftest import graduate_input, make_id, officer_actor
from ..helpers import PASSWORD, TODAY, csrf, employer, login, post


def _graduate(session: Session, seq: str, home: str = "440100", **kw: object) -> Graduate:
    officer = officer_actor(session, home)
    region = home[:4] + "06" if home != "440100" else "440106"
    return register_graduate(
        session,
        officer,
        graduate_input(make_id(region, seq=seq), home, home, name=f"回访{seq}", **kw),
    )


def _hire_by_referral(session: Session, g: Graduate, on: date, n: int = 71) -> Hire:
    officer = officer_actor(session, "440100")
    p = post(session, employer(session, n), f"岗位{n}", [])
    r = refer(session, officer, g.id, p.id, on)
    record_step(session, officer, r, ReferralState.HIRED, on)
    hire = session.scalar(select(Hire).where(Hire.graduate_id == g.id, Hire.position_id == p.id))
    assert hire is not None
    return hire


def _answer(**kw: object) -> Answer:
    values: dict[str, object] = {"answered_on": TODAY, "still_employed": True}
    values.update(kw)
    return Answer(**values)  # type: ignore[arg-type]


def test_a_referral_hire_schedules_follow_ups_at_1_3_and_6_months(session: Session) -> None:
    g = _graduate(session, "801")
    on = date(2026, 1, 31)
    hire = _hire_by_referral(session, g, on)
    assert hire.source == HireSource.REFERRAL and hire.workplace == "单位71 岗位71"
    assert [(f.months, f.due_on, f.state) for f in hire.follow_ups] == [
        (1, date(2026, 2, 28), FollowUpState.DUE),  # no 31 February: the month's last day
        (3, date(2026, 4, 30), FollowUpState.DUE),
        (6, date(2026, 7, 31), FollowUpState.DUE),
    ]
    opened = session.scalar(select(AuditEvent).where(AuditEvent.action == "hire_opened"))
    assert opened is not None and opened.entity_id == hire.id


def test_an_application_hire_and_a_confirmed_signing_open_hires(
    session: Session, hq_actor: Actor
) -> None:
    officer = officer_actor(session, "440100")
    applicant = _graduate(session, "802")
    create_user(
        session, hq_actor, role=Role.GRADUATE, username="g802", password=PASSWORD,
        graduate_id_number=make_id("440106", seq="802"),
    )  # fmt: skip
    me = Actor(role=Role.GRADUATE, label="g802", graduate_id=applicant.id)
    p = post(session, employer(session, 72), "岗位72", [])
    application = apply(session, me, p.id, TODAY - timedelta(days=5))
    record_step(session, officer, application, ReferralState.HIRED, TODAY - timedelta(days=2))
    hire = session.scalars(select(Hire).where(Hire.graduate_id == applicant.id)).one()
    assert hire.source == HireSource.APPLICATION and hire.hired_on == TODAY - timedelta(days=2)

    signer = _graduate(session, "803")
    request = ask(
        session,
        Actor(role=Role.GRADUATE, label="g803", graduate_id=signer.id),
        RequestKind.SIGNED,
        "广州某科技公司 软件测试",
        signed_on=TODAY - timedelta(days=10),
    )
    assert request.kind == RequestKind.SIGNED
    assert session.scalar(select(Hire.id).where(Hire.graduate_id == signer.id)) is None
    resolve(session, officer, request.id, True)
    hire = session.scalars(select(Hire).where(Hire.graduate_id == signer.id)).one()
    assert hire.source == HireSource.SIGNED and hire.request_id == request.id
    assert hire.hired_on == TODAY - timedelta(days=10) and "软件测试" in (hire.workplace or "")
    assert len(hire.follow_ups) == 3


def test_left_and_wants_help_reopens_recommendations_and_cancels_the_rest(
    session: Session,
) -> None:
    officer = officer_actor(session, "440100")
    g = _graduate(session, "804")
    hire = _hire_by_referral(session, g, TODAY - timedelta(days=40))
    session.refresh(g)
    assert g.status == EmploymentStatus.EMPLOYED
    looking = select(Graduate.id).where(Graduate.id == g.id, loader.looking_for_work())
    assert session.scalar(looking) is None  # the matcher leaves an employed graduate alone

    first, three, six = hire.follow_ups
    service.answer(
        session,
        officer,
        first.id,
        _answer(still_employed=False, left_reason="试用期后未续用", wants_help=True),
    )
    session.refresh(g)
    assert g.status == EmploymentStatus.UNEMPLOYED and g.status_since == TODAY
    assert session.scalar(looking) == g.id  # recommendations resume
    assert first.state == FollowUpState.ANSWERED and first.left_reason == "试用期后未续用"
    assert three.state == six.state == FollowUpState.CANCELLED
    assert hire.ended_on == TODAY and "已离职" in (hire.ended_reason or "")
    assert g.status_history[-1].note is not None and "希望再获帮助" in g.status_history[-1].note
    assert service.due_count(session, officer, on=TODAY + timedelta(days=400)) == 0


def test_left_without_help_keeps_the_status(session: Session) -> None:
    officer = officer_actor(session, "440100")
    g = _graduate(session, "805")
    hire = _hire_by_referral(session, g, TODAY - timedelta(days=40))
    service.answer(
        session,
        officer,
        hire.follow_ups[0].id,
        _answer(still_employed=False, left_reason="转行", wants_help=False),
    )
    session.refresh(g)
    assert g.status == EmploymentStatus.EMPLOYED
    assert {f.state for f in hire.follow_ups[1:]} == {FollowUpState.CANCELLED}


def test_a_bad_answer_names_every_problem_and_changes_nothing(session: Session) -> None:
    officer = officer_actor(session, "440100")
    g = _graduate(session, "806")
    hire = _hire_by_referral(session, g, TODAY - timedelta(days=40))
    first = hire.follow_ups[0]
    with pytest.raises(Invalid) as caught:
        service.answer(
            session,
            officer,
            first.id,
            _answer(answered_on=TODAY + timedelta(days=1), still_employed=False),
        )
    fields = {name for name, _ in problems_of(caught.value)}
    assert fields == {"answered_on", "left_reason", "wants_help"}
    session.refresh(first)
    assert first.state == FollowUpState.DUE and first.answered_on is None
    with pytest.raises(DomainError, match="早于就业日期"):
        service.answer(
            session, officer, first.id, _answer(answered_on=hire.hired_on - timedelta(1))
        )

    service.answer(session, officer, first.id, _answer())
    with pytest.raises(Conflict):  # the second of two saving at once finds it answered
        service.answer(session, officer, first.id, _answer())


def test_only_the_home_org_or_the_graduate_answers(session: Session) -> None:
    g = _graduate(session, "807", school_region_code="420100")
    hire = _hire_by_referral(session, g, TODAY - timedelta(days=40))
    f = hire.follow_ups[0]
    for outsider in (officer_actor(session, "420100"), officer_actor(session, "310000")):
        # 武汉 sees the graduate (school in its region) but does not keep the archive
        with pytest.raises(NotFound):
            service.answer(session, outsider, f.id, _answer())
        assert service.due_count(session, outsider) == 0
    other = _graduate(session, "808")
    with pytest.raises(NotFound):
        service.answer(
            session, Actor(role=Role.GRADUATE, label="x", graduate_id=other.id), f.id, _answer()
        )
    mine = Actor(role=Role.GRADUATE, label="me", graduate_id=g.id)
    service.answer(session, mine, f.id, _answer(contract_year=True, insured=True))
    assert f.by_graduate and f.still_employed and f.insured


def test_stable_employment_and_retention_per_province(session: Session) -> None:
    officer = officer_actor(session, "440100")
    wuhan = officer_actor(session, "420100")
    stays = _graduate(session, "809")
    hire = _hire_by_referral(session, stays, TODAY - timedelta(days=200), n=73)
    for f in hire.follow_ups[:2]:
        service.answer(session, officer, f.id, _answer(contract_year=True))
    assert not service.is_stable(hire)
    service.answer(session, officer, hire.follow_ups[2].id, _answer(contract_year=False))
    assert not service.is_stable(hire)  # a contract under a year is not stable

    steady = _graduate(session, "810")
    other = _hire_by_referral(session, steady, TODAY - timedelta(days=200), n=74)
    for f in other.follow_ups:
        service.answer(session, officer, f.id, _answer(contract_year=True))
    assert service.is_stable(other)

    leaves = _graduate(session, "811")
    third = _hire_by_referral(session, leaves, TODAY - timedelta(days=200), n=75)
    service.answer(session, officer, third.follow_ups[0].id, _answer())
    service.answer(
        session,
        officer,
        third.follow_ups[1].id,
        _answer(still_employed=False, left_reason="离家太远", wants_help=False),
    )
    hubei = _graduate(session, "812", home="420100")
    late = record_service(
        session, wuhan, hubei, kind=ServiceKind.EMPLOYED, on=TODAY - timedelta(days=100),
        org=get_org(session, "420100"),
    )  # fmt: skip
    assert late.id is not None

    rows = {r.code: r for r in retention.by_province(session, Actor.command_line(
        get_org(session, "000000")))}  # fmt: skip
    gd = rows["440000"]
    assert gd.name == "广东省总工会"
    assert (gd.months[1].answered, gd.months[1].still) == (3, 3)
    assert (gd.months[3].answered, gd.months[3].still) == (3, 2)
    assert (gd.months[6].answered, gd.months[6].still) == (2, 2)
    assert gd.stable == 1 and gd.overdue == 0
    hb = rows["420000"]
    assert hb.overdue == 2 and hb.months[1].answered == 0  # its 1- and 3-month follow-ups are late
    # a province sees only its own
    assert [r.code for r in retention.by_province(session, officer)] == ["440000"]


def test_a_void_takes_the_follow_ups_with_it(session: Session) -> None:
    officer = officer_actor(session, "440100")
    g = _graduate(session, "813")
    s = record_service(
        session, officer, g, kind=ServiceKind.EMPLOYED, on=TODAY - timedelta(days=10),
        org=get_org(session, "440100"), remark="某单位",
    )  # fmt: skip
    hire = session.scalars(select(Hire).where(Hire.service_record_id == s.id)).one()
    assert hire.source == HireSource.RECORDED
    void_service(session, officer, s, "录入错误")
    assert {f.state for f in hire.follow_ups} == {FollowUpState.CANCELLED}
    assert "作废" in (hire.follow_ups[0].cancel_reason or "")


def test_the_due_list_is_the_home_orgs_oldest_first(session: Session, hq_actor: Actor) -> None:
    officer = officer_actor(session, "440100")
    add_org(session, hq_actor, "440106", "天河区总工会", "440100")
    county = officer_actor(session, "440106")
    a = _graduate(session, "814")
    b = _graduate(session, "815", home="440106")
    _hire_by_referral(session, a, clock.add_months(TODAY, -1), n=76)  # due today
    record_service(
        session, county, b, kind=ServiceKind.EMPLOYED, on=TODAY - timedelta(days=45),
        org=get_org(session, "440106"),
    )  # fmt: skip
    rows = service.due(session, officer)
    assert [(g.id, f.months) for f, g in rows] == [(b.id, 1), (a.id, 1)]
    assert service.overdue_days(rows[0][0]) > 0 and service.overdue_days(rows[1][0]) == 0
    assert service.due_count(session, officer) == 2
    assert [g.id for _, g in service.due(session, county)] == [b.id]  # the county's own
    assert [g.id for _, g in service.due(session, officer, org=get_org(session, "440106"))] == [
        b.id
    ]


def test_the_follow_up_months_are_settings(session: Session) -> None:
    assert follow_up_settings({})["FOLLOWUP_MONTHS"] == [1, 3, 6]
    assert follow_up_settings({"MATCHSVC_FOLLOWUP_MONTHS": "12，2"})["FOLLOWUP_MONTHS"] == [2, 12]
    for bad in ("", "0", "a,3", "1,,x"):
        with pytest.raises(ConfigError):
            follow_up_settings({"MATCHSVC_FOLLOWUP_MONTHS": bad})
    service.configure([2, 4], 4)
    try:
        g = _graduate(session, "816")
        hire = _hire_by_referral(session, g, date(2026, 3, 15), n=77)
        assert [(f.months, f.due_on) for f in hire.follow_ups] == [
            (2, date(2026, 5, 15)),
            (4, date(2026, 7, 15)),
        ]
    finally:
        service.configure(None, None)


def test_officer_pages_cli_and_the_graduates_own_answer(
    session: Session,
    hq_actor: Actor,
    app,
    client,
    runner,  # type: ignore[no-untyped-def]
) -> None:
    create_user(
        session, hq_actor, role=Role.OFFICER, username="gz", password=PASSWORD, org_code="440100"
    )
    g = _graduate(session, "817")
    hire = _hire_by_referral(session, g, TODAY - timedelta(days=50), n=78)
    create_user(
        session, hq_actor, role=Role.GRADUATE, username="g817", password=PASSWORD,
        graduate_id_number=make_id("440106", seq="817"),
    )  # fmt: skip
    session.commit()
    first = hire.follow_ups[0]

    login(client, "gz", PASSWORD)
    listing = client.get("/followups/").get_data(as_text=True)
    assert "回访817" in listing and "已逾期" in listing and f"/followups/{first.id}" in listing
    assert "1 人次待回访" in listing  # the nav's 待办 line
    t = csrf(client, f"/followups/{first.id}")
    bad = client.post(
        f"/followups/{first.id}",
        data={"csrf_token": t, "answered_on": TODAY.isoformat(), "still_employed": "no",
              "note": "电话回访"},
    )  # fmt: skip
    page = bad.get_data(as_text=True)
    assert bad.status_code == 422
    assert "请填写离职原因" in page and "请选择是否希望再获帮助" in page and "电话回访" in page
    session.expire_all()
    assert session.get_one(FollowUp, first.id).state == FollowUpState.DUE

    out = runner.invoke(main, ["followups", "due", "--org", "440100"])
    assert out.exit_code == 0, out.output
    assert "待回访 1 人次" in out.output and "回访817" in out.output
    assert make_id("440106", seq="817") not in out.output

    me = app.test_client()
    login(me, "g817", PASSWORD)
    assert f"/followups/{first.id}" in me.get("/me").get_data(as_text=True)
    done = me.post(
        f"/followups/{first.id}",
        data={"csrf_token": csrf(me, f"/followups/{first.id}"), "answered_on": TODAY.isoformat(),
              "still_employed": "yes", "contract_year": "yes", "insured": "no"},
    )  # fmt: skip
    assert done.status_code == 302
    session.expire_all()
    answered = session.get_one(FollowUp, first.id)
    assert answered.state == FollowUpState.ANSWERED and answered.by_graduate
    assert answered.contract_year is True and answered.insured is False
    assert "回访817" not in client.get("/followups/").get_data(as_text=True)
    archive = client.get(f"/graduates/{g.id}").get_data(as_text=True)
    assert "第 1 个月" in archive and "本人填写" in archive and "仍在岗" in archive
    assert me.get(f"/followups/{hire.follow_ups[1].id}").status_code == 200  # own, not yet due
