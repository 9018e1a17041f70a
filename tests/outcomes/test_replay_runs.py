"""The replay asked for on 推荐效果 and run by the `outcomes_replay` job (SQLite and PostgreSQL,
real commits): HQ or a province queues it, a bad year is said beside the field, the job ranks
the org's hires again and the page shows the figures; another province sees none of them."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from matchsvc.jobs import job_spec
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from matchsvc.actors import Actor
from matchsvc.app import create_app
from matchsvc.auth.service import create_user
from matchsvc.db import make_session_factory
from matchsvc.graduates.service import register_graduate
from matchsvc.models import ReferralState, ReplayRun, ReplayState, Role, utcnow
from matchsvc.ops.scheduler import run_units
from matchsvc.referrals.service import record_step, refer

from ..conftest import app_config, graduate_input, make_id, officer_actor, seeded_engine
from ..helpers import PASSWORD, TODAY, csrf, drain_queue, employer, login, post, queue_jobs

HQ = Actor(role=Role.HQ, label="hq", org_path="/000000/")
REPLAY = job_spec("outcomes_replay")


def _setup(url: str, **environ: str) -> tuple[Any, Engine]:
    """Officers of 广东, 湖北 and 广州; one hire in 广州 two days ago."""
    engine = seeded_engine(url)
    config = app_config(url)
    config["ENVIRON"].update(environ)  # type: ignore[attr-defined]
    app = create_app(config)
    with Session(engine) as session:
        for name, code in (("gd", "440000"), ("hb", "420000"), ("gzo", "440100")):
            create_user(
                session, HQ, role=Role.OFFICER, username=name, password=PASSWORD, org_code=code
            )
        gz = officer_actor(session, "440100")
        e = employer(session, 95)
        early = TODAY - timedelta(days=10)
        post(session, e, "护士", ["护理学"], published_on=early)
        software = post(session, e, "软件开发工程师", ["软件工程"], published_on=early)
        g = register_graduate(
            session, gz,
            graduate_input(make_id("440106", seq="951"), "440100", "440100",
                           major_text="软件工程", registered_on=TODAY - timedelta(days=30)),
        )  # fmt: skip
        hire_day = TODAY - timedelta(days=2)
        r = refer(session, gz, g.id, software.id, hire_day)
        record_step(session, gz, r, ReferralState.HIRED, hire_day)
        session.commit()
    return app, engine


def _runs(engine: Engine) -> list[ReplayRun]:
    with Session(engine) as s:
        return list(s.scalars(select(ReplayRun)))


def test_a_province_asks_for_the_replay_and_reads_it_when_the_job_ran(fresh_url: str) -> None:
    app, engine = _setup(fresh_url)
    gd = app.test_client()
    login(gd, "gd", PASSWORD)
    page = gd.get("/outcomes/").get_data(as_text=True)
    assert "开始回放" in page and "最近一次回放" not in page
    token = csrf(gd, "/outcomes/")
    bad = gd.post("/outcomes/replay", data={"csrf_token": token, "campaign": "1999"})
    assert bad.status_code == 422 and "请填写 2000–2100 之间的年份" in bad.get_data(as_text=True)
    assert 'value="1999"' in bad.get_data(as_text=True)  # what they typed is kept
    assert _runs(engine) == []
    asked = gd.post("/outcomes/replay", data={"csrf_token": token, "campaign": ""})
    assert asked.status_code == 302
    again = gd.post("/outcomes/replay", data={"csrf_token": token, "campaign": ""})
    assert again.status_code == 302 and len(_runs(engine)) == 1  # one waiting per org
    assert "回放排队中" in gd.get("/outcomes/").get_data(as_text=True)

    city = app.test_client()
    login(city, "gzo", PASSWORD)
    assert city.post("/outcomes/replay", data={"csrf_token": csrf(city, "/graduates/")}).status_code == 403  # fmt: skip

    assert run_units(make_session_factory(engine), REPLAY, utcnow(), "test", app.config) == 1
    (run,) = _runs(engine)
    assert run.state == ReplayState.DONE and run.result is not None
    assert run.result["hires"] == 1 and run.result["replayed"]["hire_at"]["1"] == 1.0
    shown = gd.get("/outcomes/").get_data(as_text=True)
    assert "最近一次回放完成于" in shown and "1 人次录用" in shown and "100.0%" in shown
    assert "重新回放" in shown

    hb = app.test_client()
    login(hb, "hb", PASSWORD)
    assert "最近一次回放" not in hb.get("/outcomes/").get_data(as_text=True)  # not theirs
    app.extensions["matchsvc.db"]["engine"].dispose()
    engine.dispose()


def test_on_the_job_queue_the_replay_goes_to_the_workers_at_once(databases) -> None:  # type: ignore[no-untyped-def]
    url = databases.new("postgresql")
    app, engine = _setup(url, MATCHSVC_JOB_QUEUE="procrastinate")
    gd = app.test_client()
    login(gd, "gd", PASSWORD)
    asked = gd.post("/outcomes/replay", data={"csrf_token": csrf(gd, "/outcomes/")})
    assert asked.status_code == 302
    (run,) = _runs(engine)
    assert [(j[1], j[2]) for j in queue_jobs(engine)] == [(f"outcomes_replay/{run.id}", "todo")]
    drain_queue(url, engine, [REPLAY], app.config)
    assert [j[2] for j in queue_jobs(engine)] == ["succeeded"]
    assert _runs(engine)[0].state == ReplayState.DONE
    with Session(engine) as s:
        assert s.scalar(select(func.count()).select_from(ReplayRun)) == 1
    app.extensions["matchsvc.db"]["engine"].dispose()
    engine.dispose()
