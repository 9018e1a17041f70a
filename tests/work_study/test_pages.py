"""勤工俭学 on the pages: the officer registers a student (a future year refused for a graduate,
beside the field, what was typed kept); the employer posts a summer post (its days, hours and
pay required and said beside each field; days outside the summer refused); the student's own
page recommends it, the officer's 勤工俭学 page lists it with the summer's report and its CSV."""

from __future__ import annotations

import re
from datetime import date

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from matchsvc.actors import Actor
from matchsvc.auth.service import create_user
from matchsvc.models import Graduate, Position, PositionKind, Role

from ..conftest import make_id, portal_account
from ..helpers import PASSWORD, TODAY, csrf, employer, login

SUMMER = TODAY.year + 1


def _student_form(client: FlaskClient, **overrides: str) -> dict[str, object]:
    data: dict[str, object] = {
        "csrf_token": csrf(client, "/graduates/new"),
        "entry": "archive",
        "name": "暑期生",
        "id_number": make_id("440106", "20050315", "771"),
        "home_org": "440100",
        "school_name": "华南理工大学",
        "school_region": "440100",
        "major_text": "软件工程",
        "degree": "benke",
        "graduation_year": str(SUMMER + 1),
        "family_kind": "worker",
        "wish_regions": "440100",
        "registered_on": TODAY.isoformat(),
        "status": "unemployed",
        "student": "y",
    }
    data.update(overrides)
    return data


def _post_form(client: FlaskClient, **overrides: str) -> dict[str, object]:
    page = "/employer/positions/new"
    data: dict[str, object] = {
        "csrf_token": csrf(client, page),
        "kind": "work_study",
        "min_degree": "",
        "title": "暑期图书整理",
        "work_region_code": "440100",
        "headcount": "4",
        "published_on": TODAY.isoformat(),
        "work_starts_on": date(SUMMER, 7, 6).isoformat(),
        "work_ends_on": date(SUMMER, 8, 14).isoformat(),
        "hours_per_week": "20",
        "pay_per_hour": "23.5",
    }
    data.update(overrides)
    return data


def test_a_student_a_summer_post_and_the_report(app, session: Session, hq_actor: Actor) -> None:  # type: ignore[no-untyped-def]
    e = employer(session, 77)
    create_user(session, hq_actor, role=Role.OFFICER, username="gz", password=PASSWORD,
                org_code="440100")  # fmt: skip
    portal_account(session, hq_actor, "hr", PASSWORD, employer_uscc=e.uscc)
    session.commit()
    officer = app.test_client()
    login(officer, "gz", PASSWORD)
    as_graduate = officer.post("/graduates/new", data=_student_form(officer, student=""))
    text = as_graduate.get_data(as_text=True)
    assert as_graduate.status_code == 422 and "毕业年份应在" in text and "华南理工大学" in text
    assert session.scalar(select(Graduate.id)) is None
    made = officer.post("/graduates/new", data=_student_form(officer))
    assert made.status_code == 302, made.get_data(as_text=True)
    s = session.scalars(select(Graduate)).one()
    assert s.student and s.graduation_year == SUMMER + 1
    detail = officer.get(f"/graduates/{s.id}").get_data(as_text=True)
    assert "在校生，预计毕业" in detail

    hr = app.test_client()
    login(hr, "hr", PASSWORD)
    page = "/employer/positions/new"
    missing = hr.post(page, data=_post_form(hr, hours_per_week="", pay_per_hour=""))
    text = missing.get_data(as_text=True)
    assert missing.status_code == 422
    assert "请填写每周工作小时数" in text and "请填写每小时报酬" in text and "暑期图书整理" in text
    winter = hr.post(page, data=_post_form(hr, work_starts_on=f"{SUMMER}-01-10",
                                           work_ends_on=f"{SUMMER}-02-10"))  # fmt: skip
    assert winter.status_code == 422 and "6月至9月" in winter.get_data(as_text=True)
    assert session.scalar(select(Position.id)) is None
    ok = hr.post(page, data=_post_form(hr))
    assert ok.status_code == 302, re.findall(
        r'class="error"[^>]*>([^<]*)', ok.get_data(as_text=True)
    )
    p = session.scalars(select(Position)).one()
    assert p.kind == PositionKind.WORK_STUDY and p.hours_per_week == 20

    portal_account(session, hq_actor, "me", PASSWORD,
                   graduate_id_number=make_id("440106", "20050315", "771"))  # fmt: skip
    session.commit()
    me = app.test_client()
    login(me, "me", PASSWORD)
    own = me.get("/me").get_data(as_text=True)
    assert "勤工俭学岗位" in own and "暑期图书整理" in own
    shown = me.get(f"/me/positions/{p.id}").get_data(as_text=True)
    assert "每周 20 小时，23.50 元/小时" in shown

    desk = officer.get("/work-study/").get_data(as_text=True)
    assert "暑期图书整理" in desk and "广州市总工会" in desk
    report = officer.get(f"/work-study/report.csv?year={TODAY.year}").get_data(as_text=True)
    assert "广州市总工会,1,0,0,0,0" in report  # one student registered this year
    summer = officer.get(f"/work-study/report.csv?year={SUMMER}").get_data(as_text=True)
    assert ",1,4,0,0" in summer  # the post and its seats fall in next summer
