"""The second factor for those who may unmask: enrolled with a QR code the service draws, asked
at every sign-in, codes used once, recovery codes, an HQ reset that is audited, and no full
number shown to an officer who signed in without it."""

from __future__ import annotations

import re

import pyotp
from flask.testing import FlaskClient
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from matchsvc.actors import Actor
from matchsvc.auth.service import create_user
from matchsvc.graduates.disclosure import NEEDS_SECOND_FACTOR
from matchsvc.graduates.service import register_graduate
from matchsvc.models import AuditEvent, RecoveryCode, Role, User

from ..conftest import graduate_input, make_id
from ..helpers import csrf, login, login_with_code, second_factor

PASSWORD = "Passw0rd!"


def _staff(session: Session, hq: Actor) -> None:
    create_user(session, hq, role=Role.OFFICER, username="gz", password=PASSWORD, org_code="440100")
    create_user(session, hq, role=Role.HQ, username="boss", password=PASSWORD)
    session.commit()


def test_enrolment_with_a_qr_code_drawn_here_and_recovery_codes(
    client: FlaskClient, session: Session, hq_actor: Actor
) -> None:
    _staff(session, hq_actor)
    login(client, "gz", PASSWORD)
    page = client.get("/account/2fa").get_data(as_text=True)
    assert "开始设置两步验证" in page
    started = client.post(
        "/account/2fa", data={"csrf_token": csrf(client, "/account/2fa"), "start-submit": "y"}
    ).get_data(as_text=True)
    assert 'src="data:image/svg+xml;base64,' in started and "https://" not in started
    secret = re.search(r'class="mono">([A-Z2-7]{16,})<', started).group(1)  # type: ignore[union-attr]
    user = session.scalar(select(User).where(User.username == "gz"))
    assert user is not None and user.totp_secret_enc and secret not in user.totp_secret_enc
    token = csrf(client, "/account/2fa")
    wrong = client.post("/account/2fa", data={"csrf_token": token, "code": "000000"})
    assert wrong.status_code == 422 and "验证码不正确" in wrong.get_data(as_text=True)
    done = client.post(
        "/account/2fa", data={"csrf_token": token, "code": pyotp.TOTP(secret).now()}
    ).get_data(as_text=True)
    codes = re.findall(r"<li>([0-9A-F]{5}-[0-9A-F]{5})</li>", done)
    assert len(codes) == 10 and "两步验证已启用" in done
    session.expire_all()
    stored = session.scalars(select(RecoveryCode.code_hash)).all()
    assert len(stored) == 10 and not any(c.replace("-", "") in h for c in codes for h in stored)


def test_sign_in_asks_for_the_code_once_each_and_recovery_codes_work_once(
    app, session: Session, hq_actor: Actor
) -> None:  # type: ignore[no-untyped-def]
    _staff(session, hq_actor)
    secret = second_factor(session, "gz")
    client = app.test_client()
    first = login(client, "gz", PASSWORD)
    assert first.status_code == 302 and first.headers["Location"].endswith("/login/code")
    assert client.get("/graduates/").status_code == 302  # not signed in with the password alone
    bad = client.post(
        "/login/code", data={"csrf_token": csrf(client, "/login/code"), "code": "123456"}
    )
    assert bad.status_code == 200 and "验证码不正确" in bad.get_data(as_text=True)
    code = pyotp.TOTP(secret).now()
    ok = client.post("/login/code", data={"csrf_token": csrf(client, "/login/code"), "code": code})
    assert ok.status_code == 302 and client.get("/graduates/").status_code == 200
    replay = app.test_client()
    login(replay, "gz", PASSWORD)
    again = replay.post(
        "/login/code", data={"csrf_token": csrf(replay, "/login/code"), "code": code}
    )
    assert again.status_code == 200  # the same code twice: refused
    # a recovery code instead (the phone lost), once
    user = session.scalar(select(User).where(User.username == "gz"))
    assert user is not None
    from matchsvc.auth import totp

    session.execute(update(User).where(User.id == user.id).values(totp_last_step=None))
    codes = totp._new_recovery_codes(session, user)
    session.commit()
    for expected in (302, 200):
        c = app.test_client()
        login(c, "gz", PASSWORD)
        r = c.post("/login/code", data={"csrf_token": csrf(c, "/login/code"), "code": codes[0]})
        assert r.status_code == expected


def test_no_full_number_without_the_second_factor(app, session: Session, hq_actor: Actor) -> None:  # type: ignore[no-untyped-def]
    _staff(session, hq_actor)
    g = register_graduate(session, hq_actor, graduate_input(make_id("440106"), "440100", "440100"))
    session.commit()
    plain = app.test_client()
    login(plain, "gz", PASSWORD)  # not enrolled: the password alone
    page = plain.get(f"/graduates/{g.id}/unmask")
    assert page.status_code == 403 and NEEDS_SECOND_FACTOR in page.get_data(as_text=True)
    refused = plain.post(
        f"/graduates/{g.id}/unmask",
        data={"csrf_token": csrf(plain, f"/graduates/{g.id}"), "reason": "核对身份后办理补贴"},
    )
    assert refused.status_code == 403 and g.id_number not in refused.get_data(as_text=True)
    assert plain.get("/graduates/export-unmasked").status_code == 403
    secret = second_factor(session, "gz")
    strong = app.test_client()
    assert login_with_code(strong, session, "gz", PASSWORD, secret).status_code == 302
    assert strong.get(f"/graduates/{g.id}/unmask").status_code == 200


def test_hq_resets_a_second_factor_and_it_is_audited(
    app, session: Session, hq_actor: Actor
) -> None:  # type: ignore[no-untyped-def]
    _staff(session, hq_actor)
    secret = second_factor(session, "gz")
    officer = app.test_client()
    login_with_code(officer, session, "gz", PASSWORD, secret)
    assert officer.get("/account/2fa/reset").status_code == 403  # HQ only
    boss = app.test_client()
    login(boss, "boss", PASSWORD)
    token = csrf(boss, "/account/2fa/reset")
    short = boss.post(
        "/account/2fa/reset", data={"csrf_token": token, "username": "gz", "reason": "丢"}
    )
    assert short.status_code == 422 and "原因" in short.get_data(as_text=True)
    done = boss.post(
        "/account/2fa/reset",
        data={"csrf_token": token, "username": "gz", "reason": "手机丢失，本人电话确认"},
    )
    assert done.status_code == 302
    event = session.scalar(select(AuditEvent).where(AuditEvent.action == "totp_reset"))
    assert event is not None and event.actor == "boss" and "手机丢失" in event.details["reason"]
    assert session.scalar(select(RecoveryCode.id)) is None
    again = login(app.test_client(), "gz", PASSWORD)
    assert again.status_code == 302 and not again.headers["Location"].endswith("/login/code")
