"""Faults: an import killed (SIGKILL) at random moments leaves either the old data or the complete
new data, never part of it, and the database intact (SQLite and PostgreSQL). Short form for CI:
20 kills of a 3,000-row import."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from matchsvc.db import make_session_factory
from matchsvc.models import AuditEvent, Graduate, GraduateHardship, StatusChange

from ..conftest import TEST_DATA_KEY, TEST_SECRET, FreshDatabases, make_id, seeded_engine
from .sheets import GRADUATE_HEADER, csv_bytes, graduate_row

#: Starts processes or browsers, or runs for long: left out of the fast loop.
pytestmark = pytest.mark.system

ROWS = 3000
KILLS = 20


def _counts(factory) -> tuple[int, int, int]:  # type: ignore[no-untyped-def]
    with factory() as s:
        return (
            s.scalar(select(func.count()).select_from(Graduate)) or 0,
            s.scalar(select(func.count()).select_from(StatusChange)) or 0,
            s.scalar(select(func.count()).select_from(GraduateHardship)) or 0,
        )


def test_an_import_killed_at_any_moment_is_all_or_nothing(
    databases: FreshDatabases, backend: str, tmp_path: Path
) -> None:
    url = databases.new(backend)
    engine = seeded_engine(url)
    factory = make_session_factory(engine)
    rows = [
        graduate_row(make_id("440106", born=f"{1983 + n % 10}0101", seq=f"{n // 10:03d}"))
        for n in range(ROWS)
    ]
    sheet = tmp_path / "graduates.csv"
    sheet.write_bytes(csv_bytes(GRADUATE_HEADER, rows))
    env = {
        **os.environ,
        "MATCHSVC_DATABASE_URL": url,
        "MATCHSVC_SECRET_KEY": TEST_SECRET,
        "MATCHSVC_DATA_KEY": TEST_DATA_KEY,
    }
    command = [sys.executable, "-m", "matchsvc", "import", "graduates", str(sheet)]

    # how long a full import takes here, to spread the kills over it
    started = time.monotonic()
    subprocess.run(command, env=env, cwd=tmp_path, check=True, capture_output=True)
    full = time.monotonic() - started
    complete = _counts(factory)
    assert complete[0] == ROWS
    with engine.begin() as conn:  # back to empty for the kills
        for table in ("graduate_hardship", "status_change", "audit_event", "graduate"):
            conn.execute(text(f"DELETE FROM {table}"))
        conn.execute(text("UPDATE audit_chain SET head = :h"), {"h": "0" * 64})

    rng = random.Random(2012)
    outcomes = {"none": 0, "all": 0}
    for _ in range(KILLS):
        proc = subprocess.Popen(
            command, env=env, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        time.sleep(rng.uniform(0.3, full * 1.1))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        now = _counts(factory)
        assert now in ((0, 0, 0), complete), now  # never part of the import
        if now == complete:
            outcomes["all"] += 1
            with engine.begin() as conn:
                for table in ("graduate_hardship", "status_change", "audit_event", "graduate"):
                    conn.execute(text(f"DELETE FROM {table}"))
                conn.execute(text("UPDATE audit_chain SET head = :h"), {"h": "0" * 64})
        else:
            outcomes["none"] += 1
    if backend == "sqlite":
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    with factory() as s:
        assert s.scalar(select(func.count()).select_from(AuditEvent)) in (
            0,
            complete[0] + 1,
            complete[0],
        )
    engine.dispose()
    print(
        f"\n导入中途强行终止 {KILLS} 次：{outcomes['none']} 次什么都没写，{outcomes['all']} 次完整写入，0 次写了一部分"
    )
    assert outcomes["none"] > 0
