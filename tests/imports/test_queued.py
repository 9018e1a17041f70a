"""Sheets too large to import while the officer waits (SQLite and PostgreSQL, real commits): the
confirm queues the sheet, the `imports_queue` job imports it with its run record in the same
transaction, the page shows the report and the notice; all or nothing as in the request, a
fault is told, and nobody but the officer who sent it sees the run."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from typing import Any

import pytest
from matchsvc.jobs import job_spec
from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session

from matchsvc.actors import Actor
from matchsvc.app import create_app
from matchsvc.auth.service import create_user
from matchsvc.db import make_session_factory
from matchsvc.graduates.service import register_graduate
from matchsvc.imports import queued
from matchsvc.models import Graduate, ImportRun, ImportState, JobOutcome, JobRun, Role, utcnow
from matchsvc.ops.scheduler import run_units

from ..conftest import app_config, graduate_input, make_id, officer_actor, seeded_engine
from ..helpers import PASSWORD, csrf, drain_queue, login, queue_jobs
from .sheets import GRADUATE_HEADER, csv_bytes, graduate_row

HQ = Actor(role=Role.HQ, label="hq", org_path="/000000/")
IMPORTS = job_spec("imports_queue")
IDS = [make_id("440106", seq=f"8{n}1") for n in range(3)]
SHEET = csv_bytes(GRADUATE_HEADER, [graduate_row(i, name=f"导入{n}") for n, i in enumerate(IDS)])


@pytest.fixture
def world(fresh_url: str) -> Iterator[tuple[Any, Engine]]:
    """Two officers of 广州 and 深圳; sheets of more than 2 rows go through the queue."""
    engine = seeded_engine(fresh_url)
    app = create_app(app_config(fresh_url, IMPORT_QUEUE_AT=2))
    with Session(engine) as session:
        for name, code in (("gz", "440100"), ("sz", "440300")):
            create_user(
                session, HQ, role=Role.OFFICER, username=name, password=PASSWORD, org_code=code
            )
        session.commit()
    yield app, engine
    app.extensions["matchsvc.db"]["engine"].dispose()
    engine.dispose()


def _confirm(client: Any, sheet: bytes = SHEET) -> Any:
    preview = client.post(
        "/imports/preview",
        data={
            "csrf_token": csrf(client, "/imports/"),
            "kind": "graduates",
            "file": (io.BytesIO(sheet), "大名单.csv"),
        },
        content_type="multipart/form-data",
    )
    assert preview.status_code == 200, preview.get_data(as_text=True)
    token = re.search(r'name="token"[^>]*value="([^"]+)"', preview.get_data(as_text=True))
    assert token
    return client.post(
        "/imports/confirm", data={"csrf_token": csrf(client, "/imports/"), "token": token.group(1)}
    )


def _job(engine: Engine, settings: Any) -> int:
    return run_units(make_session_factory(engine), IMPORTS, utcnow(), "test", settings)


def _graduates(engine: Engine) -> int:
    with Session(engine) as s:
        return s.scalar(select(func.count()).select_from(Graduate)) or 0


def _run(engine: Engine) -> ImportRun:
    with Session(engine) as s:
        run = s.scalar(select(ImportRun))
        assert run is not None
        return run


def test_a_large_sheet_is_queued_imported_by_the_job_and_reported(world) -> None:  # type: ignore[no-untyped-def]
    app, engine = world
    gz = app.test_client()
    login(gz, "gz", PASSWORD)
    done = _confirm(gz)
    assert done.status_code == 302 and "/imports/runs/" in done.headers["Location"]
    assert _graduates(engine) == 0  # not in the request
    run = _run(engine)
    assert run.state == ImportState.QUEUED and run.rows == 3 and run.user_id
    with engine.connect() as c:
        raw = c.execute(text("SELECT filename_enc, content_enc FROM import_run")).one()
    assert IDS[0].encode() not in bytes(raw.content_enc) and "大名单" not in raw.filename_enc
    waiting = gz.get(done.headers["Location"]).get_data(as_text=True)
    assert "排队中" in waiting and "共 3 行" in waiting and 'http-equiv="refresh"' in waiting
    assert "大名单.csv" in waiting

    sz = app.test_client()
    login(sz, "sz", PASSWORD)
    assert sz.get(done.headers["Location"]).status_code == 404  # not theirs

    assert _job(engine, app.config) == 1
    assert _graduates(engine) == 3
    ended = _run(engine)
    assert ended.state == ImportState.DONE and ended.content_enc is None and ended.report_enc
    with Session(engine) as s:
        record = s.scalar(select(JobRun).where(JobRun.job_id == f"imports_queue/{ended.id}"))
    assert record is not None and record.outcome == JobOutcome.SUCCESS and record.rows == 1

    home = gz.get("/graduates/").get_data(as_text=True)
    assert "3 行的导入已完成" in home  # the notice, on any page
    shown = gz.get(done.headers["Location"]).get_data(as_text=True)
    assert "导入完成" in shown and "新建 3" in shown and 'http-equiv="refresh"' not in shown
    assert "3 行的导入已完成" not in gz.get("/graduates/").get_data(as_text=True)
    assert _job(engine, app.config) == 0  # nothing left; done exactly once
    assert _graduates(engine) == 3


def test_all_or_nothing_and_a_fault_is_told(world, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    app, engine = world
    gz = app.test_client()
    login(gz, "gz", PASSWORD)
    assert _confirm(gz).status_code == 302
    # meanwhile another province registers one of the sheet's people: the whole sheet is refused
    with Session(engine) as s:
        wh = officer_actor(s, "420100")
        register_graduate(s, wh, graduate_input(IDS[1], "420100", "420100"))
        s.commit()
    assert _job(engine, app.config) == 1
    assert _graduates(engine) == 1  # only 武汉's
    refused = _run(engine)
    assert refused.state == ImportState.FAILED and refused.content_enc is None
    report = queued.report_of(refused)
    assert report is not None and report.error_count and not report.applied
    page = gz.get(f"/imports/runs/{refused.id}").get_data(as_text=True)
    assert "导入未完成" in page and "整个文件未导入" in page and "错误清单" in page
    assert "1 行的导入" not in page and "3 行的导入未完成" not in gz.get("/").get_data(as_text=True)

    # a fault in the middle (not a refused sheet): nothing written, the run ended and told
    with Session(engine) as s:
        s.execute(text("DELETE FROM import_run"))
        s.commit()
    assert _confirm(gz, csv_bytes(GRADUATE_HEADER, [graduate_row(IDS[0]), graduate_row(IDS[2]), graduate_row(make_id("440106", seq="899"))])).status_code == 302  # fmt: skip
    calls = 0
    original = queued.run_import

    def broken(session, *args, **kw):  # type: ignore[no-untyped-def]
        nonlocal calls
        calls += 1
        original(session, *args, **kw)  # written (in the job's transaction) …
        raise RuntimeError("disk gone 440106199001011234")  # … and then the process fails

    monkeypatch.setattr(queued, "run_import", broken)
    assert _job(engine, app.config) == 1 and calls == 1
    assert _graduates(engine) == 1  # nothing of the sheet stayed
    faulty = _run(engine)
    assert faulty.state == ImportState.FAILED and "导入出错" in (faulty.message or "")
    assert "440106199001011234" not in (faulty.message or "")
    assert _job(engine, app.config) == 0  # told, not retried every minute
    page = gz.get(f"/imports/runs/{faulty.id}").get_data(as_text=True)
    assert "导入出错" in page


def test_on_the_job_queue_a_large_sheet_goes_to_the_workers_at_once(databases) -> None:  # type: ignore[no-untyped-def]
    url = databases.new("postgresql")
    engine = seeded_engine(url)
    config = app_config(url, IMPORT_QUEUE_AT=2)
    config["ENVIRON"]["MATCHSVC_JOB_QUEUE"] = "procrastinate"  # type: ignore[index]
    app = create_app(config)
    with Session(engine) as session:
        create_user(
            session, HQ, role=Role.OFFICER, username="gz", password=PASSWORD, org_code="440100"
        )
        session.commit()
    gz = app.test_client()
    login(gz, "gz", PASSWORD)
    assert _confirm(gz).status_code == 302
    run = _run(engine)
    jobs = queue_jobs(engine)
    assert [(j[1], j[2]) for j in jobs] == [(f"imports_queue/{run.id}", "todo")]
    assert jobs[0][3]["unit"] == str(run.id)
    drain_queue(url, engine, [IMPORTS], app.config)
    assert [j[2] for j in queue_jobs(engine)] == ["succeeded"]
    assert _run(engine).state == ImportState.DONE and _graduates(engine) == 3
    app.extensions["matchsvc.db"]["engine"].dispose()
    engine.dispose()


def test_a_small_sheet_still_imports_in_the_request(world) -> None:  # type: ignore[no-untyped-def]
    app, engine = world
    gz = app.test_client()
    login(gz, "gz", PASSWORD)
    small = csv_bytes(GRADUATE_HEADER, [graduate_row(i) for i in IDS[:2]])
    done = _confirm(gz, small)
    assert done.status_code == 200 and "导入完成" in done.get_data(as_text=True)
    assert _graduates(engine) == 2
    with Session(engine) as s:
        assert s.scalar(select(func.count()).select_from(ImportRun)) == 0
