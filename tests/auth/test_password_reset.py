"""An employer who forgets the password: the approving union resets it (asked first, audited,
the old password and sessions gone), or a link goes to the e-mail on the account (a real SMTP
server on localhost), which works once."""

from __future__ import annotations

import re
from email import message_from_bytes
from email.policy import default

from sqlalchemy import select
from sqlalchemy.orm import Session

from matchsvc import pii
from matchsvc.actors import Actor
from matchsvc.auth.service import create_user
from matchsvc.models import AuditEvent, Role, User

from ..conftest import Inbox
from ..helpers import PASSWORD, csrf, employer, login


def _accounts(session: Session, hq: Actor) -> User:
    e = employer(session, 41)
    for name, code in (("gz", "440100"), ("wh", "420100")):
        create_user(session, hq, role=Role.OFFICER, username=name, password=PASSWORD, org_code=code)
    user = create_user(
        session, hq, role=Role.EMPLOYER, username="hr41", password=PASSWORD, employer_uscc=e.uscc
    )
    session.commit()
    return user


def test_the_approving_union_resets_it(app, session: Session, hq_actor: Actor) -> None:  # type: ignore[no-untyped-def]
    user = _accounts(session, hq_actor)
    employer_id = user.employer_id
    hr = app.test_client()
    assert login(hr, "hr41", PASSWORD).status_code == 302
    officer = app.test_client()
    login(officer, "gz", PASSWORD)
    page = officer.get(f"/employers/{employer_id}").get_data(as_text=True)
    assert "hr41" in page and "重置密码" in page
    t = csrf(officer, f"/employers/{employer_id}")
    url = f"/employers/{employer_id}/password"
    for wrong in ("99999999999999999999", "-1", "abc"):  # beyond the database's integer: 400
        assert officer.post(url, data={"csrf_token": t, "user_id": wrong}).status_code == 400
    asked = officer.post(url, data={"csrf_token": t, "user_id": user.id})
    assert asked.status_code == 200 and "确认重置" in asked.get_data(as_text=True)
    assert login(app.test_client(), "hr41", PASSWORD).status_code == 302  # nothing changed yet
    done = officer.post(url, data={"csrf_token": t, "user_id": user.id, "confirm": "yes"})
    shown = re.search(r'class="code mono">([^<]+)<', done.get_data(as_text=True))
    assert shown is not None
    temporary = shown.group(1)
    assert login(app.test_client(), "hr41", PASSWORD).status_code != 302  # the old one is gone
    assert login(app.test_client(), "hr41", temporary).status_code == 302
    assert hr.get("/employer/").status_code == 302  # the old session ended
    # the temporary password is changed before anything else is opened
    fresh = app.test_client()
    login(fresh, "hr41", temporary)
    held = fresh.get("/employer/", follow_redirects=True)
    assert "/account/password" in held.request.path and "临时密码" in held.get_data(as_text=True)
    tp = csrf(fresh, "/account/password")
    same = {"csrf_token": tp, "current": temporary, "new": temporary, "confirm": temporary}
    assert fresh.post("/account/password", data=same).status_code == 422
    new = "Chosen-by-hr41-9"
    changed = {"csrf_token": tp, "current": temporary, "new": new, "confirm": new}
    assert fresh.post("/account/password", data=changed).status_code == 302
    after = app.test_client()
    login(after, "hr41", new)
    assert after.get("/employer/").status_code == 200  # free to work now
    event = session.scalar(select(AuditEvent).where(AuditEvent.action == "reset_password"))
    assert event is not None and event.details == {"by": "union"}
    other = app.test_client()
    login(other, "wh", PASSWORD)  # 武汉's union does not approve this employer
    tw = csrf(other, "/employers/")
    assert other.post(url, data={"csrf_token": tw, "user_id": user.id}).status_code == 404


def test_a_link_to_the_e_mail_on_the_account(
    app, session: Session, hq_actor: Actor, smtp: tuple[Inbox, int]
) -> None:  # type: ignore[no-untyped-def]
    inbox, port = smtp
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=port, SMTP_TLS="none")
    user = _accounts(session, hq_actor)
    user.email_enc = pii.keyring().seal("hr41@example.org").ciphertext
    session.commit()
    client = app.test_client()
    for name in ("nobody", "hr41"):
        answer = client.post(
            "/login/forgot",
            data={"csrf_token": csrf(client, "/login/forgot"), "username": name},
            follow_redirects=True,
        )
        assert "如果该账号留有电子邮箱" in answer.get_data(as_text=True)  # the same either way
    assert len(inbox.messages) == 1 and inbox.messages[0].rcpt_tos == ["hr41@example.org"]
    mail = message_from_bytes(inbox.messages[0].content, policy=default).get_content()
    link = re.search(r"http://[^/\s]+(/login/reset/[^\s]+)", mail)
    assert link is not None, mail
    path = link.group(1)
    form = client.get(path)
    assert form.status_code == 200 and "设置新密码" in form.get_data(as_text=True)
    t = csrf(client, path)
    weak = client.post(path, data={"csrf_token": t, "new": "short", "confirm": "short"})
    assert weak.status_code == 422 and "密码至少" in weak.get_data(as_text=True)
    new = "NewPassw0rd!"
    done = client.post(path, data={"csrf_token": t, "new": new, "confirm": new})
    assert done.status_code == 302
    assert login(app.test_client(), "hr41", new).status_code == 302
    again = client.get(path, follow_redirects=True)
    assert "重置链接无效或已使用" in again.get_data(as_text=True)  # once


def test_without_mail_no_link_is_promised(app, session: Session, hq_actor: Actor) -> None:  # type: ignore[no-untyped-def]
    app.config.update(SMTP_HOST="")
    _accounts(session, hq_actor)
    client = app.test_client()
    page = client.get("/login/forgot").get_data(as_text=True)
    assert "没有开通邮件发送" in page and "审核您单位的工会" in page
    assert "发送重置链接" not in page and "重置链接已发送" not in page
    answer = client.post(
        "/login/forgot",
        data={"csrf_token": csrf(client, "/login"), "username": "hr41"},
        follow_redirects=True,
    )
    assert "重置链接已发送" not in answer.get_data(as_text=True)
