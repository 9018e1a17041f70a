"""The lifecycle's pages: the public application (every error at once, what was typed kept, the
same answer for a known number), each step's page, the archive page's history and actions, the
list by state, the 年度复核 pages, the work list's groups, and the `matchsvc archives` commands."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from matchsvc.actors import Actor
from matchsvc.archives import service as archives
from matchsvc.archives.service import Step
from matchsvc.auth.service import create_user
from matchsvc.cli import main
from matchsvc.graduates.service import register_graduate
from matchsvc.models import AnnualReviewItem, ArchiveState, Graduate, ReviewOutcome, Role

from ..conftest import graduate_input, make_id, officer_actor
from ..helpers import PASSWORD, TODAY, csrf, login

S = ArchiveState


def _form(client, **values: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    base = {
        "csrf_token": csrf(client, "/apply"),
        "name": "陈晓",
        "id_number": make_id("440106", seq="971"),
        "phone": "13800138971",
        "home_org": "440100",
        "school_name": "华南理工大学",
        "school_region": "440100",
        "major_text": "软件工程",
        "degree": "benke",
        "graduation_year": "2012",
        "family_kind": "worker",
        "hardships": "dibao",
        "consent": "y",
    }
    base.update(values)
    return base


def test_the_public_application(session: Session, client, hq_actor: Actor) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/apply")
    assert page.status_code == 200 and "建档申请" in page.get_data(as_text=True)
    wrong = client.post(
        "/apply",
        data=_form(client, name="", id_number="440106199001011234", phone="", consent=""),
    )
    text = wrong.get_data(as_text=True)
    assert wrong.status_code == 422
    assert text.count('class="error"') >= 4  # name, ID number, phone, consent in one round
    assert "华南理工大学" in text  # what was typed is kept
    assert session.scalar(select(func.count()).where(Graduate.name == "陈晓")) == 0

    done = client.post("/apply", data=_form(client))
    assert done.status_code == 200 and "申请已提交" in done.get_data(as_text=True)
    g = session.scalar(select(Graduate).where(Graduate.name == "陈晓"))
    assert g is not None and g.archive_state == S.APPLIED
    again = client.post("/apply", data=_form(client, name="别人"))
    # the same page for a number that already has an archive: nothing learned, nothing added
    assert again.get_data(as_text=True) == done.get_data(as_text=True)
    assert session.scalar(select(func.count()).where(Graduate.name == "别人")) == 0


def test_an_officer_enters_an_application_for_a_family(
    session: Session, client, hq_actor: Actor
) -> None:  # type: ignore[no-untyped-def]
    create_user(
        session, hq_actor, role=Role.OFFICER, username="gz", password=PASSWORD, org_code="440100"
    )
    session.commit()
    login(client, "gz", PASSWORD)
    form = client.get("/graduates/new").get_data(as_text=True)
    assert "录入建档申请" in form and "直接建档" in form
    data = {
        "csrf_token": csrf(client, "/graduates/new"), "entry": "application",
        "name": "代填", "id_number": make_id("440106", seq="975"), "home_org": "440100",
        "school_name": "广州大学", "school_region": "440100", "major_text": "法学",
        "degree": "benke", "graduation_year": "2012", "family_kind": "worker",
        "registered_on": (TODAY - timedelta(days=3)).isoformat(), "status": "unemployed",
    }  # fmt: skip
    made = client.post("/graduates/new", data=data)
    assert made.status_code == 302
    g = session.scalar(select(Graduate).where(Graduate.name == "代填"))
    assert g is not None and g.archive_state == S.APPLIED
    assert [e.state for e in archives.events(session, g)] == [S.APPLIED]
    detail = client.get(f"/graduates/{g.id}").get_data(as_text=True)
    assert f"/graduates/{g.id}/archive/reviewed" in detail and "代为录入建档申请" in detail
    # an application is not yet an archive: no service, no recommendations
    assert not g.is_looking
    direct = dict(data, entry="archive", name="直建", id_number=make_id("440106", seq="976"))
    assert client.post("/graduates/new", data=direct).status_code == 302
    g2 = session.scalar(select(Graduate).where(Graduate.name == "直建"))
    assert g2 is not None and g2.archive_state == S.OPENED


def test_steps_on_the_archive_page(session: Session, client, hq_actor: Actor) -> None:  # type: ignore[no-untyped-def]
    create_user(
        session, hq_actor, role=Role.OFFICER, username="gz", password=PASSWORD, org_code="440100"
    )
    g = register_graduate(
        session,
        officer_actor(session, "440100"),
        graduate_input(make_id("440106", seq="972"), "440100", "440100", name="王芳",
                       registered_on=TODAY - timedelta(days=30)),
    )  # fmt: skip
    g.archive_state = S.REVIEWED  # as if applied and reviewed
    session.commit()
    login(client, "gz", PASSWORD)
    detail = client.get(f"/graduates/{g.id}").get_data(as_text=True)
    assert "档案状态：初审" in detail and f"/graduates/{g.id}/archive/visited" in detail
    url = f"/graduates/{g.id}/archive/visited"
    token = csrf(client, url)
    refused = client.post(url, data={"csrf_token": token, "on": TODAY.isoformat()})
    text = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert "请填写调查人员" in text and "请选择调查结论" in text and "签字同意" in text
    ok = client.post(
        url,
        data={"csrf_token": token, "on": TODAY.isoformat(), "visitors": "李四",
              "confirmed": "yes", "consent": "y"},
    )  # fmt: skip
    assert ok.status_code == 302
    session.expire_all()
    assert session.get(Graduate, g.id).archive_state == S.VISITED  # type: ignore[union-attr]
    detail = client.get(f"/graduates/{g.id}").get_data(as_text=True)
    assert "调查人员：李四" in detail and "登记入户调查" in detail  # history and audit
    # a step not allowed now goes back with the reason
    wrong = client.get(f"/graduates/{g.id}/archive/closed")
    assert wrong.status_code == 302
    listing = client.get("/archives/?state=visited").get_data(as_text=True)
    assert "王芳" in listing and "入户调查（" in listing
    todo = client.get("/todo/").get_data(as_text=True)
    assert "入户调查完成待公示" in todo and f"/graduates/{g.id}/archive/publicised" in todo


def test_the_annual_review_pages_and_commands(
    session: Session,
    client,
    runner,
    hq_actor: Actor,  # type: ignore[no-untyped-def]
) -> None:
    create_user(
        session, hq_actor, role=Role.OFFICER, username="gd", password=PASSWORD, org_code="440000"
    )
    made = [
        register_graduate(
            session,
            officer_actor(session, "440100"),
            graduate_input(make_id("440106", seq=f"98{i}"), "440100", "440100", name=f"复核{i}"),
        )
        for i in range(6)
    ]
    session.commit()
    login(client, "gd", PASSWORD)
    token = csrf(client, "/reviews/")
    bad = client.post("/reviews/", data={"csrf_token": token, "year": "2026", "share": "0"})
    assert bad.status_code == 422 and "1 至 100" in bad.get_data(as_text=True)
    drawn = client.post("/reviews/", data={"csrf_token": token, "year": "2026", "share": "50"})
    assert drawn.status_code == 302
    page = client.get(drawn.headers["Location"]).get_data(as_text=True)
    assert "2026 年度复核" in page and "已复核 0 份" in page
    item = session.scalars(select(AnnualReviewItem)).first()
    assert item is not None
    outcome_url = drawn.headers["Location"].split("?")[0].rstrip("/") + "/outcome"
    client.post(
        outcome_url,
        data={"csrf_token": token, "graduate_id": str(item.graduate_id), "outcome": "confirmed"},
    )
    session.expire_all()
    assert (
        session.get(AnnualReviewItem, (item.review_id, item.graduate_id)).outcome
        == ReviewOutcome.CONFIRMED
    )  # type: ignore[union-attr]
    again = client.post("/reviews/", data={"csrf_token": token, "year": "2026", "share": "30"})
    assert again.status_code == 409 and "已抽取" in again.get_data(as_text=True)

    listed = runner.invoke(main, ["archives", "list", "--org", "440100", "--state", "opened"])
    assert listed.exit_code == 0 and "建档" in listed.output and "复核0" in listed.output
    step = runner.invoke(
        main, ["archives", "step", str(made[0].id), "cancelled", "--reason", "moved_away"]
    )
    assert step.exit_code == 0 and "注销" in step.output
    refused = runner.invoke(main, ["archives", "step", str(made[0].id), "closed"])
    assert refused.exit_code != 0 and "不能" in refused.output
    other = runner.invoke(main, ["archives", "review", "--org", "420000", "--year", "2026"])
    assert other.exit_code == 0 and "抽取" in other.output
    assert archives.next_steps(session, made[1]) == [S.ASSISTING, S.RECOVERED, S.CANCELLED]
    archives.take(session, officer_actor(session, "440100"), made[1], Step(S.ASSISTING, TODAY))
