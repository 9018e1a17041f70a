"""The matcher against the database (SQLite and PostgreSQL): recommendations through the CLI, the
API and the web pages within reach, freshness after changes, placement plans on stored data, and
referrals made from them."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session

from matchsvc.actors import Actor
from matchsvc.auth.service import create_user
from matchsvc.cli import main
from matchsvc.errors import NotFound
from matchsvc.graduates.service import register_graduate
from matchsvc.matching import service
from matchsvc.matching.engine.policy import LIST_MIN_FIT, Policy
from matchsvc.models import (
    Degree,
    EmployerKind,
    Graduate,
    GraduateHardship,
    Hardship,
    Interest,
    InterestKind,
    Org,
    PositionKind,
    PositionStatus,
    Referral,
    ReferralState,
    Role,
)

from ..conftest import graduate_input, make_id, officer_actor
from ..helpers import PASSWORD, TODAY, csrf, employer, login, post
from .test_engine import check_plan


def policy() -> Policy:
    return Policy(today=TODAY, campaign_year=TODAY.year)


@pytest.fixture
def world(session: Session):  # type: ignore[no-untyped-def]
    gz = officer_actor(session, "440100")
    soe = employer(session, 1, kind=EmployerKind.SOE)
    hospital = employer(session, 2)
    software = post(
        session,
        employer(session, 3),
        "软件开发工程师",
        ["软件工程", "计算机类"],
        description="Java Python",
    )
    nurse = post(session, hospital, "护士", ["护理学"])
    reserve = post(session, soe, "储备干部", [])
    analyst = post(session, employer(session, 4), "数据录入员", [], description="Python")
    expired = post(
        session, hospital, "过期岗位", ["计算机科学与技术"], closes_on=TODAY - timedelta(days=1)
    )
    closed = post(
        session, hospital, "已关闭岗位", ["计算机科学与技术"], status=PositionStatus.CLOSED
    )
    grad = register_graduate(
        session,
        gz,
        graduate_input(
            make_id("440106"),
            "440100",
            "440100",
            name="李明",
            wish_regions=["440100"],
            skills="Python",
            graduation_year=TODAY.year,
            registered_on=TODAY - timedelta(days=10),
        ),
    )
    grad.parent_employer_id = soe.id
    session.flush()
    return {
        "gz": gz,
        "grad": grad,
        "software": software,
        "nurse": nurse,
        "reserve": reserve,
        "analyst": analyst,
        "expired": expired,
        "closed": closed,
        "soe": soe,
        "hospital": hospital,
    }


def test_ranking_rules_and_what_never_appears(session: Session, world) -> None:  # type: ignore[no-untyped-def]
    recs = service.recommend_for(session, world["gz"], world["grad"].id, policy())
    ids = [r.id for r in recs]
    assert ids[0] == world["reserve"].id and recs[0].rules[:1] == ["same_enterprise"]
    # 护理学 for a computer graduate fits below the listing floor: not padded in
    assert world["nurse"].id not in ids and all(r.fit >= LIST_MIN_FIT for r in recs)
    assert world["expired"].id not in ids and world["closed"].id not in ids
    assert recs[ids.index(world["software"].id)].components["major"] == 1.0  # 计算机类 is required
    # a declined position is never recommended again
    session.add(
        Interest(
            graduate_id=world["grad"].id,
            position_id=world["software"].id,
            kind=InterestKind.DECLINED,
            reason="太远",
        )
    )
    session.flush()
    again = [r.id for r in service.recommend_for(session, world["gz"], world["grad"].id, policy())]
    assert world["software"].id not in again


def test_changes_show_at_once(session: Session, world) -> None:  # type: ignore[no-untyped-def]
    before = [r.id for r in service.recommend_for(session, world["gz"], world["grad"].id, policy())]
    assert world["analyst"].id in before
    world["analyst"].status = PositionStatus.FILLED
    new = post(
        session, world["hospital"], "Python 开发", ["计算机科学与技术"], description="Python"
    )
    session.flush()
    after = [r.id for r in service.recommend_for(session, world["gz"], world["grad"].id, policy())]
    assert world["analyst"].id not in after and new.id in after
    # a position whose headcount is taken by hires is full
    session.add(
        Referral(
            graduate_id=world["grad"].id,
            position_id=new.id,
            org_id=world["gz"].org_id,
            state=ReferralState.HIRED,
        )
    )
    session.flush()
    assert new.id not in [
        r.id for r in service.recommend_for(session, world["gz"], world["grad"].id, policy())
    ]


def test_public_welfare_post_only_for_qualified_graduates(session: Session, world) -> None:  # type: ignore[no-untyped-def]
    public = post(
        session,
        employer(session, 9, kind=EmployerKind.PUBLIC_WELFARE),
        "社区协管员",
        [],
        kind=PositionKind.PUBLIC_WELFARE,
    )
    kinds = service.recommend_for(session, world["gz"], world["grad"].id, policy(), "public")
    assert kinds == []
    session.add(GraduateHardship(graduate_id=world["grad"].id, category=Hardship.DIBAO))
    session.flush()
    qualified = service.recommend_for(session, world["gz"], world["grad"].id, policy(), "public")
    assert [r.id for r in qualified] == [public.id] and qualified[0].rules == [
        "public_welfare_conditions"
    ]


def test_cli_recommend_json(runner, session: Session, world) -> None:  # type: ignore[no-untyped-def]
    session.commit()
    result = runner.invoke(
        main, ["recommend", make_id("440106"), "--format", "json", "--limit", "3"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert len(data) == 3
    assert set(data[0]) == {
        "kind",
        "id",
        "title",
        "employer",
        "region",
        "fit",
        "components",
        "rules",
        "reason",
        "state",
    }
    assert data[0]["id"] == world["reserve"].id and data[0]["kind"] == "job"
    assert data[0]["state"] == ""  # nothing done about it yet
    assert set(data[0]["components"]) == {"major", "degree", "region", "skills", "wishes"}
    assert all(0 <= d["fit"] <= 100 for d in data)
    text = runner.invoke(main, ["recommend", make_id("440106"), "--kind", "job"])
    assert "储备干部" in text.output and "匹配度" in text.output
    bad = runner.invoke(main, ["recommend", "440106199001011234"])
    assert bad.exit_code == 1 and "错误" in bad.output


def test_api_within_reach(app, session: Session, hq_actor: Actor, world) -> None:  # type: ignore[no-untyped-def]
    create_user(
        session, hq_actor, role=Role.OFFICER, username="gz", password=PASSWORD, org_code="440100"
    )
    create_user(
        session, hq_actor, role=Role.OFFICER, username="wh", password=PASSWORD, org_code="420100"
    )
    create_user(
        session,
        hq_actor,
        role=Role.EMPLOYER,
        username="soe",
        password=PASSWORD,
        employer_uscc=world["soe"].uscc,
    )
    session.commit()
    gid, pid = world["grad"].id, world["reserve"].id
    assert app.test_client().get(f"/api/v1/graduates/{gid}/recommendations").status_code == 401
    gz = app.test_client()
    login(gz, "gz", PASSWORD)
    recs = gz.get(f"/api/v1/graduates/{gid}/recommendations?kind=job&limit=5")
    assert recs.status_code == 200 and recs.json[0]["id"] == pid
    assert gz.get(f"/api/v1/graduates/{gid}/recommendations?kind=nonsense").status_code == 422
    # an empty kind is not one of the enum's values either (the OpenAPI document says so)
    assert gz.get(f"/api/v1/graduates/{gid}/recommendations?kind=").status_code == 422
    assert gz.get(f"/api/v1/graduates/{gid}/recommendations?limit=").status_code == 422
    cands = gz.get(f"/api/v1/positions/{world['software'].id}/candidates")
    assert (
        cands.status_code == 200
        and cands.json[0]["graduate_id"] == gid
        and cands.json[0]["name"] == "李明"
    )
    wh = app.test_client()
    login(wh, "wh", PASSWORD)
    assert wh.get(f"/api/v1/graduates/{gid}/recommendations").status_code == 404  # another province
    assert wh.get(f"/api/v1/positions/{world['software'].id}/candidates").json == []
    emp = app.test_client()
    login(emp, "soe", PASSWORD)
    assert emp.get(f"/api/v1/graduates/{gid}/recommendations").status_code == 403
    own = emp.get(f"/api/v1/positions/{pid}/candidates").json
    assert own[0]["name"] == "李*" and own[0]["graduate_id"] is None  # masked until referred
    assert emp.get(f"/api/v1/positions/{world['software'].id}/candidates").status_code == 404


def test_web_pages_refer_and_correct(app, session: Session, hq_actor: Actor, world) -> None:  # type: ignore[no-untyped-def]
    create_user(
        session, hq_actor, role=Role.OFFICER, username="gz", password=PASSWORD, org_code="440100"
    )
    session.commit()
    c = app.test_client()
    login(c, "gz", PASSWORD)
    gid = world["grad"].id
    page = c.get(f"/matching/graduates/{gid}").get_data(as_text=True)
    assert (
        "储备干部" in page and "本企业困难职工家庭子女优先安置" in page and "推荐到该岗位" in page
    )
    token = csrf(c, f"/matching/graduates/{gid}")
    done = c.post(
        "/matching/refer",
        data={
            "csrf_token": token,
            "graduate_id": gid,
            "position_id": world["reserve"].id,
            "back": f"/matching/graduates/{gid}",
        },
    )
    assert done.status_code == 302
    ref = session.scalar(select(Referral).where(Referral.graduate_id == gid))
    assert ref is not None and ref.state == ReferralState.REFERRED and ref.steps[0].on_date == TODAY
    twice = c.post(
        "/matching/refer",
        data={"csrf_token": token, "graduate_id": gid, "position_id": world["reserve"].id},
        follow_redirects=True,
    )
    assert "已推荐过" in twice.get_data(as_text=True)
    assert (
        c.post(
            "/matching/refer", data={"graduate_id": gid, "position_id": world["nurse"].id}
        ).status_code
        == 400
    )
    huge = {"csrf_token": token, "graduate_id": gid, "position_id": "99999999999999999999"}
    assert c.post("/matching/refer", data=huge).status_code < 500  # refused, not overflowed
    cand = c.get(f"/matching/positions/{world['software'].id}").get_data(as_text=True)
    assert "李明" in cand
    # the major review list and a correction
    odd = register_graduate(
        session,
        world["gz"],
        graduate_input(
            make_id("440106", seq="555"), "440100", "440100", major_text="智慧健康养老服务"
        ),
    )
    session.commit()
    review = c.get("/matching/majors").get_data(as_text=True)
    assert "智慧健康养老服务" in review
    token = csrf(c, "/matching/majors")
    assert (
        c.post(
            "/matching/majors",
            data={"csrf_token": token, "spelling": "智慧健康养老服务", "code": "000000"},
        ).status_code
        == 422
    )
    assert (
        c.post(
            "/matching/majors",
            data={"csrf_token": token, "spelling": "智慧健康养老服务", "code": "老年服务与管理"},
        ).status_code
        == 302
    )
    session.refresh(odd)
    assert odd.major_code == "专科2015:老年服务与管理"


def test_placement_page_turns_lines_into_referrals(
    app, session: Session, hq_actor: Actor, world
) -> None:  # type: ignore[no-untyped-def]
    create_user(
        session, hq_actor, role=Role.OFFICER, username="gz", password=PASSWORD, org_code="440100"
    )
    session.commit()
    c = app.test_client()
    login(c, "gz", PASSWORD)
    page = c.get("/matching/placement?org=440100").get_data(as_text=True)
    lines = re.findall(r'name="line" value="(\d+:\d+)"', page)
    assert lines == [f"{world['grad'].id}:{world['reserve'].id}"]
    assert c.get("/matching/placement?org=420100").status_code == 404
    token = csrf(c, "/matching/placement?org=440100")
    assert (
        c.post(
            "/matching/placement", data={"csrf_token": token, "org": "440100", "line": "x:1"}
        ).status_code
        == 400
    )
    done = c.post(
        "/matching/placement",
        data={"csrf_token": token, "org": "440100", "line": lines},
        follow_redirects=True,
    )
    assert "已生成推荐记录 1 条" in done.get_data(as_text=True)
    assert (
        session.scalar(select(Referral.position_id).where(Referral.graduate_id == world["grad"].id))
        == world["reserve"].id
    )


def test_cli_place(runner, session: Session, world) -> None:  # type: ignore[no-untyped-def]
    session.commit()
    dry = runner.invoke(main, ["place", "--org", "440100", "--dry-run", "--format", "json"])
    assert dry.exit_code == 0, dry.output
    data = json.loads(dry.output)
    assert [(x["graduate_id"], x["position_id"]) for x in data["lines"]] == [
        (world["grad"].id, world["reserve"].id)
    ]
    assert data["referrals_created"] == 0
    assert data["lines"][0]["name"] == "李明" and "储备干部" in data["lines"][0]["title"]
    assert session.scalar(select(Referral.id)) is None
    real = runner.invoke(main, ["place", "--org", "440100"])
    assert real.exit_code == 0 and "已生成推荐记录 1 条" in real.output
    # names and titles, and the reason in words, not only ids
    assert "李明" in real.output and "储备干部（单位1）" in real.output
    assert "匹配度" in real.output and "学历" in real.output
    assert runner.invoke(main, ["place", "--org", "999999"]).exit_code == 1


def test_officer_cannot_plan_for_another_province(session: Session) -> None:
    org = session.scalar(select(Org).where(Org.code == "420000"))
    with pytest.raises(NotFound):
        service.placement_plan(session, officer_actor(session, "440100"), org, policy())


# ---------------------------------------------------------------------------------------------
# Placement properties on stored data

MAJORS = ["计算机科学与技术", "软件工程", "会计学", "护理学", "会计", "计算机应用技术"]
CITIES = ["440100", "440300", "440600"]


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_placement_properties_on_stored_data(session: Session, data) -> None:  # type: ignore[no-untyped-def]
    """Random graduates and positions written to the database, planned from it: capacity,
    stability and priority hold on SQLite and PostgreSQL alike."""
    nested = session.begin_nested()
    try:
        gd = officer_actor(session, "440000")
        emps = [
            employer(session, 100 + i, org_code=data.draw(st.sampled_from(["440100", "440300"])))
            for i in range(3)
        ]
        for i in range(data.draw(st.integers(1, 12))):
            post(
                session,
                data.draw(st.sampled_from(emps)),
                f"岗位{i}",
                data.draw(st.lists(st.sampled_from(MAJORS), max_size=2, unique=True)),
                region=data.draw(st.sampled_from(CITIES)),
                headcount=data.draw(st.integers(1, 3)),
                min_degree=data.draw(st.sampled_from([None, Degree.ZHUANKE, Degree.BENKE])),
                kind=data.draw(st.sampled_from([PositionKind.JOB, PositionKind.INTERNSHIP])),
            )
        for i in range(data.draw(st.integers(1, 10))):
            g = register_graduate(
                session,
                gd,
                graduate_input(
                    make_id("440106", seq=f"{i:03d}"),
                    data.draw(st.sampled_from(CITIES)),
                    data.draw(st.sampled_from(CITIES)),
                    major_text=data.draw(st.sampled_from(MAJORS)),
                    degree=data.draw(st.sampled_from([Degree.ZHUANKE, Degree.BENKE])),
                    graduation_year=data.draw(st.sampled_from([TODAY.year - 1, TODAY.year])),
                    registered_on=TODAY - timedelta(days=30),
                    wish_regions=data.draw(
                        st.lists(st.sampled_from([*CITIES, "440000"]), max_size=2)
                    ),
                ),
            )
            g.parent_employer_id = data.draw(st.sampled_from([None, *[e.id for e in emps]]))
        session.flush()
        org = session.scalar(select(Org).where(Org.code == "440000"))
        plan = service.placement_plan(session, gd, org, policy())
        from matchsvc.matching import loader

        positions = loader.load_positions(session, TODAY)
        graduates = loader.graduate_profiles(session, Graduate.home_org_id.is_not(None))
        stored = check_plan(positions, graduates)
        assert [(x.graduate_id, x.position_id) for x in plan.lines] == [
            (x.graduate_id, x.position_id) for x in stored.lines
        ]
    finally:
        nested.rollback()


def test_nightly_recompute_stores_every_list(session: Session, world) -> None:  # type: ignore[no-untyped-def]
    from datetime import UTC, datetime

    from matchsvc.jobs import JOBS

    from matchsvc.models import Recommendation

    job = next(j for j in JOBS if j.id == "recommendations_nightly")
    written = job.run(session, datetime.now(UTC))
    lists = session.scalars(select(Recommendation)).all()
    assert written == sum(len(r.position_ids) for r in lists)
    mine = next(r for r in lists if r.graduate_id == world["grad"].id)
    stored = mine.lines()
    assert len(stored) >= 3 and [rank for _, rank, _ in stored] == list(range(1, len(stored) + 1))
    assert stored[0][0] == world["reserve"].id
    live = [r.id for r in service.recommend_for(session, world["gz"], world["grad"].id, policy())]
    assert [p for p, _, _ in stored] == live
    assert job.run(session, datetime.now(UTC)) == written  # safe to run twice
