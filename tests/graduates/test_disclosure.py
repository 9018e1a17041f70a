"""Unmasked personal data: only the officers who keep the archive see or export full ID numbers
and phones, each time with a stated reason, and every look is audited; everyone else is refused
with nothing written."""

from __future__ import annotations

import csv
import io
from urllib.parse import quote

from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from matchsvc.actors import Actor
from matchsvc.auth.service import create_user
from matchsvc.graduates.service import register_graduate
from matchsvc.models import AuditEvent, Graduate, Role

from ..conftest import graduate_input, make_id
from ..helpers import csrf, login_with_code, second_factor

PASSWORD = "Passw0rd!"
OWN_ID, SCHOOL_ID, OTHER_ID = (
    make_id("440106", seq="111"),
    make_id("420106", seq="222"),
    make_id("420106", seq="333"),
)


def _world(session: Session, hq: Actor) -> dict[str, Graduate]:
    for name, role, org in (
        ("gz", Role.OFFICER, "440100"),
        ("gd", Role.OFFICER, "440000"),
        ("wh", Role.OFFICER, "420100"),
        ("hq", Role.HQ, None),
    ):
        create_user(session, hq, role=role, username=name, password=PASSWORD, org_code=org)
    session.commit()
    for name in ("gz", "gd", "wh", "hq"):  # those who may unmask sign in with a second factor
        SECRETS[name] = second_factor(session, name)
    graduates = {
        # archive in 广州; studies in 广州
        "own": register_graduate(
            session, hq, graduate_input(OWN_ID, "440100", "440100", phone="13912345678")
        ),
        # archive in 武汉, studies in 广州: 广州 sees and serves, 武汉 keeps the archive
        "school": register_graduate(
            session, hq, graduate_input(SCHOOL_ID, "420100", "440100", phone="13787654321")
        ),
        "other": register_graduate(session, hq, graduate_input(OTHER_ID, "420100", "420100")),
    }
    session.commit()
    return graduates


SECRETS: dict[str, str] = {}


def sign_in(client: FlaskClient, session: Session, username: str) -> None:
    assert (
        login_with_code(client, session, username, PASSWORD, SECRETS[username]).status_code == 302
    )


def _events(session: Session, action: str) -> list[AuditEvent]:
    return list(session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def _audit_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(AuditEvent)) or 0


def test_keeper_sees_full_numbers_only_with_a_reason_and_it_is_audited(
    client: FlaskClient, session: Session, hq_actor: Actor
) -> None:
    g = _world(session, hq_actor)["own"]
    sign_in(client, session, "gz")
    detail = client.get(f"/graduates/{g.id}").get_data(as_text=True)
    assert OWN_ID not in detail and "13912345678" not in detail
    assert f"/graduates/{g.id}/unmask" in detail

    form = client.get(f"/graduates/{g.id}/unmask").get_data(as_text=True)
    assert OWN_ID not in form and "须说明用途" in form
    before = _audit_count(session)
    for reason in ("", "  ", "看看"):  # missing, blank, too short
        refused = client.post(
            f"/graduates/{g.id}/unmask", data={"csrf_token": csrf(client), "reason": reason}
        )
        assert refused.status_code == 422
        assert OWN_ID not in refused.get_data(as_text=True)
    assert _audit_count(session) == before

    shown = client.post(
        f"/graduates/{g.id}/unmask",
        data={"csrf_token": csrf(client), "reason": "电话通知参加6月招聘会 核对 13912345678"},
    )
    body = shown.get_data(as_text=True)
    assert shown.status_code == 200 and OWN_ID in body and "13912345678" in body
    assert "no-store" in shown.headers["Cache-Control"]
    (event,) = _events(session, "unmask")
    assert event.entity_type == "graduate" and event.entity_id == g.id and event.actor == "gz"
    # the reason is kept, with the phone typed into it masked
    assert event.details["reason"].startswith("电话通知参加6月招聘会")
    assert "13912345678" not in event.details["reason"]
    history = client.get(f"/graduates/{g.id}").get_data(as_text=True)
    assert "查看完整身份证号和手机号" in history and "电话通知参加6月招聘会" in history
    assert "时间（北京时间）" in history


def test_only_archive_keepers_may_unmask(
    app,
    session: Session,
    hq_actor: Actor,  # type: ignore[no-untyped-def]
) -> None:
    world = _world(session, hq_actor)
    own, school = world["own"], world["school"]
    # (user, graduate, expected status): 广州 serves `school` (its school lies in 广州) but does not
    # keep the archive; 广东 keeps `own` (below it); HQ is no archive keeper; 武汉 cannot see `own`.
    cells = [
        ("gz", own, 200),
        ("gd", own, 200),
        ("gz", school, 403),
        ("wh", school, 200),
        ("wh", own, 404),
        ("hq", own, 403),
        ("hq", school, 403),
    ]
    for user, graduate, expected in cells:
        client = app.test_client()
        sign_in(client, session, user)
        before = _audit_count(session)
        detail = client.get(f"/graduates/{graduate.id}").get_data(as_text=True)
        assert (f"/graduates/{graduate.id}/unmask" in detail) == (expected == 200), (user, graduate)
        assert client.get(f"/graduates/{graduate.id}/unmask").status_code == expected
        response = client.post(
            f"/graduates/{graduate.id}/unmask",
            data={"csrf_token": csrf(client), "reason": "核对身份后办理求职补贴"},
        )
        assert response.status_code == expected, (user, graduate)
        assert _audit_count(session) == before + (1 if expected == 200 else 0)
        assert (graduate.id_number in response.get_data(as_text=True)) == (expected == 200)


def test_unmasked_export_needs_a_reason_holds_only_kept_archives_and_is_audited(
    client: FlaskClient, session: Session, hq_actor: Actor
) -> None:
    _world(session, hq_actor)
    sign_in(client, session, "gz")
    listing = client.get("/graduates/").get_data(as_text=True)
    assert "/graduates/export-unmasked" in listing
    # the default export stays masked
    masked = client.get("/graduates/export.csv").data.decode("utf-8-sig")
    assert OWN_ID not in masked and SCHOOL_ID not in masked and "13912345678" not in masked

    before = _audit_count(session)
    refused = client.post(
        "/graduates/export-unmasked", data={"csrf_token": csrf(client), "fmt": "csv", "reason": ""}
    )
    assert refused.status_code == 422 and "请说明用途" in refused.get_data(as_text=True)
    assert _audit_count(session) == before

    response = client.post(
        "/graduates/export-unmasked?q=张",
        data={"csrf_token": csrf(client), "fmt": "csv", "reason": "报送市人社局公益性岗位名单"},
    )
    assert response.status_code == 200
    assert quote("毕业生完整信息") in response.headers["Content-Disposition"]
    assert response.headers["Content-Disposition"].endswith(".csv")
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    ids = {r[1] for r in rows[1:]}
    # 广州 keeps OWN's archive; SCHOOL (studying in 广州, archive in 武汉) is not in the file
    assert ids == {OWN_ID} and rows[1][2] == "13912345678"
    (event,) = _events(session, "export_unmasked")
    assert event.details == {
        "format": "csv",
        "rows": 1,
        "filters": {"q": "张"},
        "reason": "报送市人社局公益性岗位名单",
    }


def test_hq_employers_and_graduates_cannot_export_unmasked(
    app,
    session: Session,
    hq_actor: Actor,  # type: ignore[no-untyped-def]
) -> None:
    _world(session, hq_actor)
    client = app.test_client()
    sign_in(client, session, "hq")
    before = _audit_count(session)
    assert client.get("/graduates/export-unmasked").status_code == 403
    response = client.post(
        "/graduates/export-unmasked",
        data={"csrf_token": csrf(client), "fmt": "csv", "reason": "全国汇总核对名单"},
    )
    assert response.status_code == 403 and OWN_ID not in response.get_data(as_text=True)
    assert "/graduates/export-unmasked" not in client.get("/graduates/").get_data(as_text=True)
    assert _audit_count(session) == before
