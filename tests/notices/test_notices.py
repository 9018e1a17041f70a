"""Notices: every one in the service; e-mail (a real SMTP server on localhost) and SMS (a real
HTTP gateway on localhost) only with consent, through an outbox that keeps no address, retried
when the server is down, stopped when consent is withdrawn."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any, ClassVar

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from matchsvc.actors import Actor
from matchsvc.auth.service import create_user
from matchsvc.errors import DomainError
from matchsvc.models import Channel, Notice, OutboxMessage, OutboxState, Role, User, utcnow
from matchsvc.notices.senders import Senders
from matchsvc.notices.service import notify, send_due, set_preferences

from ..conftest import Inbox, free_port
from ..helpers import PASSWORD, employer, login

EMAIL = "li.hua@example.org"


class Gateway(BaseHTTPRequestHandler):
    received: ClassVar[list[tuple[str, dict[str, str]]]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"])).decode()
        Gateway.received.append((self.headers.get("Authorization", ""), json.loads(body)))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args: Any) -> None:  # keep the test output quiet
        pass


@pytest.fixture
def sms_gateway() -> Iterator[str]:
    Gateway.received = []
    server = HTTPServer(("127.0.0.1", 0), Gateway)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/send"
    finally:
        server.shutdown()
        server.server_close()


def _settings(smtp_port: int = 0, sms_url: str = "") -> dict[str, Any]:
    return {
        "SMTP_HOST": "127.0.0.1" if smtp_port else "",
        "SMTP_PORT": smtp_port,
        "SMTP_TLS": "none",
        "SMTP_FROM": "notices@matchsvc.test",
        "SMS_URL": sms_url,
        "SMS_TOKEN": "gateway-token",
    }


def _employer_user(session: Session, hq: Actor, phone: str = "13800001111") -> User:
    e = employer(session, 71)
    e.contact_phone = phone
    user = create_user(
        session, hq, role=Role.EMPLOYER, username="hr71", password=PASSWORD, employer_uscc=e.uscc
    )
    session.flush()
    return user


def _me(user: User) -> Actor:
    return Actor(role=user.role, label=user.username, user_id=user.id, employer_id=user.employer_id)


def test_mail_goes_only_with_consent_and_the_outbox_keeps_no_address(
    session: Session, hq_actor: Actor, smtp: tuple[Inbox, int]
) -> None:
    inbox, port = smtp
    user = _employer_user(session, hq_actor)
    notify(session, [user], "面试通知：未同意前", subject="面试通知")
    set_preferences(session, _me(user), user, email=EMAIL, by_email=True, by_sms=False)
    notify(session, [user, user], "面试通知：明天 09:30，公司 3 楼", subject="面试通知")
    # two notices in the service (listed twice, told once), one e-mail queued (after consent)
    assert session.scalar(select(text("count(*)")).select_from(Notice)) == 2
    assert len(session.scalars(select(OutboxMessage)).all()) == 1
    assert send_due(session, Senders(_settings(port))) == 1
    assert len(inbox.messages) == 1
    sent = inbox.messages[0]
    assert sent.rcpt_tos == [EMAIL]
    assert "=E9=9D=A2=E8=AF=95" in sent.content.decode() or "面试" in sent.content.decode("utf-8")
    message = session.scalar(select(OutboxMessage))
    assert message is not None and message.state == OutboxState.SENT
    # nothing stored holds the address in clear: not the outbox, not the account
    for table in ("outbox", "user_account", "notice", "audit_event"):
        rows = session.execute(text(f"SELECT * FROM {table}")).all()
        assert all(EMAIL not in str(row) for row in rows), table
    assert send_due(session, Senders(_settings(port))) == 0  # sent once


def test_a_server_that_is_down_is_tried_again_then_given_up(
    session: Session, hq_actor: Actor
) -> None:
    user = _employer_user(session, hq_actor)
    set_preferences(session, _me(user), user, email=EMAIL, by_email=True, by_sms=False)
    notify(session, [user], "录用通知")
    down = Senders(_settings(free_port()))  # nothing listens there
    now = utcnow()
    assert send_due(session, down, now) == 0
    message = session.scalar(select(OutboxMessage))
    assert message is not None and message.state == OutboxState.PENDING
    assert message.attempts == 1 and message.next_try_at > now
    assert message.last_error and EMAIL not in message.last_error
    assert send_due(session, down, now) == 0 and message.attempts == 1  # not due yet
    later = now
    for _ in range(4):
        later += timedelta(hours=1)
        send_due(session, down, later)
    assert message.state == OutboxState.FAILED and message.attempts == 5


def test_withdrawn_consent_stops_what_was_queued(
    session: Session, hq_actor: Actor, smtp: tuple[Inbox, int]
) -> None:
    inbox, port = smtp
    user = _employer_user(session, hq_actor)
    set_preferences(session, _me(user), user, email=EMAIL, by_email=True, by_sms=False)
    notify(session, [user], "面试通知")
    set_preferences(session, _me(user), user, email=EMAIL, by_email=False, by_sms=False)
    assert send_due(session, Senders(_settings(port))) == 0
    assert inbox.messages == []
    message = session.scalar(select(OutboxMessage))
    assert message is not None and message.state == OutboxState.CANCELLED
    notify(session, [user], "又一条")
    assert len(session.scalars(select(OutboxMessage)).all()) == 1  # nothing new queued


def test_sms_goes_through_the_gateway_and_not_to_a_landline(
    session: Session, hq_actor: Actor, sms_gateway: str
) -> None:
    user = _employer_user(session, hq_actor)
    set_preferences(session, _me(user), user, email="", by_email=False, by_sms=True)
    notify(session, [user], "面试通知：明天 09:30")
    assert send_due(session, Senders(_settings(sms_url=sms_gateway))) == 1
    (auth, body), *_ = Gateway.received
    assert auth == "Bearer gateway-token"
    assert body["to"] == "13800001111" and "面试通知" in body["text"]
    # a landline takes no SMS: consent to it is refused
    session.execute(text("UPDATE employer SET contact_phone = '020-87654321'"))
    session.expire_all()
    with pytest.raises(DomainError, match="没有可接收短信的手机号"):
        set_preferences(session, _me(user), user, email="", by_email=False, by_sms=True)


def test_a_bad_address_is_refused_beside_its_field(session: Session, hq_actor: Actor) -> None:
    user = _employer_user(session, hq_actor)
    with pytest.raises(DomainError) as err:
        set_preferences(session, _me(user), user, email="li.hua@", by_email=True, by_sms=False)
    assert err.value.field == "email"
    with pytest.raises(DomainError, match="请填写电子邮箱"):
        set_preferences(session, _me(user), user, email="", by_email=True, by_sms=False)


def test_the_notices_page_marks_what_is_new(app, session: Session, hq_actor: Actor) -> None:  # type: ignore[no-untyped-def]
    user = _employer_user(session, hq_actor)
    notify(session, [user], "新的应聘：有毕业生应聘「站务员」。", "/employer/")
    session.commit()
    client = app.test_client()
    login(client, "hr71", PASSWORD)
    home = client.get("/employer/").get_data(as_text=True)
    assert '通知<span class="badge">1</span>' in home
    page = client.get("/notices").get_data(as_text=True)
    assert "新的应聘" in page and "新</span>" in page
    again = client.get("/notices").get_data(as_text=True)
    assert "新的应聘" in again and "新</span>" not in again  # read now
    assert Channel.EMAIL.label == "电子邮件"
