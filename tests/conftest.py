"""Test fixtures: a migrated database (SQLite by default, PostgreSQL when
MATCHSVC_TEST_DATABASE_URL names one), each test in a transaction that is rolled back."""

from __future__ import annotations

import os
import socket
import tempfile
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from flask.testing import FlaskClient
from sqlalchemy import Engine, make_url, text
from sqlalchemy.orm import Session

from matchsvc import audit, pii
from matchsvc.actors import Actor
from matchsvc.app import create_app
from matchsvc.db import make_engine, make_session_factory
from matchsvc.extensions import db
from matchsvc.majors import mapping
from matchsvc.migrate import upgrade
from matchsvc.models import HQ_CODE, Degree, Org, Role, User
from matchsvc.orgs.service import get_org, seed_orgs

_open = FlaskClient.open


def _closing_open(self: FlaskClient, *args: Any, keep_open: bool = False, **kwargs: Any) -> Any:
    """Every test request's response is read and closed, as a WSGI server closes it: its input
    (a temporary file for a large upload) is closed, not left to the garbage collector, and the
    work a page leaves for after the response (web.later) runs. `keep_open` leaves it open."""
    response = _open(self, *args, **kwargs)
    if not keep_open and not kwargs.get("buffered"):
        response.make_sequence()
        response.close()
    return response


FlaskClient.open = _closing_open  # type: ignore[method-assign]

TEST_DATA_KEY = "test-data-key-for-matchsvc-0123456789"
TEST_SECRET = "test-secret-key"
IN_CI = os.environ.get("CI") == "true"
#: Screenshots and other files tests leave for people to look at (not in the package).
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
#: The server where tests create (and drop) databases of their own: the one the test run names,
#: else the machine's local PostgreSQL.
PG_ADMIN_URL = (
    os.environ["MATCHSVC_TEST_DATABASE_URL"]
    if os.environ.get("MATCHSVC_TEST_DATABASE_URL", "").startswith("postgres")
    else "postgresql://postgres@127.0.0.1:5432/postgres"
)

pii.configure(TEST_DATA_KEY)
audit.configure(TEST_SECRET)


@pytest.fixture(autouse=True)
def _test_keys() -> Iterator[None]:
    """Every test starts with the tests' keys: an app factory (the load benchmark's, a test's
    with other keys) or a key rotation installs its own process-wide."""
    pii.configure(TEST_DATA_KEY)
    audit.configure(TEST_SECRET)
    yield


# As the app factory does: every major written is mapped on flush, in every session of the tests.
mapping.install()
# The matcher's compiled kernels are cached between runs beside pytest's own cache (a test that
# starts the service gives it an instance folder of its own, and so a cache of its own).
os.environ.setdefault(
    "NUMBA_CACHE_DIR", str(Path(__file__).resolve().parent.parent / ".pytest_cache" / "numba")
)


def pytest_configure(config: pytest.Config) -> None:
    """Compile the matcher's kernels once, before xdist's workers start, so each loads them
    from the cache instead of compiling its own copy at the same time."""
    if not hasattr(config, "workerinput"):
        from matchsvc.matching.engine import kernel

        kernel.warm_up()


def _pg_admin_url(url: str) -> str:
    return url.replace("postgresql://", "postgresql+psycopg://", 1)


def pg_reachable(url: str = PG_ADMIN_URL) -> str | None:
    """None if PostgreSQL answers at `url`, else the reason."""
    try:
        import psycopg

        with psycopg.connect(url, connect_timeout=3) as conn:
            conn.execute("SELECT 1")
    except Exception as exc:
        return f"PostgreSQL not reachable at {url}: {type(exc).__name__}"
    return None


def require_pg() -> None:
    reason = pg_reachable()
    if reason is not None:
        if IN_CI:
            pytest.fail(f"{reason} (CI=true: PostgreSQL is required)")
        pytest.skip(reason)


class FreshDatabases:
    """Creates empty databases (SQLite files or PostgreSQL databases) and drops them at the end."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.pg_names: list[str] = []

    def sqlite(self) -> str:
        return f"sqlite:///{self.tmp / f'db-{uuid.uuid4().hex[:8]}.sqlite3'}"

    def postgres(self) -> str:
        require_pg()
        import psycopg

        name = f"matchsvc_test_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        self.pg_names.append(name)
        url = make_url(_pg_admin_url(PG_ADMIN_URL)).set(database=name)
        return url.render_as_string(hide_password=False)

    def new(self, backend: str) -> str:
        return self.postgres() if backend == "postgresql" else self.sqlite()

    def drop_all(self) -> None:
        if not self.pg_names:
            return
        import psycopg

        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            for name in self.pg_names:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _backend() -> str:
    url = os.environ.get("MATCHSVC_TEST_DATABASE_URL", "")
    return "postgresql" if url.startswith("postgres") else "sqlite"


@pytest.fixture(scope="session")
def backend() -> str:
    """The database this run tests on: 'sqlite' or 'postgresql'."""
    return _backend()


@pytest.fixture(scope="session")
def databases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FreshDatabases]:
    dbs = FreshDatabases(tmp_path_factory.mktemp("databases"))
    yield dbs
    dbs.drop_all()


@pytest.fixture
def fresh_url(databases: FreshDatabases, backend: str) -> str:
    """An empty database of this run's backend, for tests that need real commits."""
    return databases.new(backend)


@pytest.fixture(scope="session")
def database_url(databases: FreshDatabases, backend: str) -> str:
    return databases.new(backend)


def seeded_engine(url: str) -> Engine:
    """An engine on the database at `url`, migrated with Alembic (never create_all), orgs seeded."""
    eng = make_engine(url)
    upgrade(eng)
    with make_session_factory(eng)() as session:
        seed_orgs(session)
        session.commit()
    return eng


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    """The shared test database, migrated and seeded."""
    eng = seeded_engine(database_url)
    yield eng
    eng.dispose()


@pytest.fixture
def connection(engine: Engine) -> Iterator[object]:
    """A connection inside a transaction that is rolled back after the test."""
    with engine.connect() as conn:
        trans = conn.begin()
        yield conn
        trans.rollback()


@pytest.fixture
def session(connection: object) -> Iterator[Session]:
    """A session joined to the test's transaction: its commits are savepoints."""
    factory = make_session_factory(connection, join_transaction_mode="create_savepoint")
    with factory() as s:
        yield s


def app_config(url: str, **extra: object) -> dict[str, object]:
    return {
        "TESTING": True,
        # each test app anchors its audit chain in a folder of its own, not the checkout's
        "AUDIT_ANCHOR": os.path.join(tempfile.mkdtemp(prefix="matchsvc-anchor-"), "anchor.log"),
        "ENVIRON": {
            "MATCHSVC_DATABASE_URL": url,
            "MATCHSVC_SECRET_KEY": TEST_SECRET,
            "MATCHSVC_DATA_KEY": TEST_DATA_KEY,
        },
        **extra,
    }


@pytest.fixture
def app(database_url: str, engine: Engine, connection: object):  # type: ignore[no-untyped-def]
    application = create_app(app_config(database_url))
    db.bind(application, connection, join_transaction_mode="create_savepoint")
    yield application
    application.extensions["matchsvc.db"]["engine"].dispose()


@pytest.fixture
def client(app):  # type: ignore[no-untyped-def]
    return app.test_client()


@pytest.fixture
def runner(app):  # type: ignore[no-untyped-def]
    return app.test_cli_runner()


@pytest.fixture
def hq_actor(session: Session) -> Actor:
    return Actor.command_line(get_org(session, HQ_CODE))


def portal_account(
    session: Session,
    actor: Actor,
    username: str,
    password: str,
    *,
    employer_uscc: str | None = None,
    graduate_id_number: str | None = None,
) -> User:
    """An employer's login (by credit code) or a graduate's (by ID number)."""
    from matchsvc.auth.service import create_user

    return create_user(
        session,
        actor,
        role=Role.EMPLOYER if employer_uscc else Role.GRADUATE,
        username=username,
        password=password,
        employer_uscc=employer_uscc,
        graduate_id_number=graduate_id_number,
    )


def officer_actor(session: Session, org_code: str) -> Actor:
    org: Org = get_org(session, org_code)
    return Actor(role=Role.OFFICER, label=f"officer-{org_code}", org_id=org.id, org_path=org.path)


def graduate_input(id_number: str, home: str, school_region: str, **kw: object):  # type: ignore[no-untyped-def]
    from matchsvc.graduates.service import GraduateInput

    values: dict[str, object] = {
        "name": "张三",
        "id_number": id_number,
        "home_org_code": home,
        "school_name": "测试大学",
        "school_region_code": school_region,
        "major_text": "计算机科学与技术",
        "degree": Degree.BENKE,
        "graduation_year": 2012,
        "registered_on": date(2012, 7, 2),
    }
    values.update(kw)
    return GraduateInput(**values)  # type: ignore[arg-type]


def make_id(region: str, born: str = "19900101", seq: str = "123") -> str:
    from matchsvc.validators import id_check_char

    first17 = region + born + seq
    return first17 + id_check_char(first17)


def db_text(sql: str):  # type: ignore[no-untyped-def]
    return text(sql)


class Inbox:
    """What a real SMTP server on localhost (aiosmtpd) received."""

    def __init__(self) -> None:
        self.messages: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(envelope)
        return "250 OK"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()
