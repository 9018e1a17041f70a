"""`matchsvc serve`: gunicorn serves the app and the scheduler runs in a process beside it."""

from __future__ import annotations

import time
import urllib.request
from pathlib import Path

import pytest
from sqlalchemy import select

from matchsvc.bench.server import running_server
from matchsvc.db import make_session_factory
from matchsvc.models import SchedulerLease

from ..conftest import TEST_DATA_KEY, TEST_SECRET, FreshDatabases, seeded_engine

#: Starts processes or browsers, or runs for long: left out of the fast loop.
pytestmark = pytest.mark.system


def test_serve_runs_gunicorn_and_the_scheduler(databases: FreshDatabases, tmp_path: Path) -> None:
    url = databases.sqlite()
    engine = seeded_engine(url)
    factory = make_session_factory(engine)
    env = {"MATCHSVC_SECRET_KEY": TEST_SECRET, "MATCHSVC_DATA_KEY": TEST_DATA_KEY}
    with running_server(url, tmp_path, workers=1, scheduler=True, env=env, capture=True) as served:
        body, server, holder = "", "", None
        deadline = time.monotonic() + 40
        while time.monotonic() < deadline and not (body and holder):
            time.sleep(0.5)
            try:
                with urllib.request.urlopen(f"{served.base}/login", timeout=5) as r:
                    body, server = r.read().decode(), r.headers.get("Server", "")
            except OSError:
                pass
            with factory() as s:
                lease = s.scalar(select(SchedulerLease))
                holder = lease.holder if lease else None
        assert "登录" in body
        assert "gunicorn" in server.lower()
        assert holder is not None and not holder.endswith(f":{served.proc.pid}")  # its own process
    engine.dispose()
    assert served.proc.returncode == 0, served.output
