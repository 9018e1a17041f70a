"""Wrong passwords and activation codes counted per source and per account in the database:
a guesser is paused where they guess, the owner elsewhere still signs in, a sprayer is paused
across accounts, and too many wrong activation codes void the number's codes."""

from __future__ import annotations

import re
from datetime import timedelta

from flask.testing import FlaskClient
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from matchsvc.actors import Actor
from matchsvc.auth import throttle
from matchsvc.auth.service import create_user
from matchsvc.graduates.service import register_graduate
from matchsvc.models import ActivationCode, Role, Throttle, User, utcnow
from matchsvc.portals.activation import issue_code

from ..conftest import graduate_input, make_id, officer_actor
from ..helpers import csrf

PASSWORD = "Passw0rd!"
A, B = "10.0.0.1", "10.0.0.2"


def post(client: FlaskClient, path: str, source: str, **form: str):  # type: ignore[no-untyped-def]
    token = csrf(client, path)
    return client.post(
        path, data={"csrf_token": token, **form}, environ_overrides={"REMOTE_ADDR": source}
    )


def sign_in(client: FlaskClient, source: str, username: str, password: str) -> int:
    return post(client, "/login", source, username=username, password=password).status_code


def officers(session: Session, hq: Actor, n: int) -> None:
    for i in range(n):
        create_user(
            session, hq, role=Role.OFFICER, username=f"u{i}", password=PASSWORD, org_code="440100"
        )
    session.commit()


def test_a_guesser_is_paused_at_their_address_and_the_owner_still_signs_in(
    app, session: Session, hq_actor: Actor
) -> None:  # type: ignore[no-untyped-def]
    officers(session, hq_actor, 1)
    guesser, owner = app.test_client(), app.test_client()
    unknown = post(guesser, "/login", A, username="nobody", password="x").get_data(as_text=True)
    message = re.search(r'role="alert">([^<]+)<', unknown).group(1)  # type: ignore[union-attr]
    for _ in range(throttle.LOGIN_ACCOUNT_FROM_SOURCE.limit):
        assert sign_in(guesser, A, "u0", "Wrong-pass-1") == 200
    paused = post(guesser, "/login", A, username="u0", password=PASSWORD, privacy="y")
    assert paused.status_code == 200 and message in paused.get_data(as_text=True)
    assert sign_in(owner, B, "u0", PASSWORD) == 302  # the owner, elsewhere: not locked out
    # the pause runs out
    session.execute(update(Throttle).values(blocked_until=utcnow() - timedelta(seconds=1)))
    session.commit()
    assert sign_in(guesser, A, "u0", PASSWORD) == 302
    # the counters are in the database (every app server reads them), with no address in them
    keys = session.scalars(select(Throttle.key)).all()
    assert keys and not any(A in k or "u0" in k for k in keys)


def test_a_sprayer_is_paused_across_accounts(app, session: Session, hq_actor: Actor) -> None:  # type: ignore[no-untyped-def]
    limit = throttle.LOGIN_FROM_SOURCE.limit
    officers(session, hq_actor, limit // 4 + 2)
    client = app.test_client()
    for i in range(limit):  # four guesses per account: under the per-account pause
        assert sign_in(client, A, f"u{i // 4}", "Wrong-pass-1") == 200
    last = f"u{limit // 4 + 1}"
    assert sign_in(client, A, last, PASSWORD) == 200  # the address is paused, for everyone
    assert sign_in(app.test_client(), B, last, PASSWORD) == 302


def test_too_many_wrong_activation_codes_void_the_numbers_codes(
    app, session: Session, hq_actor: Actor
) -> None:  # type: ignore[no-untyped-def]
    number = make_id("440106", seq="555")
    g = register_graduate(session, hq_actor, graduate_input(number, "440100", "440100"))
    code, _ = issue_code(session, officer_actor(session, "440100"), g.id)
    session.commit()
    client = app.test_client()
    for i in range(throttle.ACTIVATE_ID_NUMBER.limit):
        wrong = post(
            client,
            "/activate",
            A,
            id_number=number,
            code=f"ZZZZ-{i:04d}",
            password=PASSWORD,
            privacy="y",
        )
        assert wrong.status_code == 422
    right = post(
        app.test_client(),
        "/activate",
        B,
        id_number=number,
        code=code,
        password=PASSWORD,
        privacy="y",
    )
    assert right.status_code == 422 and "尝试次数过多" in right.get_data(as_text=True)
    session.expire_all()
    voided = session.scalar(select(ActivationCode).where(ActivationCode.graduate_id == g.id))
    assert voided is not None and voided.expires_at <= utcnow() and voided.used_at is None
    assert session.scalar(select(User.id).where(User.graduate_id == g.id)) is None
    # an unknown number behaves the same (no telling which numbers are registered)
    unknown = make_id("440106", seq="556")
    answers = [
        post(
            client,
            "/activate",
            B,
            id_number=unknown,
            code="ZZZZ-0000",
            password=PASSWORD,
            privacy="y",
        )
        for _ in range(throttle.ACTIVATE_ID_NUMBER.limit + 1)
    ]
    assert "尝试次数过多" in answers[-1].get_data(as_text=True)


def test_one_source_trying_many_numbers_is_paused(app, session: Session, hq_actor: Actor) -> None:  # type: ignore[no-untyped-def]
    number = make_id("440106", seq="557")
    g = register_graduate(session, hq_actor, graduate_input(number, "440100", "440100"))
    code, _ = issue_code(session, officer_actor(session, "440100"), g.id)
    session.commit()
    client = app.test_client()
    for i in range(throttle.ACTIVATE_FROM_SOURCE.limit):
        other = make_id("440106", seq=f"{600 + i}")
        post(
            client,
            "/activate",
            A,
            id_number=other,
            code="ZZZZ-0000",
            password=PASSWORD,
            privacy="y",
        )
    paused = post(
        client, "/activate", A, id_number=number, code=code, password=PASSWORD, privacy="y"
    )
    assert paused.status_code == 422 and "尝试次数过多" in paused.get_data(as_text=True)
    ok = post(
        app.test_client(),
        "/activate",
        B,
        id_number=number,
        code=code,
        password=PASSWORD,
        privacy="y",
    )
    assert ok.status_code == 302


def test_the_nightly_job_removes_counters_that_have_run_out(session: Session) -> None:
    from matchsvc.jobs import JOBS

    from matchsvc.ops.scheduler import JobContext

    now = utcnow()
    throttle.fail(session, throttle.LOGIN_FROM_SOURCE, A, now=now)
    for _ in range(throttle.LOGIN_ACCOUNT_FROM_SOURCE.limit):
        throttle.fail(session, throttle.LOGIN_ACCOUNT_FROM_SOURCE, 1, A, now=now)
    job = next(j for j in JOBS if j.id == "auth_purge_throttles")
    later = now + timedelta(days=2)
    assert job.func(JobContext(session=session, now=now)) == 0  # all still current
    assert job.func(JobContext(session=session, now=later)) == 2


def test_a_code_typed_as_printed_with_spaces_or_in_lower_case_works(
    app, session: Session, hq_actor: Actor
) -> None:  # type: ignore[no-untyped-def]
    from matchsvc.portals.activation import plain_code

    number = make_id("440106", seq="558")
    g = register_graduate(session, hq_actor, graduate_input(number, "440100", "440100"))
    code, _ = issue_code(session, officer_actor(session, "440100"), g.id)
    session.commit()
    bare = code.replace("-", "")
    typed = " ".join(bare[i : i + 4] for i in range(0, len(bare), 4)).lower()  # "abcd efgh …"
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in bare[:4]) + "\u3000" + bare[4:]
    assert plain_code(typed) == plain_code(full_width) == plain_code(code) == bare
    ok = post(
        app.test_client(), "/activate", A, id_number=number, code=f" {typed} ",
        password=PASSWORD, privacy="y",
    )  # fmt: skip
    assert ok.status_code == 302
