"""Large placement plans go through the queue (SQLite and PostgreSQL, real commits): the page
queues one row, the scheduler's job computes it with its progress committed as it goes, the page
shows the plan and the officer's notice, a failure or a dead run is told, not hidden."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any

import pytest
from matchsvc.jobs import job_spec
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from matchsvc.actors import Actor
from matchsvc.app import create_app
from matchsvc.auth.service import create_user
from matchsvc.db import make_session_factory
from matchsvc.graduates.service import register_graduate
from matchsvc.matching import plans, service
from matchsvc.models import JobOutcome, JobRun, PlacementRun, PlanState, Role, utcnow
from matchsvc.ops import queue
from matchsvc.ops.scheduler import run_unit, run_units
from matchsvc.orgs.service import get_org

from ..conftest import app_config, graduate_input, make_id, officer_actor, seeded_engine
from ..helpers import PASSWORD, TODAY, csrf, drain_queue, employer, login, post, queue_jobs

HQ = Actor(role=Role.HQ, label="hq", org_path="/000000/")
PLACEMENT = job_spec("placement_queue")


@pytest.fixture
def world(fresh_url: str):  # type: ignore[no-untyped-def]
    """A committed database: an officer of 广州, three graduates, two posts; plans queue at 1."""
    yield from _world(fresh_url)


def _world(url: str, **environ: str):  # type: ignore[no-untyped-def]
    engine = seeded_engine(url)
    config = app_config(url, PLACEMENT_QUEUE_AT=1)
    config["ENVIRON"].update(environ)  # type: ignore[attr-defined]
    app = create_app(config)
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


def _job(engine: Engine, settings: Mapping[str, Any]) -> int:
    """The job as the scheduler runs it: one unit per queued plan, each with its run record."""
    return run_units(make_session_factory(engine), PLACEMENT, utcnow(), "test", settings)


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
    with Session(engine) as s:
        record = s.scalar(select(JobRun).where(JobRun.job_id == f"placement_queue/{run.id}"))
    assert record is not None and record.outcome == JobOutcome.SUCCESS and record.rows == 1

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


def test_on_the_job_queue_a_plan_goes_to_the_workers_at_once(databases) -> None:  # type: ignore[no-untyped-def]
    """MATCHSVC_JOB_QUEUE=procrastinate: queueing a plan defers its queue job as soon as the row
    is committed (not at the next minute), once; a worker computes it; a retry after a worker
    died takes the plan it left running over — and only on the queue, where the plan's lock
    guarantees nobody else is computing it."""
    url = databases.new("postgresql")
    gen = _world(url, MATCHSVC_JOB_QUEUE="procrastinate")
    app, engine = next(gen)
    assert app.config["JOB_QUEUE"] == "procrastinate"
    officer = app.test_client()
    login(officer, "gz", PASSWORD)
    token = csrf(officer, "/matching/placement?org=440100")
    form = {"csrf_token": token, "org": "440100", "action": "queue"}
    assert officer.post("/matching/placement", data=form).status_code == 302
    assert officer.post("/matching/placement", data=form).status_code == 302  # already waiting
    (run,) = _runs(engine)
    assert run.state == PlanState.QUEUED

    key = f"placement_queue/{run.id}"
    jobs = queue_jobs(engine)
    assert [(j[0], j[1], j[2]) for j in jobs] == [(queue.TASK, key, "todo")]
    assert jobs[0][3]["unit"] == str(run.id) and jobs[0][3]["job_id"] == "placement_queue"
    factory = make_session_factory(engine)
    with queue.make_app(url).open() as scheduler:
        # the scheduler's minute finds the plan already waiting: not deferred twice
        assert queue.enqueue(scheduler, factory, PLACEMENT, utcnow()) == 0
    drain_queue(url, engine, [PLACEMENT], app.config)
    assert [j[2] for j in queue_jobs(engine)] == ["succeeded"]
    done = _runs(engine)[0]
    assert done.state == PlanState.DONE and len(done.result["lines"]) == 3  # type: ignore[index]

    # a worker died in the middle: the row says running; the queue's retry computes it again
    with Session(engine) as s:
        left = s.get(PlacementRun, run.id)
        left.state, left.result, left.progress = PlanState.RUNNING, None, 30  # type: ignore[union-attr]
        s.commit()
    inline = {**app.config, "JOB_QUEUE": "inline"}
    assert run_unit(factory, PLACEMENT, str(run.id), utcnow(), "scheduler", inline) == 0
    assert _runs(engine)[0].state == PlanState.RUNNING  # the embedded default leaves it be
    assert run_unit(factory, PLACEMENT, str(run.id), utcnow(), "retry", app.config) == 1
    again = _runs(engine)[0]
    assert again.state == PlanState.DONE and len(again.result["lines"]) == 3  # type: ignore[index]
    next(gen, None)
