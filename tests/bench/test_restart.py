"""The database going away and coming back: pages and the API answer 503 (not 500) while it is
down, and a crash and restart of a private PostgreSQL cluster under load (the short form of
`matchsvc bench restart`) is survived — errors only during the outage, none after, nothing that
was acknowledged lost, the audit chain intact."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from sqlalchemy.exc import DBAPIError, IntegrityError, InterfaceError, OperationalError
from sqlalchemy.orm import Session

from matchsvc.actors import Actor
from matchsvc.auth.service import create_user
from matchsvc.bench.restart import ClusterUnavailable, run
from matchsvc.bench.server import free_port
from matchsvc.db import database_gone, make_engine
from matchsvc.extensions import db
from matchsvc.models import Role

from ..helpers import login

#: Starts processes or browsers, or runs for long: left out of the fast loop.
pytestmark = pytest.mark.system


@pytest.fixture
def officer_client(app, session: Session, hq_actor: Actor) -> FlaskClient:  # type: ignore[no-untyped-def]
    create_user(
        session, hq_actor, role=Role.OFFICER, username="gz", password="Passw0rd!", org_code="440100"
    )
    session.commit()
    client = app.test_client()
    login(client, "gz", "Passw0rd!")
    return client


def test_pages_and_api_answer_503_while_the_database_is_away(
    app, officer_client: FlaskClient
) -> None:  # type: ignore[no-untyped-def]
    client = officer_client
    # nothing listens on this port: every connection attempt is refused, as during an outage
    db.bind(app, make_engine(f"postgresql://postgres@127.0.0.1:{free_port()}/gone"))
    page = client.get("/graduates/")
    assert page.status_code == 503 and page.headers["Retry-After"] == "5"
    assert "数据库暂时无法连接" in page.get_data(as_text=True)
    api = client.get("/api/v1/stats?campaign=2012")
    assert api.status_code == 503 and "数据库暂时无法连接" in api.json["error"]


def test_a_refused_csrf_token_while_the_database_is_away_is_a_503(
    app, officer_client: FlaskClient
) -> None:  # type: ignore[no-untyped-def]
    """The CSRF error page (and any error page) loads the signed-in user for its menu."""
    db.bind(app, make_engine(f"postgresql://postgres@127.0.0.1:{free_port()}/gone"))
    for form in ({}, {"csrf_token": "stale"}):
        response = officer_client.post("/graduates/new", data=form)
        assert response.status_code == 503 and "数据库暂时无法连接" in response.get_data(
            as_text=True
        )
    assert officer_client.get("/no-such-page").status_code == 503


def test_losing_the_database_at_commit_answers_503_asking_to_check(
    officer_client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    def gone(_self: Session) -> None:
        raise OperationalError("COMMIT", {}, Exception("server closed the connection"))

    monkeypatch.setattr(Session, "commit", gone)
    response = officer_client.get("/graduates/")
    assert response.status_code == 503 and response.headers["Retry-After"] == "5"
    assert "可能未保存" in response.get_data(as_text=True)
    assert (
        response.headers["Cache-Control"] == "no-store"
        and "Content-Security-Policy" in response.headers
    )


def test_private_postgres_crash_and_restart_under_load_is_survived() -> None:
    try:
        result = run(seconds=18, users=4, down_at=6, down_for=3, graduates=120)
    except ClusterUnavailable as err:
        pytest.skip(str(err))
    assert result["errors_before"] == 0
    assert result["errors_during"] > 0  # the outage was real
    assert result["errors_after"] == 0 and result["ok_after_recovery"] > 0
    assert set(result["failure_statuses"]) == {503}  # a clear "try again", never a 500
    assert sum(result["acknowledged"].values()) > 0 and result["lost_writes"] == 0
    assert result["audit_broken"] == 0


def test_only_a_lost_database_is_a_503() -> None:
    cause = Exception("boom")
    assert database_gone(OperationalError("SELECT 1", {}, cause))
    assert database_gone(InterfaceError("SELECT 1", {}, cause))
    assert database_gone(DBAPIError("SELECT 1", {}, cause, connection_invalidated=True))
    # a statement the database refused is a bug in the service, not an outage
    assert not database_gone(IntegrityError("INSERT", {}, cause))
    assert not database_gone(DBAPIError("SELECT 1", {}, cause))
