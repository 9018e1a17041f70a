"""Helpers the tests of every feature share: signing in through the test client, and employers
and positions built straight in the session."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime, time, timedelta
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from matchsvc import clock
from matchsvc.actors import Actor
from matchsvc.auth.service import create_user
from matchsvc.db import make_session_factory
from matchsvc.models import (
    Employer,
    EmployerKind,
    EmployerStatus,
    Notice,
    Org,
    Position,
    PositionKind,
    PositionMajor,
    Role,
    User,
)
from matchsvc.ops import queue
from matchsvc.ops.scheduler import JobSpec
from matchsvc.validators import uscc_check_char

#: Today in China, as the service reads it.
TODAY = clock.today()
#: An interview's time and place, as record_step takes them (tomorrow 09:30, 北京时间).
INTERVIEW = {
    "interview_at": datetime.combine(TODAY + timedelta(days=1), time(9, 30), clock.CHINA),
    "place": "天河区华夏路10号 3楼会议室",
}
PASSWORD = "Passw0rd!"


def uscc(n: int) -> str:
    first17 = f"91440101{n:09d}"
    return first17 + uscc_check_char(first17)


def employer(
    session: Session, n: int, org_code: str = "440100", kind: EmployerKind = EmployerKind.OTHER
) -> Employer:
    org = session.scalar(select(Org).where(Org.code == org_code))
    e = Employer(
        name=f"单位{n}", uscc=uscc(n), kind=kind, org_id=org.id, status=EmployerStatus.APPROVED
    )
    session.add(e)
    session.flush()
    return e


def post(
    session: Session,
    emp: Employer,
    title: str,
    majors: list[str],
    region: str = "440100",
    **kw: object,
) -> Position:
    values: dict[str, object] = {
        "employer_id": emp.id,
        "kind": PositionKind.JOB,
        "title": title,
        "work_region_code": region,
        "headcount": 1,
        "published_on": TODAY - timedelta(days=3),
        "majors": [PositionMajor(text=m) for m in majors],
    }
    values.update(kw)
    p = Position(**values)  # type: ignore[arg-type]
    session.add(p)
    session.flush()
    return p


def csrf(client: FlaskClient, path: str = "/login") -> str:
    html = client.get(path).get_data(as_text=True)
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def login(client: FlaskClient, username: str, password: str):  # type: ignore[no-untyped-def]
    return client.post(
        "/login", data={"csrf_token": csrf(client), "username": username, "password": password}
    )


def second_factor(session: Session, username: str) -> str:
    """Enrol the user's second factor (as the 两步验证 page does); returns the TOTP secret."""
    import pyotp

    from matchsvc.auth import totp
    from matchsvc.models import User

    user = session.scalar(select(User).where(User.username == username))
    assert user is not None
    secret = totp.begin(session, user)
    totp.confirm(session, user, pyotp.TOTP(secret).now())
    user.totp_last_step = None  # the test signs in with the same time step
    session.commit()
    return secret


def login_with_code(
    client: FlaskClient, session: Session, username: str, password: str, secret: str
):  # type: ignore[no-untyped-def]
    """Sign in with the password and then the authenticator's code."""
    import pyotp

    from matchsvc.models import User

    first = login(client, username, password)
    assert first.status_code == 302 and first.headers["Location"].endswith("/login/code")
    session.execute(update(User).where(User.username == username).values(totp_last_step=None))
    session.commit()
    return client.post(
        "/login/code",
        data={"csrf_token": csrf(client, "/login/code"), "code": pyotp.TOTP(secret).now()},
    )


def officers(session: Session, hq_actor: Actor) -> None:
    """广州's and 武汉's city officers (gz, wh), password Passw0rd!."""
    for username, org in (("gz", "440100"), ("wh", "420100")):
        create_user(
            session, hq_actor, role=Role.OFFICER, username=username, password=PASSWORD, org_code=org
        )
    session.commit()


#: Items 01–05 as a province enters them (the sums hold).
AID = {
    "01A": "100", "01B": "40", "01C": "30", "01D": "20", "01E": "10",
    "02A": "80", "02B": "30", "02C": "30", "02D": "20",
    "03A": "500", "03B": "200", "03C": "200", "03D": "100",
    "04A_persons": "120", "04B_persons": "50", "04C_persons": "40", "04D_persons": "30",
    "04A_amount": "24.5", "04B_amount": "10", "04C_amount": "8.5", "04D_amount": "6",
    "05A_persons": "15", "05A_amount": "3.75",
}  # fmt: skip


def notice_texts(session: Session, username: str) -> list[str]:
    """What a user has been told in the service (通知), oldest first."""
    user = session.scalar(select(User).where(User.username == username))
    assert user is not None
    query = select(Notice.text).where(Notice.user_id == user.id).order_by(Notice.id)
    return list(session.scalars(query))


def queue_jobs(engine: Engine) -> list[tuple[str, str | None, str, dict[str, Any]]]:
    """The job queue's jobs (procrastinate_jobs): task, lock, status, arguments; oldest first."""
    with engine.connect() as c:
        rows = c.exec_driver_sql(
            "SELECT task_name, lock, status::text, args FROM procrastinate_jobs ORDER BY id"
        ).all()
    return [(r[0], r[1], r[2], r[3]) for r in rows]


def drain_queue(url: str, engine: Engine, jobs: list[JobSpec], settings: Mapping[str, Any]) -> None:
    """Run a worker of the job queue in this process until the queue is empty."""
    app = queue.make_app(url)
    queue.serve_jobs(make_session_factory(engine), jobs, settings)
    try:
        app.run_worker(queues=[queue.QUEUE], wait=False, install_signal_handlers=False)
    finally:
        queue._state = None
