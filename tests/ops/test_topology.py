"""Several app servers on one PostgreSQL and one scheduler, as a national deployment runs them:
two `matchsvc serve --no-scheduler` on their own ports with their own instance folders, one
`matchsvc scheduler`, the keys from the environment. A user signs in on one server and goes on
on the other: pages, CSRF-protected forms, an import previewed on one and confirmed on the other."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from matchsvc.actors import Actor
from matchsvc.auth.service import create_user
from matchsvc.bench.server import TOKEN, Browser, running_server
from matchsvc.db import make_session_factory
from matchsvc.models import Graduate, PendingImport, Role, SchedulerLease
from matchsvc.orgs.service import get_org

from ..conftest import TEST_DATA_KEY, TEST_SECRET, FreshDatabases, make_id, seeded_engine
from ..helpers import PASSWORD
from ..imports.sheets import GRADUATE_HEADER, csv_bytes, graduate_row

pytestmark = pytest.mark.system


def test_two_app_servers_and_one_scheduler_share_everything_through_the_database(
    databases: FreshDatabases, tmp_path: Path
) -> None:
    url = databases.postgres()
    engine = seeded_engine(url)
    with make_session_factory(engine)() as session:
        hq = Actor.command_line(get_org(session, "000000"))
        create_user(
            session, hq, role=Role.OFFICER, username="gz", password=PASSWORD, org_code="440100"
        )
        session.commit()
    keys = {
        "MATCHSVC_ENV": "production",
        "MATCHSVC_SECRET_KEY": TEST_SECRET,
        "MATCHSVC_DATA_KEY": TEST_DATA_KEY,
        "MATCHSVC_TRUSTED_PROXIES": "1",
    }
    folders = {name: tmp_path / name for name in ("a", "b", "scheduler")}
    for folder in folders.values():
        folder.mkdir()
    scheduler = subprocess.Popen(
        [sys.executable, "-m", "matchsvc", "scheduler", "--poll", "0.5"],
        env={
            **keys,
            "PATH": "/usr/bin:/bin",
            "MATCHSVC_DATABASE_URL": url,
            "MATCHSVC_INSTANCE": str(folders["scheduler"]),
            **({"PYTHONPATH": os.environ["PYTHONPATH"]} if "PYTHONPATH" in os.environ else {}),
        },
        cwd=folders["scheduler"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        with (
            running_server(
                url, folders["a"], workers=1, env={**keys, "MATCHSVC_INSTANCE": str(folders["a"])}
            ) as a,
            running_server(
                url, folders["b"], workers=1, env={**keys, "MATCHSVC_INSTANCE": str(folders["b"])}
            ) as b,
        ):
            on_a = Browser(a.port)
            on_a.login("gz", PASSWORD)
            on_b = Browser(b.port)
            on_b.cookies = on_a.cookies  # the same browser, now answered by the other server
            assert on_b.request("GET", "/graduates/")[0] == 200

            # A form from one server, posted to the other: the preview is kept in the database.
            _, token = on_a.token("/imports/")
            sheet = csv_bytes(
                GRADUATE_HEADER,
                [
                    graduate_row(make_id("440106", seq=str(100 + i)), name=f"王{i}")
                    for i in range(3)
                ],
            )
            status, preview = on_b.request(
                "POST",
                "/imports/preview",
                {"csrf_token": token, "kind": "graduates"},
                files={"file": ("毕业生.csv", sheet)},
            )
            assert status == 200, preview[:2000]
            confirm = re.search(r'name="token"[^>]*value="([^"]+)"', preview)
            csrf_b = TOKEN.search(preview)
            assert confirm and csrf_b
            with engine.connect() as conn:
                assert conn.scalar(select(func.count()).select_from(PendingImport)) == 1

            # … and confirmed on the first server.
            status, done = on_a.request(
                "POST",
                "/imports/confirm",
                {"csrf_token": csrf_b.group(1), "token": confirm.group(1)},
            )
            assert status == 200, done[:2000]
            with engine.connect() as conn:
                assert conn.scalar(select(func.count()).select_from(Graduate)) == 3
                assert conn.scalar(select(func.count()).select_from(PendingImport)) == 0

            # One scheduler holds the lease for both servers.
            deadline = time.monotonic() + 30
            holder = None
            while time.monotonic() < deadline and holder is None:
                with engine.connect() as conn:
                    holder = conn.scalar(select(SchedulerLease.holder))
                time.sleep(0.5)
            assert holder is not None
    finally:
        scheduler.terminate()
        scheduler.wait(timeout=30)
    # Nothing another server would need stayed on one server's disk: no keys, no uploads.
    for name in ("a", "b"):
        left = {p.name for p in folders[name].rglob("*") if p.is_file()}
        assert not left & {"secret_key", "data_key"}, left
        assert not (folders[name] / "uploads").exists()
    engine.dispose()
