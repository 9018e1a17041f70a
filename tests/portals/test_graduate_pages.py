"""The graduate's own pages: open positions within their wished regions (searched), a page for
each position with 我要应聘, their wishes edited with the region choosers (audited), and 报名 for
a training offer that their union confirms."""

from __future__ import annotations

import re
from datetime import timedelta

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from matchsvc.actors import Actor
from matchsvc.auth.service import create_user
from matchsvc.graduates.service import register_graduate
from matchsvc.models import (
    AuditEvent,
    Graduate,
    GraduateRequest,
    Referral,
    ReferralSource,
    RequestKind,
    Role,
    TrainingEnrollment,
    TrainingKind,
)
from matchsvc.training.service import TrainingInput, create_offer

from ..conftest import graduate_input, make_id, officer_actor, portal_account
from ..helpers import PASSWORD, TODAY, csrf, employer, login, login_with_code, post, second_factor


def _graduate(app, session: Session, hq: Actor) -> tuple[FlaskClient, Graduate]:  # type: ignore[no-untyped-def]
    g = register_graduate(
        session,
        officer_actor(session, "440100"),
        graduate_input(
            make_id("440106", seq="801"),
            "440100",
            "440100",
            name="胡丹芳",
            wish_regions=["440100"],
            skills="Python",
        ),
    )
    portal_account(session, hq, "hu", PASSWORD, graduate_id_number=make_id("440106", seq="801"))
    create_user(session, hq, role=Role.OFFICER, username="gz", password=PASSWORD, org_code="440100")
    session.commit()
    client = app.test_client()
    assert login(client, "hu", PASSWORD).status_code == 302
    return client, g


def test_browse_search_open_and_apply(app, session: Session, hq_actor: Actor) -> None:  # type: ignore[no-untyped-def]
    e = employer(session, 91)
    near = post(session, e, "数据分析助理", [], description="使用 Python 做报表", pay_min=4000)
    post(session, e, "仓库管理员", [])
    nursing = post(session, e, "病房护士", [])
    far = post(session, e, "武汉站务员", [], region="420100")
    gone = post(
        session,
        e,
        "已截止的岗位",
        [],
        published_on=TODAY - timedelta(days=9),
        closes_on=TODAY - timedelta(days=1),
    )
    client, g = _graduate(app, session, hq_actor)

    listing = client.get("/me/positions").get_data(as_text=True)
    assert "数据分析助理" in listing and "仓库管理员" in listing
    assert "武汉站务员" not in listing and "已截止的岗位" not in listing  # wished regions, open
    found = client.get("/me/positions?q=Python").get_data(as_text=True)
    assert "数据分析助理" in found and "仓库管理员" not in found  # the description is searched
    assert "共 1 个" in found

    page = client.get(f"/me/positions/{near.id}").get_data(as_text=True)
    for fact in (
        "单位91",
        "就业岗位",
        "4000",
        "招聘人数",
        "按岗位名称推断为",  # no major written: what the matcher read from the title, not 不限
        "统计学类",
        "我要应聘",
        "使用 Python 做报表",
    ):
        assert fact in page, fact
    assert page.count("匹配度") <= 1  # said once, in the reason
    nurse = client.get(f"/me/positions/{nursing.id}").get_data(as_text=True)
    assert re.search(r"推断为[^<]*护理类", nurse) and "专业不限" not in nurse
    assert client.get(f"/me/positions/{gone.id}").status_code == 404  # closed, never engaged
    far_page = client.get(f"/me/positions/{far.id}").get_data(as_text=True)  # open: readable
    assert "专业要求</dt><dd>专业不限" in far_page  # nothing written, nothing read from the title

    t = csrf(client, f"/me/positions/{near.id}")
    done = client.post(
        f"/me/positions/{near.id}/apply", data={"csrf_token": t, "note": "可立即到岗"}
    )
    assert done.status_code == 302
    application = session.scalar(select(Referral).where(Referral.graduate_id == g.id))
    assert application is not None and application.source == ReferralSource.APPLICATION
    after = client.get(f"/me/positions/{near.id}").get_data(as_text=True)
    assert "已应聘" in after and "我要应聘</button>" not in after
    marked = client.get("/me/positions").get_data(as_text=True)
    assert "已应聘" in marked  # the list marks what is applied for
    again = client.post(
        f"/me/positions/{near.id}/apply", data={"csrf_token": t}, follow_redirects=True
    )
    assert "您已应聘过这个岗位" in again.get_data(as_text=True)


def test_wishes_are_chosen_and_the_archive_keeps_who_changed_them(
    app, session: Session, hq_actor: Actor
) -> None:  # type: ignore[no-untyped-def]
    client, g = _graduate(app, session, hq_actor)
    form = client.get("/me/wishes").get_data(as_text=True)
    assert 'name="wish_regions-0-1"' in form and 'value="440000" selected' in form
    t = csrf(client, "/me/wishes")
    # a county that is not under the chosen city is refused, beside the field, nothing saved
    wrong = client.post(
        "/me/wishes",
        data={
            "csrf_token": t,
            "wish_regions-0-1": "440000",
            "wish_regions-0-2": "440100",
            "wish_regions-0-3": "420102",
            "skills": "Excel",
        },
    )
    assert wrong.status_code == 422 and "与上一级不符" in wrong.get_data(as_text=True)
    assert "Excel" in wrong.get_data(as_text=True)  # what was typed is kept
    session.expire_all()
    assert session.get(Graduate, g.id).skills == "Python"  # type: ignore[union-attr]
    # without script: 选择下级地区 fills the next select and saves nothing
    refresh = client.post(
        "/me/wishes",
        data={"csrf_token": t, "wish_regions-0-1": "420000", "_refresh": "wish_regions-0"},
    )
    assert refresh.status_code == 200 and 'value="420100"' in refresh.get_data(as_text=True)
    ok = client.post(
        "/me/wishes",
        data={
            "csrf_token": t,
            "wish_regions-0-1": "440000",
            "wish_regions-0-2": "440100",
            "wish_regions-0-3": "440106",
            "wish_regions-1-1": "420000",
            "wish_regions-1-2": "420100",
            "skills": "Excel",
            "wants_internship": "y",
        },
    )
    assert ok.status_code == 302
    session.expire_all()
    saved = session.get(Graduate, g.id)
    assert saved is not None and saved.wish_regions == ["440106", "420100"]
    assert saved.skills == "Excel" and saved.wants_internship
    event = session.scalar(select(AuditEvent).where(AuditEvent.action == "wishes"))
    assert event is not None and set(event.details["fields"]) >= {"wish_regions", "skills"}
    user_id = session.scalar(select(AuditEvent.user_id).where(AuditEvent.action == "wishes"))
    assert user_id is not None  # the graduate's own account, not an officer
    officer = app.test_client()
    code = second_factor(session, "gz")
    login_with_code(officer, session, "gz", PASSWORD, code)
    history = officer.get(f"/graduates/{g.id}").get_data(as_text=True)
    assert "毕业生修改求职意向" in history


def test_training_signup_is_a_request_the_officer_confirms(
    app, session: Session, hq_actor: Actor
) -> None:  # type: ignore[no-untyped-def]
    offer = create_offer(
        session,
        officer_actor(session, "440100"),
        TrainingInput(
            name="Python 数据分析培训",
            kind=TrainingKind.SKILL,
            skills="Python",
            org_code="440100",
            region_code="440100",
            starts_on=TODAY + timedelta(days=10),
            ends_on=TODAY + timedelta(days=20),
            seats=5,
            signup_closes_on=TODAY + timedelta(days=5),
        ),
    )
    client, g = _graduate(app, session, hq_actor)
    ask_path = f"/me/training/{offer.id}/ask"
    assert ask_path in client.get("/me").get_data(as_text=True)  # 报名 offered
    t = csrf(client, "/me")
    assert client.post(ask_path, data={"csrf_token": t}).status_code == 302
    home = client.get("/me").get_data(as_text=True)
    assert "已报名（待确认）" in home and ask_path not in home  # said, not offered again
    again = client.post(
        f"/me/training/{offer.id}/ask", data={"csrf_token": t}, follow_redirects=True
    )
    assert "已报名过" in again.get_data(as_text=True)
    ask = session.scalar(
        select(GraduateRequest).where(GraduateRequest.kind == RequestKind.TRAINING)
    )
    assert ask is not None and ask.offer_id == offer.id
    assert session.scalar(select(TrainingEnrollment.id)) is None  # not enrolled until confirmed
    officer = app.test_client()
    login_with_code(officer, session, "gz", PASSWORD, second_factor(session, "gz"))
    page = officer.get("/officer/requests").get_data(as_text=True)
    assert "报名参加培训" in page and "确认报名" in page
    ot = csrf(officer, "/officer/requests")
    officer.post(f"/officer/requests/{ask.id}/accept", data={"csrf_token": ot})
    session.expire_all()
    enrolled = session.scalar(select(TrainingEnrollment))
    assert enrolled is not None and enrolled.graduate_id == g.id and enrolled.offer_id == offer.id
    assert ask_path not in client.get("/me").get_data(as_text=True)  # enrolled: not offered


def test_a_graduate_not_looking_is_told_before_typing_an_application(
    app, session: Session, hq_actor: Actor
) -> None:  # type: ignore[no-untyped-def]
    from matchsvc.graduates.service import change_status
    from matchsvc.models import EmploymentStatus

    p = post(session, employer(session, 93), "数据分析助理", [], description="Python")
    client, g = _graduate(app, session, hq_actor)
    page = client.get(f"/me/positions/{p.id}").get_data(as_text=True)
    assert "我要应聘</button>" in page and "您的就业状态是" not in page
    change_status(session, officer_actor(session, "440100"), g, EmploymentStatus.EMPLOYED, TODAY)
    session.commit()
    page = client.get(f"/me/positions/{p.id}").get_data(as_text=True)
    assert "您的就业状态是「已就业」" in page and "我仍在求职" in page
    assert "我要应聘</button>" not in page and f"/me/positions/{p.id}/apply" not in page


def test_a_search_that_finds_nothing_nearby_offers_the_province_and_the_country(
    app, session: Session, hq_actor: Actor
) -> None:  # type: ignore[no-untyped-def]
    register_graduate(
        session,
        officer_actor(session, "445100"),
        graduate_input(
            make_id("445102", seq="811"), "445100", "445100", name="潮州生",
            wish_regions=["445100"],
        ),
    )  # fmt: skip
    portal_account(session, hq_actor, "cz", PASSWORD, graduate_id_number=make_id("445102", seq="811"))  # fmt: skip
    e = employer(session, 95)
    post(session, e, "广州前台", [], region="440105")
    post(session, e, "武汉前台", [], region="420102")
    session.commit()
    client = app.test_client()
    login(client, "cz", PASSWORD)
    near = client.get("/me/positions").get_data(as_text=True)
    assert "共 0 个" in near and "扩大到意向地区所在的省（全省）：1 个" in near
    assert "扩大到全国：2 个" in near
    nowhere = client.get("/me/positions?q=无此岗位").get_data(as_text=True)
    assert 'id="wider"' not in nowhere  # no wider search finds more: nothing offered
    province = client.get("/me/positions?scope=province").get_data(as_text=True)
    assert "广州前台" in province and "武汉前台" not in province
    assert "广州市海珠区" in province  # the place with its city
    country = client.get("/me/positions?scope=country").get_data(as_text=True)
    assert "广州前台" in country and "武汉前台" in country
