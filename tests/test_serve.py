"""`matchsvc serve`: gunicorn serves the app and the scheduler runs in a process beside it."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from sqlalchemy import select

from matchsvc.db import make_engine, make_session_factory
from matchsvc.migrate import upgrade
from matchsvc.models import SchedulerLease
from matchsvc.orgs.service import seed_orgs

from .conftest import TEST_DATA_KEY, TEST_SECRET, FreshDatabases


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_serve_runs_gunicorn_and_the_scheduler(databases: FreshDatabases, tmp_path: Path) -> None:
    url = databases.sqlite()
    engine = make_engine(url)
    upgrade(engine)
    factory = make_session_factory(engine)
    with factory() as s:
        seed_orgs(s)
        s.commit()
    port = free_port()
    env = {
        **os.environ,
        "MATCHSVC_DATABASE_URL": url,
        "MATCHSVC_SECRET_KEY": TEST_SECRET,
        "MATCHSVC_DATA_KEY": TEST_DATA_KEY,
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "matchsvc", "serve", "--port", str(port), "--workers", "1"],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        body, server, holder = "", "", None
        deadline = time.monotonic() + 40
        while time.monotonic() < deadline and not (body and holder):
            time.sleep(0.5)
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=5) as r:
                    body, server = r.read().decode(), r.headers.get("Server", "")
            except OSError:
                pass
            with factory() as s:
                lease = s.scalar(select(SchedulerLease))
                holder = lease.holder if lease else None
        assert "登录" in body
        assert "gunicorn" in server.lower()
        assert holder is not None and not holder.endswith(f":{proc.pid}")  # its own process
    finally:
        proc.send_signal(signal.SIGTERM)
        output = proc.communicate(timeout=60)[0].decode()
        engine.dispose()
    assert proc.returncode == 0, output
