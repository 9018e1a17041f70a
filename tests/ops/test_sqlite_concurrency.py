"""SQLite: WAL, busy timeout and BEGIN IMMEDIATE let concurrent writers wait instead of failing."""

from __future__ import annotations

import threading

from sqlalchemy import text

from matchsvc.db import make_engine

from ..conftest import FreshDatabases


def test_concurrent_read_modify_write_neither_fails_nor_loses_updates(
    databases: FreshDatabases,
) -> None:
    engine = make_engine(databases.sqlite())
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE counter (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)"))
        conn.execute(text("INSERT INTO counter VALUES (1, 0)"))
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() == 30000
    errors: list[BaseException] = []

    def writer() -> None:
        try:
            for _ in range(40):
                with engine.begin() as conn:
                    n = conn.execute(text("SELECT n FROM counter WHERE id = 1")).scalar_one()
                    conn.execute(text("UPDATE counter SET n = :n WHERE id = 1"), {"n": n + 1})
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=writer) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with engine.connect() as conn:
        assert conn.execute(text("SELECT n FROM counter")).scalar() == 240
    engine.dispose()
