"""Login, CSRF, and ending sessions everywhere (logout, password change, disabling)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from matchsvc.actors import Actor
from matchsvc.auth.service import create_user, set_active
from matchsvc.models import Role, User
from matchsvc.paths import TEMPLATES_DIR

from ..helpers import csrf, login

PASSWORD = "Passw0rd!"


@pytest.fixture
def officer(session: Session, hq_actor: Actor) -> User:
    user = create_user(
        session, hq_actor, role=Role.OFFICER, username="gz", password=PASSWORD, org_code="440100"
    )
    session.commit()
    return user


def test_login_and_wrong_password(client: FlaskClient, officer: User) -> None:
    assert client.get("/graduates/").status_code == 302  # to the login page
    bad = login(client, "gz", "wrong-password1")
    assert bad.status_code == 200 and "用户名或密码错误" in bad.get_data(as_text=True)
    unknown = login(client, "nobody", "wrong-password1")
    assert "用户名或密码错误" in unknown.get_data(as_text=True)
    ok = login(client, "GZ", PASSWORD)
    assert ok.status_code == 302
    assert client.get("/graduates/").status_code == 200


def test_post_without_csrf_token_is_refused(client: FlaskClient, officer: User) -> None:
    response = client.post("/login", data={"username": "gz", "password": PASSWORD})
    assert response.status_code == 400
    assert client.get("/graduates/").status_code == 302


def test_logout_ends_every_session_and_replayed_cookie_is_refused(
    app,
    officer: User,  # type: ignore[no-untyped-def]
) -> None:
    first, second = app.test_client(), app.test_client()
    login(first, "gz", PASSWORD)
    login(second, "gz", PASSWORD)
    cookie = first.get_cookie("session")
    assert cookie is not None
    stolen = cookie.value
    assert second.get("/graduates/").status_code == 200
    first.post("/logout", data={"csrf_token": csrf(first, "/graduates/")})
    assert first.get("/graduates/").status_code == 302
    assert second.get("/graduates/").status_code == 302  # the other device is logged out too
    replay = app.test_client()
    replay.set_cookie("session", stolen)
    assert replay.get("/graduates/").status_code == 302


def test_password_change_ends_other_sessions(app, officer: User) -> None:  # type: ignore[no-untyped-def]
    first, second = app.test_client(), app.test_client()
    login(first, "gz", PASSWORD)
    login(second, "gz", PASSWORD)
    response = first.post(
        "/account/password",
        data={
            "csrf_token": csrf(first, "/account/password"),
            "current": PASSWORD,
            "new": "NewPassw0rd!",
            "confirm": "NewPassw0rd!",
        },
    )
    assert response.status_code == 302
    assert second.get("/graduates/").status_code == 302
    assert login(app.test_client(), "gz", PASSWORD).status_code == 200  # old password refused
    assert login(app.test_client(), "gz", "NewPassw0rd!").status_code == 302


def test_weak_new_password_changes_nothing(app, officer: User) -> None:  # type: ignore[no-untyped-def]
    client = app.test_client()
    login(client, "gz", PASSWORD)
    response = client.post(
        "/account/password",
        data={
            "csrf_token": csrf(client, "/account/password"),
            "current": PASSWORD,
            "new": "short",
            "confirm": "short",
        },
    )
    assert response.status_code == 422 and "至少8位" in response.get_data(as_text=True)
    assert client.get("/graduates/").status_code == 200
    assert login(app.test_client(), "gz", PASSWORD).status_code == 302


def test_disabling_a_user_ends_their_sessions(
    app,
    session: Session,
    officer: User,
    hq_actor: Actor,  # type: ignore[no-untyped-def]
) -> None:
    client = app.test_client()
    login(client, "gz", PASSWORD)
    assert client.get("/graduates/").status_code == 200
    set_active(session, hq_actor, officer, False)
    session.commit()
    assert client.get("/graduates/").status_code == 302
    assert login(app.test_client(), "gz", PASSWORD).status_code == 200


def test_security_headers(client: FlaskClient) -> None:
    response = client.get("/login")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "no-store"


def test_templates_carry_no_inline_script_or_style() -> None:
    for path in Path(TEMPLATES_DIR).rglob("*.html"):
        html = path.read_text(encoding="utf-8")
        assert not re.search(r"<script(?![^>]*\bsrc=)", html), path
        assert not re.search(r"\son[a-z]+\s*=", html), path
        assert not re.search(r"\sstyle\s*=", html), path
        assert "<style" not in html, path


def test_roles_land_on_their_page(app, session: Session, hq_actor: Actor) -> None:  # type: ignore[no-untyped-def]
    from matchsvc.employers.service import register_employer
    from matchsvc.models import EmployerKind

    register_employer(
        session,
        hq_actor,
        name="某单位",
        uscc="91350100M000100Y43",
        kind=EmployerKind.SOE,
        org_code="440100",
        approve=True,
    )
    create_user(
        session,
        hq_actor,
        role=Role.EMPLOYER,
        username="hr",
        password=PASSWORD,
        employer_uscc="91350100M000100Y43",
    )
    create_user(
        session, hq_actor, role=Role.OFFICER, username="gz", password=PASSWORD, org_code="440100"
    )
    session.commit()
    employer, officer = app.test_client(), app.test_client()
    login(employer, "hr", PASSWORD)
    landing = employer.get("/", follow_redirects=True).get_data(as_text=True)
    assert "某单位" in landing and "发布岗位" in landing
    assert employer.get("/graduates/").status_code == 403
    assert employer.get("/imports/").status_code == 403
    login(officer, "gz", PASSWORD)
    assert officer.get("/").headers["Location"].endswith("/graduates/")


def test_idle_and_absolute_timeouts_end_the_session(app, officer: User, session: Session) -> None:  # type: ignore[no-untyped-def]
    import time

    session.commit()
    client = app.test_client()
    login(client, "gz", PASSWORD)
    assert client.get("/graduates/").status_code == 200
    with client.session_transaction() as s:
        s["_seen"] = time.time() - 31 * 60
    idle = client.get("/graduates/")
    assert idle.status_code == 302 and "/login" in idle.headers["Location"]
    assert client.get("/graduates/").status_code == 302  # stays logged out
    login(client, "gz", PASSWORD)
    with client.session_transaction() as s:
        s["_login_at"] = time.time() - 9 * 3600  # active all along, but past the 8 hours
    assert client.get("/graduates/").status_code == 302
    assert client.get("/api/v1/stats?campaign=2012").status_code == 401
