"""What the matcher is fed, against the database (SQLite and PostgreSQL): posts without 专业要求 read
by title, who is looking for work (status, "I am still looking"), posts a graduate got somewhere
with kept at their rank and never new, and placement lines with their reasons."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from matchsvc.actors import Actor
from matchsvc.auth.service import create_user
from matchsvc.employers.service import set_position_majors
from matchsvc.errors import Conflict
from matchsvc.graduates.service import change_status, register_graduate
from matchsvc.matching import service, stored
from matchsvc.matching.engine.policy import Policy
from matchsvc.models import (
    Degree,
    EmploymentStatus,
    Graduate,
    InterestKind,
    Org,
    Position,
    ReferralState,
    RequestKind,
    Role,
    utcnow,
)
from matchsvc.portals import home as portal_home
from matchsvc.portals import requests
from matchsvc.referrals.interest import set_interest
from matchsvc.referrals.service import record_step, refer

from ..conftest import graduate_input, make_id, officer_actor, portal_account
from ..helpers import INTERVIEW, PASSWORD, TODAY, csrf, employer, login, post, uscc


def policy() -> Policy:
    return Policy(today=TODAY, campaign_year=TODAY.year)


def graduate(session: Session, seq: str, major: str, **kw: object) -> Graduate:
    values: dict[str, object] = {
        "name": f"毕业生{seq}",
        "major_text": major,
        "wish_regions": ["440100"],
        "graduation_year": TODAY.year,
        "registered_on": TODAY - timedelta(days=10),
    }
    values.update(kw)
    return register_graduate(
        session,
        officer_actor(session, "440100"),
        graduate_input(make_id("440106", seq=seq), "440100", "440100", **values),
    )


def me(g: Graduate) -> Actor:
    return Actor(role=Role.GRADUATE, label="graduate", graduate_id=g.id)


@pytest.fixture
def titled(session: Session) -> tuple[Position, Position]:
    """Two posts that name no major, one per field, from employers alike in every other way."""
    java = post(
        session,
        employer(session, 41),
        "Java开发工程师",
        [],
        description="负责后端服务开发，熟悉Java、Spring",
    )
    carer = post(
        session,
        employer(session, 42),
        "护理员",
        ["专业不限"],
        description="负责住院老人的日常生活照护和基础护理",
    )
    return java, carer


def ranked(session: Session, g: Graduate) -> list[service.Recommendation]:
    return service.recommend(session, g, policy(), "job", 50)


def test_posts_without_a_major_are_read_by_title(
    session: Session, titled: tuple[Position, Position]
) -> None:
    java, carer = titled
    session.flush()
    assert java.inferred and carer.inferred  # stored with the post, for the matcher to load
    cs = graduate(session, "501", "计算机科学与技术")
    nurse = graduate(session, "502", "护理", degree=Degree.ZHUANKE)
    for g, first, second in ((cs, java, carer), (nurse, carer, java)):
        items = {r.id: r for r in ranked(session, g)}
        top, other = items[first.id], items[second.id]
        assert top.components["major"] > other.components["major"], g.major_text
        assert top.fit > other.fit
        order = [r.id for r in ranked(session, g)]
        assert order.index(first.id) < order.index(second.id)
        assert "按岗位名称推断" in top.reason and "相符" in top.reason
    java_reason = {r.id: r for r in ranked(session, cs)}[java.id].reason
    assert "计算机" in java_reason


def test_an_officer_confirms_or_corrects_the_inferred_majors(
    session: Session, titled: tuple[Position, Position]
) -> None:
    java, _ = titled
    cs = graduate(session, "503", "计算机科学与技术")
    before = {r.id: r for r in ranked(session, cs)}[java.id]
    officer = officer_actor(session, "440100")
    set_position_majors(session, officer, java, ["护理学"])
    assert before.components["major"] > 0.6 and "按岗位名称推断" in before.reason
    # the post names 护理学 now: for a computer graduate it fits below the listing floor
    assert java.id not in {r.id for r in ranked(session, cs)}
    assert [m.text for m in session.get(Position, java.id).majors] == ["护理学"]  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "status",
    [
        EmploymentStatus.EMPLOYED,
        EmploymentStatus.SIGNED,
        EmploymentStatus.SELF_EMPLOYED,
        EmploymentStatus.FURTHER_STUDY,
    ],
)
def test_graduates_with_work_get_no_job_offers_until_they_ask(
    session: Session, titled: tuple[Position, Position], status: EmploymentStatus
) -> None:
    java, _ = titled
    g = graduate(session, "511", "计算机科学与技术", wants_training=True)
    officer = officer_actor(session, "440100")
    assert ranked(session, g)
    change_status(session, officer, g, status, TODAY)
    for kind in ("job", "internship", "public", None):
        assert service.recommend(session, g, policy(), kind) == []
    assert g.id not in {
        c.candidate.graduate_id
        for c in service.candidates_for(session, officer, java.id, policy())[1]
    }
    stored.store_recommendations(session, policy(), utcnow())
    assert not stored_for(session, g)

    requests.ask_to_look_again(session, me(g), "合同到期，正在找新工作")
    assert [r.id for r in ranked(session, g)]  # shown jobs again at once
    with pytest.raises(Conflict):
        requests.ask_to_look_again(session, me(g), "")
    pending = requests.pending_requests(session, officer)
    request = next(r for r, who in pending if who.id == g.id)
    assert request.kind == RequestKind.LOOKING and "合同到期" in request.text
    stored.store_recommendations(session, policy(), utcnow())
    assert stored_for(session, g)

    requests.resolve(session, officer, request.id, accept=False, note="已核实仍在岗")
    assert ranked(session, g) == []
    # a later ask is a new request; a status change answers it
    requests.ask_to_look_again(session, me(g), "")
    change_status(session, officer, g, status, TODAY)
    assert ranked(session, g) == []


@pytest.mark.parametrize("status", [EmploymentStatus.FLEXIBLE, EmploymentStatus.OTHER])
def test_flexible_and_other_keep_their_offers(
    session: Session, titled: tuple[Position, Position], status: EmploymentStatus
) -> None:
    g = graduate(session, "521", "计算机科学与技术")
    change_status(session, officer_actor(session, "440100"), g, status, TODAY)
    assert ranked(session, g)
    with pytest.raises(Conflict):
        requests.ask_to_look_again(session, me(g), "")


def stored_for(session: Session, g: Graduate) -> list[int]:
    from matchsvc.models import Recommendation as Stored

    found = session.get(Stored, g.id)
    return list(found.position_ids) if found is not None else []


def test_posts_a_graduate_got_somewhere_with_keep_their_rank_and_are_never_new(
    session: Session,
) -> None:
    emp = employer(session, 51)
    posts = [
        post(session, emp, f"软件开发{n}", ["计算机科学与技术"], headcount=2) for n in range(4)
    ]
    g = graduate(session, "531", "计算机科学与技术")
    before = [r.id for r in ranked(session, g)]
    assert set(before) == {p.id for p in posts}
    officer = officer_actor(session, "440100")
    interested, referred, interviewed, hired = (before[0], before[1], before[2], before[3])
    set_interest(session, me(g), interested, InterestKind.INTERESTED)
    refer(session, officer, g.id, referred, TODAY)
    step = refer(session, officer, g.id, interviewed, TODAY)
    record_step(session, officer, step, ReferralState.INTERVIEW, TODAY, **INTERVIEW)
    intern = refer(session, officer, g.id, hired, TODAY)
    record_step(session, officer, intern, ReferralState.INTERVIEW, TODAY, **INTERVIEW)
    # a hire into a job makes the graduate 已就业: no offers at all
    record_step(session, officer, intern, ReferralState.HIRED, TODAY)
    session.flush()
    assert session.get(Graduate, g.id).status == EmploymentStatus.EMPLOYED  # type: ignore[union-attr]
    assert ranked(session, g) == []
    requests.ask_to_look_again(session, me(g), "")
    after = ranked(session, g)
    assert [r.id for r in after] == before  # same ranks
    states = {r.id: r.state for r in after}
    assert states == {
        interested: "已表示感兴趣",
        # the hire closed what still waited (referrals/test_closing.py); still not new
        referred: "已关闭",
        interviewed: "已关闭",
        hired: "已录用",
    }
    # the graduate's page counts none of them as new
    from matchsvc.auth.service import create_user

    hq = Actor(role=Role.HQ, label="hq", org_path="/000000/")
    user = create_user(
        session,
        hq,
        role=Role.GRADUATE,
        username="g531",
        password="Passw0rd!",
        graduate_id_number=make_id("440106", seq="531"),
    )
    actor = Actor(role=Role.GRADUATE, label="g", user_id=user.id, graduate_id=g.id)
    home = portal_home.graduate_home(session, actor, policy())
    assert home.new == set()
    fresh = post(session, emp, "软件开发新", ["计算机科学与技术"])
    home = portal_home.graduate_home(session, actor, policy())
    assert home.new == {fresh.id}


def test_every_placement_line_says_why(session: Session, titled: tuple[Position, Position]) -> None:
    emp = employer(session, 61)
    post(session, emp, "会计", ["会计学"])
    for n, major in enumerate(["计算机科学与技术", "会计学", "护理学", "汉语言文学"]):
        graduate(session, f"54{n}", major)
    org = session.scalar(select(Org).where(Org.code == "440100"))
    plan = service.placement_plan(session, officer_actor(session, "440100"), org, policy())
    assert plan.lines
    for line in plan.lines:
        assert line.components and set(line.components) >= {"major", "degree", "region"}
        assert "匹配度" in line.reason
        assert "：。" not in line.reason and "专业" in line.reason, line.reason


def test_the_pages_pause_and_resume_job_offers_and_confirm_inferred_majors(
    app, session: Session, hq_actor: Actor, titled: tuple[Position, Position]
) -> None:  # type: ignore[no-untyped-def]
    java, _ = titled
    g = graduate(session, "551", "软件技术", degree=Degree.ZHUANKE)
    change_status(session, officer_actor(session, "440100"), g, EmploymentStatus.SIGNED, TODAY)
    portal_account(session, hq_actor, "g551", PASSWORD, graduate_id_number=g.id_number)
    portal_account(session, hq_actor, "emp41", PASSWORD, employer_uscc=uscc(41))
    create_user(
        session, hq_actor, role=Role.OFFICER, username="gz", password=PASSWORD, org_code="440100"
    )
    session.commit()

    me_client = app.test_client()
    login(me_client, "g551", PASSWORD)
    page = me_client.get("/me").get_data(as_text=True)
    assert "岗位推荐已暂停" in page and "Java开发工程师" not in page
    t = csrf(me_client, "/me")
    too_long = me_client.post("/me/looking", data={"csrf_token": t, "text": "长" * 501})
    assert too_long.status_code == 422  # its own page: the length beside the field, text kept
    assert "长" * 501 in too_long.get_data(as_text=True)
    session.expire_all()
    assert not session.get(Graduate, g.id).looking_again  # type: ignore[union-attr]
    me_client.post("/me/looking", data={"csrf_token": t, "text": "签约单位毁约了"})
    page = me_client.get("/me").get_data(as_text=True)
    assert "岗位推荐已暂停" not in page and "Java开发工程师" in page
    assert "按岗位名称推断" in page

    officer = app.test_client()
    login(officer, "gz", PASSWORD)
    requests_page = officer.get("/officer/requests").get_data(as_text=True)
    assert "签约单位毁约了" in requests_page and "停止推荐岗位" in requests_page

    emp = app.test_client()
    login(emp, "emp41", PASSWORD)
    shown = emp.get(f"/employer/positions/{java.id}").get_data(as_text=True)
    assert "推断为" in shown and "计算机类" in shown
    confirmed = emp.post(
        f"/employer/positions/{java.id}/majors",
        data={"csrf_token": csrf(emp, f"/employer/positions/{java.id}"), "confirm": "1"},
    )
    assert confirmed.status_code == 302
    session.expire_all()
    position = session.get(Position, java.id)
    assert position is not None and position.inferred is None
    assert "计算机类" in [m.text for m in position.majors]
    # the officer corrects it on the candidates page; another employer cannot touch it
    page = officer.get(f"/matching/positions/{java.id}").get_data(as_text=True)
    assert "推断为" not in page  # the post names its majors now
    officer.post(
        f"/employer/positions/{java.id}/majors",
        data={
            "csrf_token": csrf(officer, f"/matching/positions/{java.id}"),
            "majors": "软件工程、软件技术",
        },
    )
    session.expire_all()
    assert [m.text for m in session.get(Position, java.id).majors] == ["软件工程", "软件技术"]  # type: ignore[union-attr]
    portal_account(session, hq_actor, "emp42", PASSWORD, employer_uscc=uscc(42))
    session.commit()
    other = app.test_client()
    login(other, "emp42", PASSWORD)
    refused = other.post(
        f"/employer/positions/{java.id}/majors",
        data={"csrf_token": csrf(other, "/employer/"), "majors": "护理学"},
    )
    assert refused.status_code == 404
    session.expire_all()
    assert [m.text for m in session.get(Position, java.id).majors] == ["软件工程", "软件技术"]  # type: ignore[union-attr]
