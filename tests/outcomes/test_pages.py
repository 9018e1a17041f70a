"""Every list the matcher shows leaves an impression once the page has been sent — the graduate's own page, the officer's
推荐岗位与培训, a post's candidates for the officer and the employer, the API and the placement
plan — and 推荐效果 draws what followed, within jurisdiction, with its CSV."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from matchsvc.actors import Actor
from matchsvc.auth.service import create_user
from matchsvc.graduates.service import register_graduate
from matchsvc.models import Impression, ReferralState, Role, Surface
from matchsvc.referrals.service import record_step, refer

from ..conftest import graduate_input, make_id, officer_actor
from ..helpers import PASSWORD, TODAY, employer, login, post


def _surfaces(session: Session) -> set[Surface]:
    session.expire_all()
    return set(session.scalars(select(Impression.surface)))


def test_each_list_shown_is_recorded_and_measured(app, session: Session, hq_actor: Actor) -> None:  # type: ignore[no-untyped-def]
    gz = officer_actor(session, "440100")
    e = employer(session, 71)
    software = post(session, e, "软件开发工程师", ["软件工程"], description="Java Python")
    g = register_graduate(
        session, gz,
        graduate_input(make_id("440106", seq="871"), "440100", "440100", name="李明",
                       major_text="软件工程", wish_regions=["440100"], skills="Python",
                       registered_on=TODAY - timedelta(days=30)),
    )  # fmt: skip
    for username, kw in (
        ("gz", {"role": Role.OFFICER, "org_code": "440100"}),
        ("gd", {"role": Role.OFFICER, "org_code": "440000"}),
        ("wh", {"role": Role.OFFICER, "org_code": "420000"}),
        ("hr", {"role": Role.EMPLOYER, "employer_uscc": e.uscc}),
        ("me", {"role": Role.GRADUATE, "graduate_id_number": make_id("440106", seq="871")}),
    ):
        create_user(session, hq_actor, username=username, password=PASSWORD, **kw)  # type: ignore[arg-type]
    session.commit()

    officer = app.test_client()
    login(officer, "gz", PASSWORD)
    hr = app.test_client()
    login(hr, "hr", PASSWORD)
    me = app.test_client()
    login(me, "me", PASSWORD)
    pages = [
        officer.get(f"/matching/graduates/{g.id}", keep_open=True),
        officer.get(f"/matching/positions/{software.id}", keep_open=True),
        officer.get(f"/api/v1/graduates/{g.id}/recommendations", keep_open=True),
        officer.get("/matching/placement?org=440100", keep_open=True),
        hr.get(f"/employer/positions/{software.id}", keep_open=True),
        me.get("/me", keep_open=True),
    ]
    assert [p.status_code for p in pages] == [200] * 6
    # written after the response has gone out (the server closes it), not before
    assert _surfaces(session) == set()
    for p in pages:
        p.close()
    assert _surfaces(session) >= {
        Surface.OFFICER, Surface.CANDIDATES, Surface.API, Surface.PLAN, Surface.EMPLOYER,
        Surface.GRADUATE,
    }  # fmt: skip
    mine = session.scalars(select(Impression).where(Impression.graduate_id == g.id)).all()
    assert all(i.items and i.version for i in mine)
    assert any(i.items[0] == software.id for i in mine if i.kind == "job")

    referral = refer(session, gz, g.id, software.id, TODAY - timedelta(days=1))
    record_step(session, gz, referral, ReferralState.HIRED, TODAY)
    session.commit()
    # 推荐效果 is for HQ and the provinces: the city's officer is refused
    assert officer.get("/outcomes/").status_code == 403
    assert officer.get("/outcomes/provinces.csv").status_code == 403
    province = app.test_client()
    login(province, "gd", PASSWORD)
    assert "推荐效果" in province.get("/graduates/").get_data(as_text=True)
    assert "推荐效果" not in officer.get("/graduates/").get_data(as_text=True)
    page = province.get("/outcomes/")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "<svg" in text and "script" not in text.split("<main")[-1]
    assert 'hire@1</th><td class="num">100.0%' in text
    download = province.get("/outcomes/provinces.csv")
    rows = list(csv.reader(io.StringIO(download.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[1][0] == "广东省总工会" and rows[1][1] == "1" and rows[1][2] == "100.0"
    assert province.get("/outcomes/nothing.csv").status_code == 404
    bad = province.get("/outcomes/?since=2012-13-40").get_data(as_text=True)
    assert "日期无法识别" in bad
    # another province measures only its own graduates
    other = app.test_client()
    login(other, "wh", PASSWORD)
    assert "这一期间本辖区没有录用记录" in other.get("/outcomes/").get_data(as_text=True)
    assert hr.get("/outcomes/").status_code in (302, 403)
