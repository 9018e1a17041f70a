"""Exports of the graduates list too long to build while the officer waits (SQLite and
PostgreSQL, real commits): asked for on a page of its own, built by the `exports_queue` job
with the list's filters and the officer's reach, masked and audited as the page's export, the
file encrypted, downloaded only by its officer, gone after a day."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from matchsvc.jobs import job_spec
from openpyxl import load_workbook
from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session

from matchsvc.actors import Actor
from matchsvc.app import create_app
from matchsvc.auth.service import create_user
from matchsvc.db import make_session_factory
from matchsvc.graduates.service import register_graduate
from matchsvc.models import AuditEvent, ExportRun, ExportState, Role, utcnow
from matchsvc.ops.scheduler import run_units

from ..conftest import app_config, graduate_input, make_id, officer_actor, seeded_engine
from ..helpers import PASSWORD, csrf, drain_queue, login, queue_jobs

HQ = Actor(role=Role.HQ, label="hq", org_path="/000000/")
EXPORTS = job_spec("exports_queue")
PURGE = job_spec("exports_purge")
IDS = [make_id("440106", seq=f"6{n}1") for n in range(3)]
URL = "/graduates/export.xlsx?home_org=440100"


def _setup(url: str, **environ: str) -> tuple[Any, Engine]:
    """Officers of 广东 and 湖北; three graduates of 广州, one of 深圳; lists of more than 2
    rows are exported in the background."""
    engine = seeded_engine(url)
    config = app_config(url, EXPORT_QUEUE_AT=2)
    config["ENVIRON"].update(environ)  # type: ignore[attr-defined]
    app = create_app(config)
    with Session(engine) as session:
        for name, code in (("gd", "440000"), ("hb", "420000")):
            create_user(
                session, HQ, role=Role.OFFICER, username=name, password=PASSWORD, org_code=code
            )
        gz, sz = officer_actor(session, "440100"), officer_actor(session, "440300")
        for n, id_number in enumerate(IDS):
            register_graduate(
                session, gz, graduate_input(id_number, "440100", "440100", name=f"导出{n}")
            )
        register_graduate(
            session, sz, graduate_input(make_id("440304", seq="611"), "440300", "440300")
        )
        session.commit()
    return app, engine


@pytest.fixture
def world(fresh_url: str) -> Iterator[tuple[Any, Engine]]:
    app, engine = _setup(fresh_url)
    yield app, engine
    app.extensions["matchsvc.db"]["engine"].dispose()
    engine.dispose()


def _job(engine: Engine, spec: Any, settings: Any) -> int:
    return run_units(make_session_factory(engine), spec, utcnow(), "test", settings)


def _run(engine: Engine) -> ExportRun:
    with Session(engine) as s:
        run = s.scalar(select(ExportRun))
        assert run is not None
        return run


def _ask(client: Any) -> Any:
    page = client.get(URL)
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert "该名单有 <strong>3</strong> 行" in body and "在后台生成" in body
    return client.post(URL, data={"csrf_token": csrf(client, URL)})


def test_a_long_list_is_built_by_the_job_and_downloaded_by_its_officer(world) -> None:  # type: ignore[no-untyped-def]
    app, engine = world
    gd = app.test_client()
    login(gd, "gd", PASSWORD)
    asked = _ask(gd)
    assert asked.status_code == 302 and "/exports/" in asked.headers["Location"]
    page = asked.headers["Location"]
    run = _run(engine)
    assert run.state == ExportState.QUEUED and run.rows == 3 and run.filters["home_org"] == "440100"
    waiting = gd.get(page).get_data(as_text=True)
    assert "排队中" in waiting and 'http-equiv="refresh"' in waiting
    assert gd.get(f"{page}/file").status_code == 404  # not built yet

    hb = app.test_client()
    login(hb, "hb", PASSWORD)
    assert hb.get(page).status_code == 404 and hb.get(f"{page}/file").status_code == 404

    assert _job(engine, EXPORTS, app.config) == 1
    built = _run(engine)
    assert built.state == ExportState.DONE and built.rows == 3 and built.file_enc
    assert b"PK" not in bytes(built.file_enc)[:4]  # encrypted, not the workbook itself
    with Session(engine) as s:
        audit = s.scalar(select(AuditEvent).where(AuditEvent.action == "export"))
    assert audit is not None and audit.details["rows"] == 3

    assert "3 行的名单导出已生成" in gd.get("/graduates/").get_data(as_text=True)
    shown = gd.get(page).get_data(as_text=True)
    assert "下载" in shown and 'http-equiv="refresh"' not in shown
    assert "3 行的名单导出已生成" not in gd.get("/graduates/").get_data(as_text=True)
    got = gd.get(f"{page}/file")
    assert got.status_code == 200 and "attachment" in got.headers["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(got.data)).active
    rows = list(sheet.iter_rows(values_only=True))  # type: ignore[union-attr]
    assert rows[0][:3] == ("姓名", "身份证号", "手机号") and len(rows) == 4  # 广州's three only
    assert {r[0] for r in rows[1:]} == {"导出0", "导出1", "导出2"}
    assert not any(i in str(rows) for i in IDS)  # masked as the page's export
    assert _job(engine, EXPORTS, app.config) == 0  # built once

    # a day later the file is gone
    with Session(engine) as s:
        s.execute(text("UPDATE export_run SET expires_at = :t"), {"t": utcnow()})
        s.commit()
    assert gd.get(page).status_code == 404
    with Session(engine) as s:
        assert PURGE.run(s, utcnow() + timedelta(seconds=1)) == 1
        s.commit()
    with Session(engine) as s:
        assert s.scalar(select(ExportRun)) is None


def test_the_build_takes_the_officers_reach_when_it_runs(world) -> None:  # type: ignore[no-untyped-def]
    """Asked for by 广东, moved to 湖北 before the job ran: the file holds what 湖北 may see."""
    app, engine = world
    gd = app.test_client()
    login(gd, "gd", PASSWORD)
    assert _ask(gd).status_code == 302
    with Session(engine) as s:
        s.execute(
            text("UPDATE user_account SET org_id = (SELECT id FROM org WHERE code = '420000') "
                 "WHERE username = 'gd'")
        )  # fmt: skip
        s.commit()
    assert _job(engine, EXPORTS, app.config) == 1
    assert _run(engine).rows == 0


def test_a_fault_is_told_and_a_short_list_is_still_a_download(world, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    app, engine = world
    gd = app.test_client()
    login(gd, "gd", PASSWORD)
    assert _ask(gd).status_code == 302
    from matchsvc.export_runs import service

    def broken(*_a: object, **_k: object) -> bytes:
        raise RuntimeError("boom 440106199001011234")

    monkeypatch.setattr(service, "to_xlsx", broken)
    assert _job(engine, EXPORTS, app.config) == 1
    failed = _run(engine)
    assert failed.state == ExportState.FAILED and "生成出错" in (failed.message or "")
    assert "440106199001011234" not in (failed.message or "") and failed.file_enc is None
    with Session(engine) as s:  # nothing audited for a file that was not built
        assert s.scalar(select(AuditEvent).where(AuditEvent.action == "export")) is None
    assert "未能生成" in gd.get(f"/exports/{failed.id}").get_data(as_text=True)
    assert _job(engine, EXPORTS, app.config) == 0  # told, not retried every minute
    short = gd.get("/graduates/export.csv?home_org=440300")  # one row: at once, as before
    assert short.status_code == 200 and "attachment" in short.headers["Content-Disposition"]


def test_on_the_job_queue_the_export_goes_to_the_workers_at_once(databases) -> None:  # type: ignore[no-untyped-def]
    url = databases.new("postgresql")
    app, engine = _setup(url, MATCHSVC_JOB_QUEUE="procrastinate")
    gd = app.test_client()
    login(gd, "gd", PASSWORD)
    assert _ask(gd).status_code == 302
    run = _run(engine)
    assert [(j[1], j[2]) for j in queue_jobs(engine)] == [(f"exports_queue/{run.id}", "todo")]
    drain_queue(url, engine, [EXPORTS], app.config)
    assert [j[2] for j in queue_jobs(engine)] == ["succeeded"]
    assert _run(engine).state == ExportState.DONE
    app.extensions["matchsvc.db"]["engine"].dispose()
    engine.dispose()
