"""Engines and sessions, usable from the web app, jobs, the CLI and tests alike (no Flask here)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

#: Seconds a SQLite writer waits for the lock before giving up.
SQLITE_BUSY_TIMEOUT_MS = 30_000


def is_sqlite(url_or_engine: Any) -> bool:
    url = url_or_engine.url if isinstance(url_or_engine, Engine) else url_or_engine
    return str(url).startswith("sqlite")


def _configure_sqlite(engine: Engine) -> None:
    """WAL, a busy timeout, foreign keys, and BEGIN IMMEDIATE for every transaction.

    pysqlite's own transaction handling is switched off so that SQLAlchemy emits BEGIN itself:
    a write transaction takes the write lock at its start and waits for it (busy timeout)
    instead of failing with "database is locked" when it first writes. This also makes
    SAVEPOINTs work, which the tests rely on.
    """

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA journal_mode = WAL")
        cur.execute("PRAGMA synchronous = NORMAL")
        cur.execute("PRAGMA foreign_keys = ON")
        cur.close()

    @event.listens_for(engine, "begin")
    def on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Create an engine for SQLite or PostgreSQL with the service's settings."""
    if is_sqlite(url):
        engine = create_engine(
            url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}, **kwargs
        )
        _configure_sqlite(engine)
        return engine
    return create_engine(url, pool_pre_ping=True, **kwargs)


def make_session_factory(bind: Any, **kwargs: Any) -> sessionmaker[Session]:
    return sessionmaker(bind=bind, expire_on_commit=False, **kwargs)


@contextmanager
def session_scope(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One transaction: commit on success, roll back on any error."""
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        later = take_afterwards(session)
        session.close()
        for work in later:  # what `afterwards` left stands either way, in its own transaction
            with factory() as own:
                work(own)
                own.commit()


#: Where a service leaves work that must stand whatever the response (see `afterwards`).
_AFTERWARDS = "matchsvc.afterwards"


def afterwards(session: Session, work: Callable[[Session], None]) -> None:
    """Leave `work` to run once the session's own transaction has ended, in a transaction of its
    own, whether that transaction was committed or rolled back (the web app runs it after each
    request; a refused form still leaves its audit and counters)."""
    session.info.setdefault(_AFTERWARDS, []).append(work)


def take_afterwards(session: Session) -> list[Callable[[Session], None]]:
    """The work left by `afterwards`, removed from the session."""
    return list(session.info.pop(_AFTERWARDS, []))


def database_gone(err: BaseException) -> bool:
    """Whether an error means the database cannot be reached (down, restarting, connection cut),
    as opposed to a statement the database refused."""
    from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

    return isinstance(err, OperationalError | InterfaceError) or (
        isinstance(err, DBAPIError) and bool(err.connection_invalidated)
    )
