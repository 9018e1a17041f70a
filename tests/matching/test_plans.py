"""Large placement plans go through the queue (SQLite and PostgreSQL, real commits): the page
queues one row, the scheduler's job computes it with its progress committed as it goes, the page
shows the plan and the officer's notice, a failure or a dead run is told, not hidden."""

from __future__ import annotations

from datetime import timedelta

import pytest
from matchsvc.jobs import JOBS
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from matchsvc.actors import Actor
from matchsvc.app import create_app
from matchsvc.auth.service import create_user
from matchsvc.graduates.service import register_graduate
from matchsvc.matching import plans, service
from matchsvc.models import PlacementRun, PlanState, Role, utcnow
from matchsvc.orgs.service import get_org

from ..conftest import app_config, graduate_input, make_id, officer_actor, seeded_engine
from ..helpers import PASSWORD, TODAY, csrf, employer, login, post

HQ = Actor(role=Role.HQ, label="hq", org_path="/000000/")


@pytest.fixture
def world(fresh_url: str):  # type: ignore[no-untyped-def]
    """A committed database: an officer of 广州, three graduates, two posts; plans queue at 1."""
    engine = seeded_engine(fresh_url)
    app = create_app(app_config(fresh_url, PLACEMENT_QUEUE_AT=1))
    with Session(engine) as session:
        create_user(
            session, HQ, role=Role.OFFICER, username="gz", password=PASSWORD, org_code="440100"
        )
        gz = officer_actor(session, "440100")
        for n, major in enumerate(["计算机科学与技术", "会计学", "软件工程"]):
            register_graduate(
                session,
                gz,
                graduate_input(
                    make_id("440106", seq=f"7{n}0"),
                    "440100",
                    "440100",
                    name=f"方案{n}",
                    major_text=major,
                    graduation_year=TODAY.year,
                    registered_on=TODAY - timedelta(days=5),
                ),
            )
        e = employer(session, 71)
        post(session, e, "软件开发", ["计算机类"], headcount=2)
        post(session, e, "会计", ["会计学"])
        session.commit()
    yield app, engine
    app.extensions["matchsvc.db"]["engine"].dispose()
    engine.dispose()


def _runs(engine: Engine) -> list[PlacementRun]:
    with Session(engine) as s:
        return list(s.scalars(select(PlacementRun).order_by(PlacementRun.id)))


def _job(engine: Engine, settings: object) -> int:
    spec = next(j for j in JOBS if j.id == "placement_queue")
    with Session(engine) as session:
        return spec.run(session, utcnow(), settings)  # type: ignore[arg-type]


def test_a_large_plan_is_queued_run_by_the_scheduler_and_shown(world) -> None:  # type: ignore[no-untyped-def]
    app, engine = world
    officer = app.test_client()
    login(officer, "gz", PASSWORD)
    page = officer.get("/matching/placement?org=440100").get_data(as_text=True)
    assert "3 名未就业毕业生" in page and "生成方案" in page and "将勾选的行" not in page
    token = csrf(officer, "/matching/placement?org=440100")
    queued = officer.post(
        "/matching/placement", data={"csrf_token": token, "org": "440100", "action": "queue"}
    )
    assert queued.status_code == 302
    again = officer.post(
        "/matching/placement", data={"csrf_token": token, "org": "440100", "action": "queue"}
    )
    assert again.status_code == 302
    runs = _runs(engine)
    assert len(runs) == 1 and runs[0].state == PlanState.QUEUED and runs[0].graduates == 3
    waiting = officer.get("/matching/placement?org=440100").get_data(as_text=True)
    assert "排队中" in waiting and 'http-equiv="refresh"' in waiting

    seen: list[tuple[PlanState, int]] = []
    original = service.placement_plan

    def watched(session, actor, org, policy, progress=None):  # type: ignore[no-untyped-def]
        def spy(percent: int, words: str) -> None:
            progress(percent, words)  # type: ignore[misc]
            with Session(engine) as other:  # what another app server reads meanwhile
                row = other.get(PlacementRun, runs[0].id)
                seen.append((row.state, row.progress))  # type: ignore[union-attr]

        return original(session, actor, org, policy, spy)

    plans.service.placement_plan = watched  # type: ignore[assignment]
    try:
        assert _job(engine, app.config) == 1
    finally:
        plans.service.placement_plan = original  # type: ignore[assignment]
    assert (PlanState.RUNNING, 30) in seen
    run = _runs(engine)[0]
    assert run.state == PlanState.DONE and run.progress == 100 and run.result
    assert len(run.result["lines"]) == 3

    home = officer.get("/graduates/").get_data(as_text=True)
    assert "安置方案已生成" in home  # the notice, on any page
    shown = officer.get("/matching/placement?org=440100").get_data(as_text=True)
    assert "方案生成于" in shown and "方案0" in shown and "将勾选的行生成推荐记录" in shown
    assert "重新生成方案" in shown
    assert "安置方案已生成" not in officer.get("/graduates/").get_data(as_text=True)
    assert _job(engine, app.config) == 0  # nothing left in the queue


def test_a_failed_or_abandoned_run_is_told(world, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    app, engine = world
    with Session(engine) as session:
        policy = service.make_policy(session, app.config, TODAY)
        gz = officer_actor(session, "440100")
        _, new = plans.queue_plan(session, gz, get_org(session, "440100"), policy)
        session.commit()
    assert new

    def broken(*_args: object, **_kw: object) -> None:
        raise RuntimeError("boom 440106199001011234")

    monkeypatch.setattr(service, "plan_from_profiles", broken)
    assert _job(engine, app.config) == 1
    failed = _runs(engine)[0]
    assert failed.state == PlanState.FAILED and "计算出错" in (failed.message or "")
    assert "440106199001011234" not in (failed.message or "")

    # a run left "running" by a scheduler that died is failed after a while, and can be redone
    with Session(engine) as session:
        stuck = session.get(PlacementRun, failed.id)
        stuck.state, stuck.started_at = PlanState.RUNNING, utcnow() - timedelta(hours=1)  # type: ignore[union-attr]
        stuck.message = None  # type: ignore[union-attr]
        session.commit()
    monkeypatch.undo()
    assert _job(engine, app.config) == 0
    dead = _runs(engine)[0]
    assert dead.state == PlanState.FAILED and "中断" in (dead.message or "")
