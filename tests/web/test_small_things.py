"""Smaller things users noticed: a name searched in pinyin with spaces, 报告已签约 without an
employer, export files that open with readable columns."""

from __future__ import annotations

import io
import re

from openpyxl import load_workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from matchsvc.actors import Actor
from matchsvc.auth.service import create_user
from matchsvc.exports import to_xlsx
from matchsvc.graduates.service import register_graduate
from matchsvc.models import GraduateRequest, Position, Role

from ..conftest import graduate_input, make_id, officer_actor, portal_account
from ..helpers import PASSWORD, TODAY, csrf, employer, login, post


def test_pinyin_with_spaces_finds_the_name(app, session: Session, hq_actor: Actor) -> None:  # type: ignore[no-untyped-def]
    create_user(
        session, hq_actor, role=Role.OFFICER, username="gz", password=PASSWORD, org_code="440100"
    )
    register_graduate(
        session,
        officer_actor(session, "440100"),
        graduate_input(make_id("440106", seq="611"), "440100", "440100", name="胡丹芳"),
    )
    session.commit()
    client = app.test_client()
    login(client, "gz", PASSWORD)
    for q in ("hu dan fang", "hudanfang", "Hu Danfang", "h d f"):
        page = client.get("/graduates/", query_string={"q": q}).get_data(as_text=True)
        assert "胡丹芳" in page, q


def test_a_signing_needs_the_employer(app, session: Session, hq_actor: Actor) -> None:  # type: ignore[no-untyped-def]
    register_graduate(
        session,
        officer_actor(session, "440100"),
        graduate_input(make_id("440106", seq="612"), "440100", "440100"),
    )
    portal_account(
        session, hq_actor, "g612", PASSWORD, graduate_id_number=make_id("440106", seq="612")
    )
    session.commit()
    me = app.test_client()
    login(me, "g612", PASSWORD)
    t = csrf(me, "/me")
    empty = me.post(
        "/me/signed", data={"csrf_token": t, "signed_on": TODAY.isoformat(), "text": ""}
    )
    assert empty.status_code == 422 and "请填写签约单位和岗位" in empty.get_data(as_text=True)
    assert session.scalar(select(func.count()).select_from(GraduateRequest)) == 0


def test_exported_columns_are_wide_enough_to_read() -> None:
    body = to_xlsx(["姓名", "毕业院校", "x"], [["胡丹芳", "华南理工大学", "1"]], "毕业生")
    sheet = load_workbook(io.BytesIO(body)).active
    assert sheet is not None
    widths = {c: sheet.column_dimensions[c].width for c in "ABC"}
    assert widths["B"] >= 14 and widths["A"] >= 8  # 华南理工大学 is 12 columns wide
    assert widths["C"] < widths["B"]


def test_the_graduate_page_has_unique_ids_and_no_autocomplete_none(
    app, session: Session, hq_actor: Actor
) -> None:  # type: ignore[no-untyped-def]
    g = register_graduate(
        session,
        officer_actor(session, "440100"),
        graduate_input(make_id("440106", seq="613"), "440100", "440100", wish_regions=["440100"]),
    )
    e = employer(session, 613)
    for title in ("仓库管理员", "行政助理", "客服专员"):
        post(session, e, title, [])
    portal_account(session, hq_actor, "g613", PASSWORD, graduate_id_number=g.id_number)
    session.commit()
    me = app.test_client()
    login(me, "g613", PASSWORD)
    for path in ("/me", "/me/wishes", "/account/notices", "/me/positions"):
        html = me.get(path).get_data(as_text=True)
        assert 'autocomplete="None"' not in html, path
        ids = re.findall(r'\sid="([^"]+)"', html)
        assert len(ids) == len(set(ids)), (path, sorted(i for i in ids if ids.count(i) > 1))
    assert me.get("/me").get_data(as_text=True).count('name="reason"') >= 3  # one form per post
    # a decline without its reason comes back as a page of its own
    t = csrf(me, "/me")
    pid = session.scalar(select(Position.id).where(Position.title == "行政助理"))
    refused = me.post(f"/me/positions/{pid}/decline", data={"csrf_token": t, "reason": ""})
    assert refused.status_code == 422 and "请说明原因" in refused.get_data(as_text=True)


def test_the_icon_is_there_and_every_page_links_it(app) -> None:  # type: ignore[no-untyped-def]
    client = app.test_client()
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200 and icon.mimetype == "image/svg+xml" and b"<svg" in icon.data
    icon.close()
    page = client.get("/login").get_data(as_text=True)
    assert 'rel="icon"' in page and "favicon.svg" in page
    static = client.get("/static/favicon.svg")
    assert static.status_code == 200
    static.close()
